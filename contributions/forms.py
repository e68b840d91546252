"""Forms of the cost contributions (crispy, the portal's German FormHelper). They validate types
and required fields; the rules (table maximum, dates, open amounts) are the services'."""

from decimal import Decimal
from typing import Any, cast

from django import forms

from cases.forms import date_field
from cases.models import Case, Person
from contributions.models import IncomeEvidence, Stage
from sozialraum.form_helpers import CHOOSE, DecimalField, form_helper


def _money(label: str, *, required: bool = True, help_text: str = "") -> DecimalField:
    return DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        localize=True,
        help_text=help_text or "In Euro, z. B. 1.234,56",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class EvidenceForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Kostenbeitragspflichtige Person", queryset=Person.objects.none(), empty_label=CHOOSE
    )
    monthly_income = _money(
        "Maßgebliches Nettoeinkommen monatlich (€)",
        help_text="Nach Abzug der Beträge nach § 93 Abs. 2 und 3 SGB VIII.",
    )
    period_start = date_field("Einkommen im Zeitraum von")
    period_end = date_field("bis")
    submitted_on = date_field("Nachweis eingegangen am")
    note = forms.CharField(
        label="Art des Nachweises", max_length=200, required=False,
        help_text="Zum Beispiel: Lohnabrechnungen der letzten zwölf Monate.",
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = case.persons.order_by("last_name", "first_name")
        self.helper = form_helper(
            "person", "monthly_income", "period_start", "period_end", "submitted_on", "note",
            submit="Nachweis speichern",
        )  # fmt: skip


class EvidenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IncomeEvidence) -> str:
        return (
            f"{obj.person.first_name} {obj.person.last_name}: {obj.monthly_income} € "
            f"(eingegangen {obj.submitted_on:%d.%m.%Y})"
        )


class ContributionForm(forms.Form):
    evidence = EvidenceChoiceField(
        label="Einkommensnachweis", queryset=IncomeEvidence.objects.none(), empty_label=CHOOSE
    )
    stage = forms.TypedChoiceField(
        label="Beitragsstufe",
        coerce=int,
        choices=Stage.choices,
        initial=Stage.FIRST,
        help_text="Vollstationär nach der Zahl der untergebrachten Kinder dieser Person (§ 2 "
        "KostenbeitragsV), teilstationär Stufe 4 (§ 3).",
    )
    further_dependants = forms.IntegerField(
        label="Weitere vorrangig oder gleichrangig Unterhaltsberechtigte",
        min_value=0, max_value=20, initial=0,
        help_text="Je Person eine niedrigere Einkommensgruppe: in den Gruppen 2 bis 6 zwei, "
        "ab Gruppe 7 eine (§ 4 KostenbeitragsV).",
    )  # fmt: skip
    receives_child_benefit = forms.BooleanField(
        label="bezieht Kindergeld für den jungen Menschen",
        required=False,
        help_text="Bei Unterbringung über Tag und Nacht zusätzlich ein Kostenbeitrag in Höhe "
        "des Kindergeldes (§ 94 Abs. 3 SGB VIII).",
    )
    starts_on = date_field("Kostenbeitrag ab")
    ends_on = date_field("bis", required=False)
    amount = _money(
        "Niedrigerer Betrag (€)",
        required=False,
        help_text="Leer lassen für den Betrag der Tabelle. Mehr als die Tabelle ist nicht möglich.",
    )
    reduction_reason = forms.CharField(
        label="Begründung des niedrigeren Betrags", required=False, widget=forms.Textarea(
            attrs={"rows": 3}
        ),
    )  # fmt: skip

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        evidence = cast(forms.ModelChoiceField, self.fields["evidence"])
        evidence.queryset = IncomeEvidence.objects.filter(case=case).select_related("person")
        self.helper = form_helper(
            "evidence", "stage", "further_dependants", "receives_child_benefit", "starts_on",
            "ends_on", "amount",
            "reduction_reason", submit="Kostenbeitrag festsetzen",
        )  # fmt: skip


class ReceiptForm(forms.Form):
    amount = _money("Eingegangener Betrag (€)")
    received_on = date_field("Eingegangen am")
    reference = forms.CharField(
        label="Buchungszeichen der Stadtkasse", max_length=40, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("amount", "received_on", "reference", submit="Eingang buchen")


class WaiverForm(forms.Form):
    amount = _money("Zu erlassender Betrag (€)")
    reason = forms.CharField(label="Begründung", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("amount", "reason", submit="Erlass speichern")


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV-Datei der Stadtkasse")
    take = forms.BooleanField(label="Gute Zeilen jetzt buchen (sonst nur prüfen)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("file", "take", submit="Datei prüfen bzw. buchen")
