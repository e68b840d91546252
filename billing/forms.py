"""Forms of the Leistungsnachweise: the provider's month of lines, the file import, the check."""

import datetime
from typing import Any, cast

from crispy_forms.layout import Layout, Submit
from django import forms

from billing.models import LineKind
from budgets.forms import money_field
from sozialraum.form_helpers import CHOOSE, DecimalField, FormHelper

LINE_ROWS = 10


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """First days of the months from `first` to `last`, newest first."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return list(reversed(months))


class StatementForm(forms.Form):
    """The month and the signed original; the lines come in `LineFormSet`."""

    month = forms.ChoiceField(label="Monat")
    document = forms.FileField(
        label="Unterschriebenes Original (PDF, freiwillig)",
        required=False,
        help_text="Nur PDF; geprüft wird der Inhalt der Datei, nicht ihre Endung.",
    )

    def __init__(self, *args, months: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["month"]).choices = [("", CHOOSE)] + [
            (f"{month:%Y-%m}", f"{month:%m/%Y}") for month in months
        ]

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data["month"]
        return datetime.datetime.strptime(value, "%Y-%m").date()


class LineForm(forms.Form):
    """One line: all fields empty means an unused row."""

    day = forms.DateField(
        label="Datum",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(label="Art", required=False, choices=[("", CHOOSE), *LineKind.choices])
    quantity = DecimalField(
        label="Stunden bzw. Anzahl",
        required=False,
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [name for name in ("day", "kind", "quantity") if data.get(name) not in (None, "")]
        if filled and len(filled) < 3:
            raise forms.ValidationError("Bitte Datum, Art und Menge angeben (oder alle leer).")
        return data


LineFormSet = forms.formset_factory(LineForm, extra=0, max_num=400, absolute_max=400)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Datei (CSV oder XLSX)",
        help_text="Spalten: falldurchfuehrung;datum;art;menge. Art: direkt, familie, fahrzeit, "
        "anwesend, abwesend, pauschale, gruppe.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_tag = True
        self.helper.layout = Layout("file", Submit("pruefen", "Probelauf starten"))


class ApproveForm(forms.Form):
    amount = money_field(
        "Freigegebener Betrag (€)",
        required=False,
        help_text="Leer: der abgerechnete Betrag. Ein niedrigerer Betrag braucht eine Begründung.",
    )
    reason = forms.CharField(
        label="Begründung der Korrektur",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="approve", **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout("amount", "reason", Submit("approve", "Freigeben"))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Grund der Rückgabe",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="return", **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            "reason", Submit("return", "Zurückgeben", css_class="btn-secondary")
        )
