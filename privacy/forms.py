from typing import cast

from crispy_forms.layout import Column, Row
from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from cases.models import Person
from privacy.models import Action, Anchor, RetentionClass
from privacy.rules import RULES
from sozialraum.form_helpers import form_helper


class RetentionClassForm(forms.Form):
    period_years = forms.IntegerField(label="Jahre", min_value=0, max_value=150)
    period_months = forms.IntegerField(label="Monate", min_value=0, max_value=11, initial=0)
    anchor = forms.ChoiceField(label="Fristbeginn")
    action = forms.ChoiceField(label="Maßnahme")
    is_active = forms.BooleanField(
        label="Frist ist vom Datenschutz geprüft und freigegeben",
        required=False,
        help_text="Ohne Freigabe zeigt der Löschlauf nur, was fällig wäre, und ändert nichts.",
    )
    legal_basis = forms.CharField(
        label="Rechtsgrundlage und Begründung",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Vorschrift, Regelung oder Beschluss, der die Frist bestimmt; ohne Namen.",
    )

    def __init__(self, *args, retention_class: RetentionClass, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "period_years": retention_class.period_years,
                "period_months": retention_class.period_months,
                "anchor": retention_class.anchor,
                "action": retention_class.action,
                "is_active": retention_class.is_active,
                "legal_basis": retention_class.legal_basis,
            },
        )
        super().__init__(*args, **kwargs)
        rule = RULES[retention_class.record_type]
        cast(forms.ChoiceField, self.fields["anchor"]).choices = [
            (a, Anchor(a).label) for a in rule.anchors
        ]
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            (a, Action(a).label) for a in rule.actions
        ]
        self.fields["action"].help_text = rule.effect
        self.helper = form_helper(
            Row(
                Column("period_years", css_class="col-md-3"),
                Column("period_months", css_class="col-md-3"),
            ),
            "anchor",
            "action",
            "legal_basis",
            "is_active",
            submit="Frist speichern",
        )


class RunStartForm(forms.Form):
    mode = forms.ChoiceField(
        label="Art des Laufs",
        choices=[
            ("vorschau", "Vorschau: nur zählen, was fällig ist"),
            ("ausfuehren", "Ausführen: Fälliges nach den freigegebenen Fristen bearbeiten"),
        ],
        initial="vorschau",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("mode", submit="Löschlauf starten")

    @property
    def is_preview(self) -> bool:
        return self.cleaned_data["mode"] == "vorschau"


class LegalHoldForm(forms.Form):
    case_number = forms.CharField(
        label="Fallnummer", max_length=20, help_text="Zum Beispiel N-2024-0042."
    )
    reason = forms.CharField(
        label="Grund der Sperre",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Zum Beispiel Aktenzeichen eines Gerichtsverfahrens oder einer Beschwerde; ohne Namen."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(
                Column("case_number", css_class="col-md-4"), Column("reason", css_class="col-md-8")
            ),
            submit="Löschsperre setzen",
        )


class LegalHoldLiftForm(forms.Form):
    reason = forms.CharField(
        label="Grund der Aufhebung",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Zum Beispiel: Verfahren rechtskräftig abgeschlossen; ohne Namen.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason", submit="Löschsperre aufheben")


class SubjectSearchForm(forms.Form):
    """Names go in the POST body only: never into a URL, a log line or the browser history."""

    last_name = forms.CharField(label="Nachname", max_length=80)
    first_name = forms.CharField(label="Vorname", max_length=80, required=False)
    birth_date = forms.DateField(
        label="Geburtsdatum",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(
                Column("last_name", css_class="col-md-4"),
                Column("first_name", css_class="col-md-4"),
                Column("birth_date", css_class="col-md-4"),
            ),
            submit="Personen suchen",
        )
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Person) -> str:
        born = f", geb. {person.birth_date:%d.%m.%Y}" if person.birth_date else ""
        return (
            f"{person.first_name} {person.last_name}{born} – {person.get_role_display()} im Fall "
            f"{person.case.number} ({person.case.region.name})"
        )


class SubjectExportForm(forms.Form):
    persons = PersonChoiceField(
        label="Diese Einträge gehören zur anfragenden Person",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Bitte wählen Sie mindestens einen Eintrag aus."},
    )
    output = forms.ChoiceField(
        label="Format",
        choices=[("html", "HTML-Dokument (zum Lesen und Drucken)"), ("pdf", "PDF")],
        initial="pdf",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, persons: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["persons"]).queryset = persons.select_related(
            "case__region"
        )
        self.helper = form_helper("persons", "output", submit="Auskunft erstellen")
        self.helper.form_action = reverse("privacy:subject_export")
