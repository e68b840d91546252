from collections.abc import Callable
from typing import Any, cast

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sozialraum.form_helpers import FormHelper
from sozialraum.models import Sozialraum
from sozialraum.plausibility import ConfirmWarningsMixin, has_warnings


def form_errors_add(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal into the form: on its field where the form has one. Warnings to
    confirm bring up the form's checkbox „Trotzdem speichern“ (`ConfirmWarningsMixin`)."""
    if isinstance(form, ConfirmWarningsMixin) and has_warnings(error):
        form.warnings_confirm_show()
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def form_saved(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], str]
) -> bool:
    """Validate a posted form, call the service through `save` and show the message it returns;
    a refusal goes into the form, with everything typed still there. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        message = save(form.cleaned_data)
    except ValidationError as error:
        form_errors_add(form, error)
        return False
    messages.success(request, message)
    return True


def reference_date_field() -> forms.DateField:
    """The optional "as of" date of directory pages; empty means today."""
    return forms.DateField(
        label="Stichtag",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leer lassen für heute.",
    )


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
    on = reference_date_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(
                Column("street", css_class="col-md-4"),
                Column("house_number", css_class="col-md-2"),
                Column("postcode", css_class="col-md-2"),
                Column("on", css_class="col-md-4"),
            ),
            Submit("pruefen", "Zuständigkeit prüfen"),
        )


class StreetDirectoryFilterForm(forms.Form):
    query = forms.CharField(label="Straße", max_length=120, required=False)
    sozialraum = forms.ModelChoiceField(
        label="Sozialraum",
        queryset=Sozialraum.objects.none(),
        required=False,
        empty_label="alle",
    )
    on = reference_date_field()

    def __init__(self, *args, sozialraeume: QuerySet[Sozialraum], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sozialraum"]).queryset = sozialraeume
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("query", css_class="col-md-4"),
                Column("sozialraum", css_class="col-md-4"),
                Column("on", css_class="col-md-4"),
            ),
            Submit("suchen", "Suchen"),
        )
