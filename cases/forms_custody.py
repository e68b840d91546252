"""Forms of § 42 Inobhutnahmen and of the § 8a survey items. They check the same rules as the
services (`cases.custody`, `cases.protection_items`), so a form shows every problem at once."""

from typing import Any, cast

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils import timezone

from cases.custody import CustodyInput, custody_errors, end_errors
from cases.forms import date_field
from cases.forms_protection import rule_errors_add
from cases.kjh_items import FamilySituation, ResidenceBefore, Sex, YesNoUnknown
from cases.kjh_protection_items import (
    CONSEQUENCES,
    ENDANGERMENT_KINDS,
    PriorHelp,
    ProtectionInitiator,
    ProtectionKind,
    ProtectionOutcome,
    ProtectionPlacement,
    ProtectionReason,
)
from cases.models import Case, Person, RiskAssessment
from cases.protection_items import RiskItems, risk_items_errors
from sozialraum.form_helpers import CHOOSE, form_helper

UNKNOWN_HINT = "„unbekannt“ ist eine gültige Antwort; leer bleibt es im Plausibilitätsbericht."


def _choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", CHOOSE), *choices]


class SingleChildField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        born = f" (geb. {obj.birth_date:%d.%m.%Y})" if obj.birth_date else ""
        return f"{obj.first_name} {obj.last_name}{born}"


class AssessmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RiskAssessment) -> str:
        level = obj.get_level_display() or "Ergebnis offen"
        return f"vom {obj.assessed_at:%d.%m.%Y}: {level}"


PARENTS_OBJECT = [("", "nicht erfasst"), ("no", "nein"), ("yes", "ja")]


