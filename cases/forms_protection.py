"""Forms of § 8a child protection. They check the same rules as `cases.protection` (its
`*_errors` functions), so a form shows every problem at once; the services decide."""

from collections.abc import Sequence
from typing import Any, cast

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cases.forms import StaffMultipleChoiceField, date_field
from cases.kjh_protection_items import ENDANGERMENT_KINDS
from cases.models import ConcernChannel, ConcernSource, Person, RiskLevel
from cases.protection import (
    ConcernInput,
    Errors,
    ResultInput,
    concern_errors,
    result_errors,
    review_on_errors,
)
from sozialraum.form_helpers import CHOOSE, CheckboxList, form_helper
from sozialraum.models import User

OPEN = "noch offen – das Ergebnis wird später erfasst"


class ChildChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        born = f" (geb. {obj.birth_date:%d.%m.%Y})" if obj.birth_date else ""
        return f"{obj.first_name} {obj.last_name}{born}"


def rule_errors_add(form: forms.Form, errors: Errors) -> None:
    """Add the rules' messages to fields that have no error yet (a field Django already
    refused, e.g. an unreadable date, keeps its own message)."""
    for name, messages in errors.items():
        target = name if name in form.fields else None
        if target and target in form.errors:
            continue
        for message in messages:
            form.add_error(target, message)


