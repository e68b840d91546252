from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone


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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("username", "password")


class AddressLookupForm(forms.Form):
    street = forms.CharField(label="Straße", max_length=120)
    house_number = forms.CharField(
        label="Hausnummer", max_length=10, help_text="Zum Beispiel 12 oder 12a."
    )
    postcode = forms.CharField(
        label="PLZ",
        max_length=5,
        required=False,
        help_text="Nur nötig, wenn die Straße mehrdeutig ist.",
    )
    on = forms.DateField(
        label="Stichtag",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leer lassen für heute.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("street", css_class="col-md-4"),
                Column("house_number", css_class="col-md-2"),
                Column("postcode", css_class="col-md-2"),
                Column("on", css_class="col-md-4"),
            ),
            Submit("pruefen", "Zuständigkeit prüfen"),
        )
