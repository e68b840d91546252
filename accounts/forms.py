"""Forms of the login, the second factor and the account page."""

from typing import cast

from crispy_forms.layout import Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import MaxLengthValidator

from sozialraum.form_helpers import FormHelper


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Benutzername oder Passwort stimmen nicht. "
            "Bitte achten Sie auf Groß- und Kleinschreibung."
        ),
        "inactive": "Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Benutzername"
        self.fields["password"].label = "Passwort"
        # No autofocus: keyboard users start at the skip link like on every other page.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        # Django sets max_length here without checking it; a longer name would reach the failed
        # login record (django-axes, 255 characters) and fail on PostgreSQL with a 500.
        self.fields["username"].validators.append(
            MaxLengthValidator(cast(forms.CharField, self.fields["username"]).max_length)
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("username", "password")


class SecondFactorForm(forms.Form):
    """The code of the second login step: from the app, or one of the backup codes."""

    code = forms.CharField(
        label="Bestätigungscode",
        max_length=20,
        help_text=(
            "Der sechsstellige Code aus Ihrer Authenticator-App oder einer Ihrer Notfallcodes."
        ),
        error_messages={"required": "Bitte geben Sie den Code ein."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit: str = "Bestätigen", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-no-draft": ""}
        self.helper.layout = Layout("code", Submit("bestaetigen", submit))


class TotpSetupForm(SecondFactorForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="App verbinden", **kwargs)
        self.fields["code"].help_text = "Der sechsstellige Code, den die App jetzt anzeigt."
        self.fields["code"].widget.attrs["inputmode"] = "numeric"


class PortalPasswordChangeForm(PasswordChangeForm):
    """Django's form (its validators answer in German); laid out like every other form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"data-no-draft": ""}
        self.helper.layout = Layout(
            "old_password", "new_password1", "new_password2", Submit("speichern", "Passwort ändern")
        )
