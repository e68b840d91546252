"""Forms of the budgets app; amounts in German notation (1.234,56)."""

import datetime
from decimal import Decimal
from typing import cast

from crispy_forms.layout import Column, Row
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet

from budgets.models import SplitMethod
from cases.models import CaseKind
from sozialraum.form_helpers import DecimalField, form_helper
from sozialraum.models import Provider, Region, Sozialraum

PROJECT_KINDS = [
    (CaseKind.CROSS_CASE.value, CaseKind.CROSS_CASE.label),
    (CaseKind.CASE_INDEPENDENT.value, CaseKind.CASE_INDEPENDENT.label),
]


def money_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        help_text=help_text or "In Euro, z. B. 1.234,56",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class FiscalYearForm(forms.Form):
    RESERVE_AMOUNT, RESERVE_PERCENT = "amount", "percent"

    year = forms.IntegerField(
        label="Haushaltsjahr", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    total = money_field("Jugendhilfebudget gesamt (€)")
    reserve_kind = forms.ChoiceField(
        label="Vorwegabzug als",
        choices=[(RESERVE_PERCENT, "Prozent des Gesamtbudgets"), (RESERVE_AMOUNT, "Betrag (€)")],
        widget=forms.RadioSelect,
        initial=RESERVE_PERCENT,
    )
    reserve_value = DecimalField(
        label="Vorwegabzug",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        localize=True,
        help_text="Prozentsatz (z. B. 7,5) oder Betrag in Euro, je nach Auswahl oben.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = datetime.date.today().year + 1
        self.helper = form_helper(
            Row(Column("year", css_class="col-md-3"), Column("total", css_class="col-md-5")),
            Row(
                Column("reserve_kind", css_class="col-md-4"),
                Column("reserve_value", css_class="col-md-4"),
            ),
            submit="Haushaltsjahr anlegen",
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        value, total = data.get("reserve_value"), data.get("total")
        if value is None:
            return data
        if data.get("reserve_kind") == self.RESERVE_PERCENT and value > 100:
            self.add_error("reserve_value", "Ein Prozentsatz liegt zwischen 0 und 100.")
        if data.get("reserve_kind") == self.RESERVE_AMOUNT and total and value > total:
            self.add_error("reserve_value", "Der Vorwegabzug ist größer als das Gesamtbudget.")
        return data


class SplitForm(forms.Form):
    method = forms.ChoiceField(label="Grundlage der Aufteilung", choices=SplitMethod.choices)
    rationale = forms.CharField(
        label="Begründung",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Warum diese Aufteilung? Die Begründung wird mit Ihrem Namen gespeichert.",
    )

    def __init__(self, *args, regions: list[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = regions
        for region in regions:
            self.fields[self.field_name(region)] = DecimalField(
                label=f"Region {region.name} (€)",
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.helper = form_helper(
            Row(*(Column(self.field_name(region), css_class="col-md-4") for region in regions)),
            "method",
            "rationale",
            submit="Aufteilung festlegen",
        )

    @staticmethod
    def field_name(region: Region) -> str:
        return f"share_{region.pk}"

    def shares(self) -> dict[Region, Decimal]:
        return {region: self.cleaned_data[self.field_name(region)] for region in self.regions}


class CommitmentForm(forms.Form):
    """A project commitment (cross-case or case-independent); helps come with the cases app."""

    kind = forms.ChoiceField(label="Art der Arbeit", choices=PROJECT_KINDS)
    title = forms.CharField(label="Titel", max_length=200)
    amount = money_field("Betrag (€)")
    starts_on = date_field("Beginn")
    ends_on = date_field("Ende", required=False, help_text="Leer: bis Jahresende.")
    sozialraum = forms.ModelChoiceField(
        label="Sozialraum", queryset=Sozialraum.objects.none(), required=False, empty_label="–"
    )
    provider = forms.ModelChoiceField(
        label="Träger", queryset=Provider.objects.none(), required=False, empty_label="–"
    )
    override_reason = forms.CharField(
        label="Begründung einer Überschreitung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Nur für die Teamleitung: Übersteigt die Bewilligung das freie Budget, geben Sie "
            "sie hiermit frei."
        ),
    )

    def __init__(
        self,
        *args,
        sozialraeume: QuerySet[Sozialraum],
        providers: QuerySet[Provider],
        may_override: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sozialraum"]).queryset = sozialraeume
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = providers
        fields = [
            Row(Column("kind", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            Row(
                Column("amount", css_class="col-md-4"),
                Column("starts_on", css_class="col-md-4"),
                Column("ends_on", css_class="col-md-4"),
            ),
            Row(
                Column("sozialraum", css_class="col-md-6"), Column("provider", css_class="col-md-6")
            ),
        ]
        if may_override:
            fields.append("override_reason")
        else:
            del self.fields["override_reason"]
        self.helper = form_helper(*fields, submit="Bewilligung buchen")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Das Ende liegt vor dem Beginn.")
        return data


class PaymentForm(forms.Form):
    amount = money_field("Betrag (€)")
    paid_on = date_field("gezahlt am")
    note = forms.CharField(label="Verwendungszweck", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(
                Column("amount", css_class="col-md-4"),
                Column("paid_on", css_class="col-md-4"),
                Column("note", css_class="col-md-4"),
            ),
            submit="Zahlung buchen",
        )
        self.helper.form_tag = False  # the page's form carries the action field


class CommitmentEndForm(forms.Form):
    ended_on = date_field("beendet am")
    reason = forms.CharField(label="Grund", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(Column("ended_on", css_class="col-md-4"), Column("reason", css_class="col-md-8")),
            submit="Vorzeitig beenden und Rest freigeben",
        )
        self.helper.form_tag = False


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Begründung", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, submit: str = "Stornieren", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason", submit=submit)


class PaymentReverseForm(forms.Form):
    """Storno of a payment, and in the same step the payment as it should have been."""

    reason = forms.CharField(
        label="Begründung", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    amount = money_field(
        "Richtiger Betrag (€)",
        required=False,
        help_text="Leer: nur stornieren. Sonst wird die Zahlung mit diesem Betrag neu gebucht.",
    )
    paid_on = date_field("Richtiges Zahlungsdatum", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "reason",
            Row(Column("amount", css_class="col-md-6"), Column("paid_on", css_class="col-md-6")),
            submit="Stornieren",
        )


class TransferRequestForm(forms.Form):
    amount = money_field("Betrag (€)")
    justification = forms.CharField(
        label="Begründung", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("amount", "justification", submit="Antrag stellen")


class TransferDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Entscheidung",
        choices=[("approve", "genehmigen"), ("reject", "ablehnen")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Begründung",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Pflicht bei einer Ablehnung und wenn Sie eine Entscheidung neu treffen.",
    )
    # Set by the confirmation step: the decision is saved only after its consequences were shown.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, revisiting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.revisiting = revisiting
        self.helper = form_helper("decision", "note", submit="Weiter: Folgen prüfen")

    def clean(self) -> dict:
        data = super().clean() or {}
        if not (data.get("note") or "").strip():
            if self.revisiting:
                self.add_error("note", "Bitte begründen Sie, warum Sie neu entscheiden.")
            elif data.get("decision") == "reject":
                self.add_error(
                    "note", "Bitte begründen Sie die Ablehnung; die Region erfährt den Grund."
                )
        return data


class CarryOverForm(forms.Form):
    amount = money_field("Betrag (€)", required=False, help_text="Leer: das ganze freie Budget.")
    reason = forms.CharField(
        label="Begründung", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "amount", "reason", submit="In Sozialraumprojekte des Folgejahres übertragen"
        )