class CustodyForm(forms.Form):
    """Record or correct an Inobhutnahme; with `ended` also its end, with `correcting` a reason."""

    child = SingleChildField(
        label="Kind", queryset=Person.objects.none(), required=False, empty_label=CHOOSE
    )
    kind = forms.ChoiceField(label="Art der Maßnahme", choices=ProtectionKind.choices)
    started_on = date_field("In Obhut genommen am", required=False)
    started_time = forms.TimeField(
        label="Uhrzeit", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    taken_by = forms.CharField(
        label="In Obhut genommen von",
        max_length=200,
        required=False,
        help_text="Zum Beispiel „ASD, Frau Roth, mit der Polizei“.",
    )
    initiator = forms.ChoiceField(
        label="Angeregt von", required=False, choices=_choices(ProtectionInitiator.choices)
    )
    reasons = forms.MultipleChoiceField(
        label="Anlässe",
        required=False,
        choices=ProtectionReason.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Mehrere möglich.",
    )
    residence_before = forms.ChoiceField(
        label="Aufenthalt vor der Maßnahme",
        required=False,
        choices=_choices(ResidenceBefore.choices),
        help_text=UNKNOWN_HINT,
    )
    placement = forms.ChoiceField(
        label="Untergebracht in", required=False, choices=_choices(ProtectionPlacement.choices)
    )
    placement_name = forms.CharField(label="Name der Stelle", max_length=200, required=False)
    assessment = AssessmentChoiceField(
        label="Zur Gefährdungseinschätzung",
        queryset=RiskAssessment.objects.none(),
        required=False,
        empty_label="ohne Einschätzung (z. B. § 42a)",
    )
    parents_informed_on = date_field("Sorgeberechtigte informiert am", required=False)
    parents_object = forms.TypedChoiceField(
        label="Widersprechen die Sorgeberechtigten?",
        required=False,
        choices=PARENTS_OBJECT,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )
    family_court_on = date_field(
        "Familiengericht angerufen am (§ 42 Abs. 3)",
        required=False,
        help_text="Bei Widerspruch: Übergabe an die Sorgeberechtigten oder unverzüglich das "
        "Familiengericht anrufen.",
    )
    ended_on = date_field("Beendet am", required=False)
    outcome = forms.ChoiceField(
        label="Ende der Maßnahme", required=False, choices=_choices(ProtectionOutcome.choices)
    )
    reason = forms.CharField(
        label="Grund der Berichtigung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        ended: bool = False,
        correcting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        children = case.persons.filter(role="child")
        cast(forms.ModelChoiceField, self.fields["child"]).queryset = children
        cast(
            forms.ModelChoiceField, self.fields["assessment"]
        ).queryset = case.risk_assessments.all()
        if len(children) == 1 and not self.initial.get("child"):
            self.fields["child"].initial = children[0].pk
        if not correcting:
            self.fields["started_on"].initial = timezone.localdate()
            del self.fields["reason"]
        if not ended:
            del self.fields["ended_on"]
            del self.fields["outcome"]
        self.correcting = correcting
        self.helper = form_helper(
            Fieldset(
                "Inobhutnahme",
                Row(Column("child", css_class="col-md-6"), Column("kind", css_class="col-md-6")),
                Row(
                    Column("started_on", css_class="col-md-4"),
                    Column("started_time", css_class="col-md-3"),
                    Column("taken_by", css_class="col-md-5"),
                ),
                Row(
                    Column("initiator", css_class="col-md-6"),
                    Column("assessment", css_class="col-md-6"),
                ),
                "reasons",
                "residence_before",
                Row(
                    Column("placement", css_class="col-md-6"),
                    Column("placement_name", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                "Sorgeberechtigte und Familiengericht",
                Row(
                    Column("parents_informed_on", css_class="col-md-4"),
                    Column("parents_object", css_class="col-md-4"),
                    Column("family_court_on", css_class="col-md-4"),
                ),
            ),
            *([Fieldset("Ende", Row(Column("ended_on"), Column("outcome")))] if ended else []),
            *(["reason"] if correcting else []),
            submit="Berichtigung speichern" if correcting else "Inobhutnahme speichern",
        )

    def custody_input(self) -> CustodyInput:
        data = self.cleaned_data
        return CustodyInput(
            child=data.get("child"),
            kind=data.get("kind", ""),
            started_on=data.get("started_on"),
            started_time=data.get("started_time"),
            taken_by=data.get("taken_by", ""),
            initiator=data.get("initiator", ""),
            reasons=list(data.get("reasons") or []),
            residence_before=data.get("residence_before", ""),
            placement=data.get("placement", ""),
            placement_name=data.get("placement_name", ""),
            parents_informed_on=data.get("parents_informed_on"),
            parents_object=data.get("parents_object"),
            family_court_on=data.get("family_court_on"),
            assessment=data.get("assessment"),
            ended_on=data.get("ended_on"),
            outcome=data.get("outcome", ""),
        )

    def clean(self) -> dict:
        super().clean()
        rule_errors_add(
            self,
            custody_errors(case=self.case, data=self.custody_input(), today=timezone.localdate()),
        )
        reason = (self.cleaned_data.get("reason") or "").strip()
        if self.correcting and not reason and "reason" not in self.errors:
            self.add_error("reason", "Bitte geben Sie den Grund der Berichtigung an.")
        return self.cleaned_data


def custody_initial(measure: Any) -> dict:
    """A recorded Inobhutnahme as the correction form's starting values."""
    return {
        "child": measure.child_id,
        "kind": measure.kind,
        "started_on": measure.started_on,
        "started_time": measure.started_time,
        "taken_by": measure.taken_by,
        "initiator": measure.initiator,
        "reasons": list(measure.reasons or []),
        "residence_before": measure.residence_before,
        "placement": measure.placement,
        "placement_name": measure.placement_name,
        "assessment": measure.assessment_id,
        "parents_informed_on": measure.parents_informed_on,
        "parents_object": {True: "yes", False: "no"}.get(measure.parents_object, ""),
        "family_court_on": measure.family_court_on,
        "ended_on": measure.ended_on,
        "outcome": measure.outcome,
    }


class CustodyEndForm(forms.Form):
    ended_on = date_field("Beendet am", required=False)
    outcome = forms.ChoiceField(
        label="Ende der Maßnahme – was folgte?",
        required=False,
        choices=_choices(ProtectionOutcome.choices),
    )

    def __init__(self, *args: Any, started_on: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started_on = started_on
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = form_helper("ended_on", "outcome", submit="Inobhutnahme beenden")

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        rule_errors_add(
            self,
            end_errors(
                started_on=self.started_on,
                ended_on=data.get("ended_on"),
                outcome=data.get("outcome", ""),
                today=timezone.localdate(),
            ),
        )
        return data


class RiskItemsForm(forms.Form):
    """The § 8a survey items of one assessment (and the child's sex and origin)."""

    sex = forms.ChoiceField(
        label="Geschlecht des Kindes", required=False, choices=_choices(Sex.choices)
    )
    parent_foreign_origin = forms.ChoiceField(
        label="Ausländische Herkunft mindestens eines Elternteils",
        required=False,
        choices=_choices(YesNoUnknown.choices),
    )
    german_at_home = forms.ChoiceField(
        label="In der Familie wird vorrangig Deutsch gesprochen",
        required=False,
        choices=_choices(YesNoUnknown.choices),
    )
    family_situation = forms.ChoiceField(
        label="Situation der Eltern",
        required=False,
        choices=_choices(FamilySituation.choices),
        help_text=UNKNOWN_HINT,
    )
    usual_residence = forms.ChoiceField(
        label="Wo lebte das Kind gewöhnlich?",
        required=False,
        choices=_choices(ResidenceBefore.choices),
    )
    prior_help = forms.ChoiceField(
        label="Leistung der Jugendhilfe bei Beginn der Einschätzung",
        required=False,
        choices=_choices(PriorHelp.choices),
    )
    endangerment = forms.MultipleChoiceField(
        label="Art der Gefährdung",
        required=False,
        choices=[(name, label) for name, (_code, label) in ENDANGERMENT_KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Nur bei akuter oder latenter Kindeswohlgefährdung; mehrere möglich.",
    )
    consequences = forms.MultipleChoiceField(
        label="Konsequenz",
        required=False,
        choices=[(name, label) for name, (_code, label) in CONSEQUENCES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Familiengericht und Inobhutnahme werden aus ihren eigenen Einträgen gelesen.",
    )

    def __init__(self, *args: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level = level
        self.helper = form_helper(
            Fieldset(
                "Das Kind und seine Familie",
                Row(
                    Column("sex", css_class="col-md-4"),
                    Column("parent_foreign_origin", css_class="col-md-4"),
                    Column("german_at_home", css_class="col-md-4"),
                ),
                Row(
                    Column("family_situation", css_class="col-md-6"),
                    Column("usual_residence", css_class="col-md-6"),
                ),
                "prior_help",
            ),
            Fieldset("Ergebnis und Konsequenz", "endangerment", "consequences"),
            submit="Angaben speichern",
        )

    def items(self) -> RiskItems:
        data = self.cleaned_data
        return RiskItems(
            family_situation=data.get("family_situation", ""),
            usual_residence=data.get("usual_residence", ""),
            prior_help=data.get("prior_help", ""),
            endangerment=list(data.get("endangerment") or []),
            consequences=list(data.get("consequences") or []),
            sex=data.get("sex", ""),
            parent_foreign_origin=data.get("parent_foreign_origin", ""),
            german_at_home=data.get("german_at_home", ""),
        )

    def clean(self) -> dict:
        super().clean()
        rule_errors_add(self, risk_items_errors(level=self.level, items=self.items()))
        return self.cleaned_data
