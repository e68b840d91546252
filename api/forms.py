from typing import Any

from crispy_forms.layout import Submit
from django import forms

from api.models import Scope
from sozialraum.form_helpers import CheckboxList, FormHelper


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label="Name des Werkzeugs",
        max_length=120,
        help_text="Zum Beispiel „Dashboard der Stadt“ oder „Tabelle Jugendhilfeplanung“.",
    )
    scopes = forms.MultipleChoiceField(
        label="Berechtigungen",
        choices=Scope.choices,
        widget=CheckboxList,
        error_messages={"required": "Bitte wählen Sie mindestens eine Berechtigung."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Zugang anlegen"))
