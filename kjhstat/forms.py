"""Forms of the KJH statistics pages."""

from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from kjhstat.models import SpendingPosition
from sozialraum.form_helpers import CHOOSE, FormHelper


class DeliveryRequestForm(forms.Form):
    """Asking for the delivery file of the page's survey and year: nothing to type."""

    def __init__(self, *args, preview: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        label = "Vorschau-Lieferdatei erstellen" if preview else "Lieferdatei erstellen"
        self.helper.layout = Layout(Submit("liefern", label))


class MappingForm(forms.Form):
    """The administrator's choice of a Teil IV position for one kind of spending."""

    source = forms.ChoiceField(label="Kostenart im Portal", choices=[])
    position = forms.ChoiceField(
        label="Position in Teil IV", choices=[("", CHOOSE), *SpendingPosition.choices]
    )
    note = forms.CharField(label="Anmerkung", max_length=200, required=False)

    def __init__(self, *args, sources: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", CHOOSE), *sources]  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(
                Column("source", css_class="col-md-4"),
                Column("position", css_class="col-md-4"),
                Column("note", css_class="col-md-4"),
            ),
            Submit("speichern", "Zuordnung speichern"),
        )
