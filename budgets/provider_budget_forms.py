"""Forms of the Trägerbudget pages (allocation, the provider's booking, Storno, year end)."""

from decimal import Decimal

from django import forms
from django.db.models import QuerySet

from budgets.forms import date_field, money_field
from budgets.models import Budget, SpendingKind
from cases.models import Assignment
from sozialraum.form_helpers import CHOOSE, DecimalField, form_helper
from sozialraum.models import ProviderAlliance, RegionProvider, Sozialraum


class BudgetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Budget) -> str:
        return f"{obj.label} {obj.fiscal_year.year}"


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assignment) -> str:
        return f"Fall {obj.case.number}, ab {obj.starts_on:%d.%m.%Y}"


class AllocateForm(forms.Form):
    budget = BudgetChoiceField(
        label="Budget der Region", queryset=Budget.objects.none(), empty_label=CHOOSE
    )
    holder = forms.ChoiceField(label="Schwerpunktträger oder Trägerverbund")
    amount = money_field("Betrag (€)")
    rationale = forms.CharField(label="Begründung", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, budgets: QuerySet[Budget], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["budget"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = budgets
        leads = (
            RegionProvider.objects.filter(is_lead=True)
            .select_related("provider", "region")
            .order_by("region__name", "provider__name")
        )
        choices: list[tuple[str, str]] = [("", CHOOSE)]
        seen = set()
        for lead in leads:
            key = f"p-{lead.provider_id}"
            if key not in seen:
                seen.add(key)
                choices.append((key, f"{lead.provider.name} (Schwerpunktträger {lead.region})"))
        for alliance in ProviderAlliance.objects.select_related("region"):
            choices.append(
                (f"a-{alliance.pk}", f"{alliance.name} (Trägerverbund {alliance.region})")
            )
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ChoiceField)
        holder.choices = choices
        self.helper = form_helper(
            "budget", "holder", "amount", "rationale", submit="Trägerbudget zuweisen"
        )

    def holder_ids(self) -> tuple[int | None, int | None]:
        """(provider id, alliance id) of the chosen holder."""
        kind, _, pk = self.cleaned_data["holder"].partition("-")
        return (int(pk), None) if kind == "p" else (None, int(pk))


class BookingForm(forms.Form):
    kind = forms.ChoiceField(label="Art der Arbeit", choices=[("", CHOOSE), *SpendingKind.choices])
    assignment = AssignmentChoiceField(
        label="Falldurchführung (nur bei Einzelfallhilfe)",
        queryset=Assignment.objects.none(),
        required=False,
        empty_label=CHOOSE,
    )
    hours = DecimalField(
        label="Stunden",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=0,
        localize=True,
        help_text="Bei Personalstunden Pflicht, sonst freiwillig.",
    )
    amount = money_field("Betrag (€)")
    spent_on = date_field("Datum der Ausgabe")
    text = forms.CharField(label="Buchungstext", max_length=200)
    over_reason = forms.CharField(
        label="Begründung, falls die Zuweisung überschritten wird",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, assignments: QuerySet[Assignment], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignments
        self.helper = form_helper(
            "kind",
            "assignment",
            "hours",
            "amount",
            "spent_on",
            "text",
            "over_reason",
            submit="Ausgabe buchen",
        )


class BookingReverseForm(forms.Form):
    reason = forms.CharField(label="Begründung des Stornos", max_length=180)


PROJECT_ROWS = 3


class CarryOverDecisionForm(forms.Form):
    rationale = forms.CharField(
        label="Begründung der Entscheidung", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sozialraeume: QuerySet[Sozialraum], **kwargs):
        super().__init__(*args, **kwargs)
        names = ["rationale"]
        for row in range(1, PROJECT_ROWS + 1):
            self.fields[f"name_{row}"] = forms.CharField(
                label=f"Projekt {row}: Name", max_length=200, required=row == 1
            )
            self.fields[f"sozialraum_{row}"] = forms.ModelChoiceField(
                label=f"Projekt {row}: Sozialraum",
                queryset=sozialraeume,
                required=row == 1,
                empty_label=CHOOSE,
            )
            self.fields[f"amount_{row}"] = money_field(
                f"Projekt {row}: Betrag (€)", required=row == 1
            )
            names += [f"name_{row}", f"sozialraum_{row}", f"amount_{row}"]
        self.helper = form_helper(*names, submit="Übertrag in die Projekte beschließen")

    def clean(self):
        data = super().clean()
        for row in range(2, PROJECT_ROWS + 1):
            given = [data.get(f"{part}_{row}") for part in ("name", "sozialraum", "amount")]
            if any(given) and not all(given):
                self.add_error(
                    f"name_{row}",
                    f"Projekt {row}: Bitte Name, Sozialraum und Betrag angeben oder alles "
                    "leer lassen.",
                )
        return data

    def project_rows(self) -> list[tuple[str, Sozialraum, Decimal]]:
        rows = []
        for row in range(1, PROJECT_ROWS + 1):
            name = self.cleaned_data.get(f"name_{row}")
            if name:
                rows.append(
                    (
                        name,
                        self.cleaned_data[f"sozialraum_{row}"],
                        self.cleaned_data[f"amount_{row}"],
                    )
                )
        return rows