class _ResultFields(forms.Form):
    """The result of an assessment and who assessed it together."""

    level = forms.ChoiceField(label="Ergebnis", required=False, widget=forms.RadioSelect)
    endangerment = forms.MultipleChoiceField(
        label="Art der Gefährdung (bei akuter oder latenter Gefährdung)",
        required=False,
        choices=[(name, label) for name, (_code, label) in ENDANGERMENT_KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Für die Statistik (§ 8a); mehrere möglich.",
    )
    assessors = StaffMultipleChoiceField(
        label="Gemeinsam eingeschätzt von",
        queryset=User.objects.none(),
        required=False,
        widget=CheckboxList,
        help_text="Mindestens zwei Fachkräfte (Zusammenwirken mehrerer Fachkräfte).",
    )
    experienced_professional = forms.CharField(
        label="Insoweit erfahrene Fachkraft (§ 8a Abs. 4)",
        max_length=120,
        required=False,
        help_text="Name und Stelle, z. B. „Frau Albers, Kinderschutzzentrum“.",
    )
    child_seen = forms.BooleanField(label="Das Kind wurde gesehen.", required=False)
    child_seen_on = date_field("Kind gesehen am", required=False)
    child_seen_by = forms.CharField(label="Kind gesehen von", max_length=200, required=False)

    by_provider = False

    def _result_setup(self, *, staff: QuerySet[User], by_provider: bool, optional: bool) -> None:
        self.by_provider = by_provider
        cast(forms.ModelChoiceField, self.fields["assessors"]).queryset = staff
        choices = list(RiskLevel.choices)
        cast(forms.ChoiceField, self.fields["level"]).choices = (
            [("", OPEN), *choices] if optional else choices
        )
        if optional:
            self.fields["level"].initial = ""
        if not by_provider:
            del self.fields["experienced_professional"]

    def _result_layout(self) -> Fieldset:
        return Fieldset(
            "Ergebnis der Einschätzung",
            "level",
            "endangerment",
            "assessors",
            *(["experienced_professional"] if self.by_provider else []),
            "child_seen",
            Row(
                Column("child_seen_on", css_class="col-md-4"),
                Column("child_seen_by", css_class="col-md-8"),
            ),
        )

    def result_input(self) -> ResultInput | None:
        data = self.cleaned_data
        if not data.get("level"):
            return None
        return ResultInput(
            level=data["level"],
            assessors=list(data.get("assessors") or []),
            experienced_professional=data.get("experienced_professional", ""),
            child_seen=bool(data.get("child_seen")),
            child_seen_on=data.get("child_seen_on"),
            child_seen_by=data.get("child_seen_by", ""),
            endangerment=list(data.get("endangerment") or []),
        )

    def _result_check(self, *, required: bool) -> None:
        result = self.result_input()
        if result is None:
            if required and "level" not in self.errors:
                self.add_error("level", "Bitte wählen Sie das Ergebnis der Einschätzung.")
            return
        rule_errors_add(
            self,
            result_errors(result=result, by_provider=self.by_provider, today=timezone.localdate()),
        )


class RiskReportForm(_ResultFields):
    """A concern for one or more children of a case: one assessment per child, same facts.

    The ASD may record the result later (level "noch offen"); a provider records it at once."""

    children = ChildChoiceField(
        label="Kinder",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Für jedes gewählte Kind entsteht eine eigene Einschätzung.",
    )
    known_on = date_field("Bekannt geworden am", required=False)
    known_channel = forms.ChoiceField(
        label="Wie bekannt geworden",
        required=False,
        choices=[("", CHOOSE), *ConcernChannel.choices],
    )
    source = forms.ChoiceField(
        label="Hinweis von", required=False, choices=[("", CHOOSE), *ConcernSource.choices]
    )
    source_detail = forms.CharField(
        label="Hinweisgebende Stelle oder Person",
        max_length=200,
        required=False,
        help_text="Zum Beispiel „Grundschule am Park, Klassenlehrerin“.",
    )
    facts = forms.CharField(
        label="Gewichtige Anhaltspunkte / Sachverhalt",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(
        self,
        *args: Any,
        children: QuerySet[Person],
        staff: QuerySet[User],
        by_provider: bool,
        assessor: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._result_setup(staff=staff, by_provider=by_provider, optional=not by_provider)
        cast(forms.ModelChoiceField, self.fields["children"]).queryset = children
        if len(children) == 1:
            self.fields["children"].initial = [children[0].pk]
        self.fields["known_on"].initial = timezone.localdate()
        if assessor is not None:
            self.fields["assessors"].initial = [assessor.pk]
        self.helper = form_helper(
            Fieldset(
                "Bekanntwerden",
                "children",
                Row(
                    Column("known_on", css_class="col-md-4"),
                    Column("known_channel", css_class="col-md-4"),
                    Column("source", css_class="col-md-4"),
                ),
                "source_detail",
                "facts",
            ),
            self._result_layout(),
            submit="Einschätzung speichern",
        )

    def clean(self) -> dict:
        super().clean()
        if not self.cleaned_data.get("children") and "children" not in self.errors:
            self.add_error("children", "Bitte wählen Sie mindestens ein Kind.")
        if "known_on" not in self.errors:
            rule_errors_add(
                self, concern_errors(concern=self.concern_input(), today=timezone.localdate())
            )
        self._result_check(required=self.by_provider)
        return self.cleaned_data

    def concern_input(self) -> ConcernInput:
        data = self.cleaned_data
        return ConcernInput(
            known_on=data.get("known_on"),
            known_channel=data.get("known_channel", ""),
            source=data.get("source", ""),
            source_detail=data.get("source_detail", ""),
            facts=data.get("facts", ""),
        )

    def chosen_children(self) -> Sequence[Person]:
        return list(self.cleaned_data["children"])


class RiskResultForm(_ResultFields):
    """The result of a reported concern."""

    def __init__(
        self, *args: Any, staff: QuerySet[User], by_provider: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._result_setup(staff=staff, by_provider=by_provider, optional=False)
        self.helper = form_helper(self._result_layout(), submit="Ergebnis speichern")

    def clean(self) -> dict:
        super().clean()
        self._result_check(required=True)
        return self.cleaned_data


class SafetyPlanForm(forms.Form):
    review_on = date_field(
        "Überprüfung am",
        required=False,
        help_text="Wann prüfen Sie, ob der Schutzplan wirkt? Nicht in der Vergangenheit.",
    )
    close = forms.BooleanField(
        label="Schutzplan abschließen (keine weitere Überprüfung nötig)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper("review_on", "close", submit="Schutzplan speichern")

    def clean(self) -> dict:
        super().clean()
        if "review_on" not in self.errors:
            review_on = self.cleaned_data.get("review_on")
            rule_errors_add(self, review_on_errors(review_on=review_on, today=timezone.localdate()))
        return self.cleaned_data


class SafetyMeasureForm(forms.Form):
    text = forms.CharField(label="Maßnahme", widget=forms.Textarea(attrs={"rows": 2}))
    responsible = forms.CharField(
        label="Wer", max_length=200, help_text="Zum Beispiel „Mutter“, „Kita“, „ASD, Frau Roth“."
    )
    due_on = date_field("Bis")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "text",
            Row(
                Column("responsible", css_class="col-md-8"), Column("due_on", css_class="col-md-4")
            ),
            submit="Maßnahme speichern",
        )


class FamilyCourtForm(forms.Form):
    called_on = date_field("Familiengericht angerufen am")
    court = forms.CharField(
        label="Gericht und Aktenzeichen",
        max_length=200,
        help_text="Zum Beispiel „Amtsgericht Lindenau, Familiengericht, 12 F 345/26“.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["called_on"].initial = timezone.localdate()
        self.helper = form_helper("called_on", "court", submit="Anrufung speichern")
