"""Forms of the Hilfeplan: the plan section of the help decision, scheduling a Hilfeplangespräch
and recording it. They check what a form can (dates against the help's start, today and the
office's rule) so that every problem shows after one submit; the services check it again."""

import datetime
from typing import Any, cast

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils import timezone

from cases.forms import HelpDecisionForm, date_field
from cases.forms_kjh import help_items_clean, help_items_layout, help_items_setup
from cases.models import Case, Goal, Help, HelpPlanReview, Person, StepOwner
from cases.services import (
    StepInput,
    review_date_errors,
    review_due_default,
    review_interval_months,
)
from sozialraum.form_helpers import CHOOSE, form_helper
from sozialraum.models import Provider

NEW_GOALS = 2  # new goals the decision form offers
FIRST_STEPS = 3  # first steps the decision form offers


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.text


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        relation = obj.relation or obj.get_role_display()
        return f"{obj.first_name} {obj.last_name} ({relation})"


def _months_text(months: int) -> str:
    return "einen Monat" if months == 1 else f"{months} Monate"


class HelpPlanDecisionForm(HelpDecisionForm):
    """The help decision with its Hilfeplan section: the goals of this help (the case's
    Grobziele and new ones, in the family's words), the first steps and the first review."""

    goals = GoalChoiceField(
        label="Grobziele des Falls, an denen diese Hilfe arbeitet",
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_review_on = date_field("Erstes Hilfeplangespräch am", required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goals = case.goals.filter(achieved_on__isnull=True).order_by("id")
        goals_field = cast(forms.ModelMultipleChoiceField, self.fields["goals"])
        goals_field.queryset = goals
        goals_field.initial = list(goals)
        self._case_goals = list(goals)
        self.case = case  # the help's period and hours are checked with the plan (HelpDecisionForm)
        for number in range(1, NEW_GOALS + 1):
            self.fields[f"new_goal_{number}"] = forms.CharField(
                label=f"Neues Ziel {number} (in den Worten der Familie)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        goal_choices = [
            ("", CHOOSE),
            *((f"g{goal.pk}", _shorten(goal.text)) for goal in self._case_goals),
            *((f"n{index}", f"Neues Ziel {index + 1}") for index in range(NEW_GOALS)),
        ]
        for number in range(1, FIRST_STEPS + 1):
            self.fields[f"step_{number}_text"] = forms.CharField(
                label="Was", required=False, max_length=2000
            )
            self.fields[f"step_{number}_goal"] = forms.ChoiceField(
                label="Zu welchem Ziel", choices=goal_choices, required=False
            )
            self.fields[f"step_{number}_owner"] = forms.ChoiceField(
                label="Wer", choices=[("", CHOOSE), *StepOwner.choices], required=False
            )
            self.fields[f"step_{number}_due_on"] = date_field("Bis wann", required=False)
        months = review_interval_months()
        self.fields["first_review_on"].initial = review_due_default(timezone.localdate())
        self.fields["first_review_on"].help_text = (
            f"Regel des Amtes: {_months_text(months)} nach Beginn der Hilfe (vorgeschlagen für "
            "eine Hilfe ab heute). Leer lassen: nach der Regel ab dem Beginn."
        )
        plan = Fieldset(
            "Hilfeplan",
            "goals",
            *(f"new_goal_{number}" for number in range(1, NEW_GOALS + 1)),
            *(
                Fieldset(
                    f"Erster Schritt {number}",
                    Row(
                        Column(f"step_{number}_text", css_class="col-md-4"),
                        Column(f"step_{number}_goal", css_class="col-md-3"),
                        Column(f"step_{number}_owner", css_class="col-md-2"),
                        Column(f"step_{number}_due_on", css_class="col-md-3"),
                    ),
                )
                for number in range(1, FIRST_STEPS + 1)
            ),
            "first_review_on",
        )
        # The plan goes before the submit button, which is the layout's last item.
        self.helper.layout.insert(len(self.helper.layout.fields) - 1, plan)
        # The KJH statistics' items known at the decision (cases.forms_kjh), after the plan.
        help_items_setup(self, case=case)
        self.helper.layout.insert(len(self.helper.layout.fields) - 1, help_items_layout())

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        starts_on: datetime.date | None = data.get("starts_on")
        goals = list(data.get("goals") or [])
        new_goals = [data.get(f"new_goal_{n}", "").strip() for n in range(1, NEW_GOALS + 1)]
        if not goals and not any(new_goals):
            self.add_error(
                "goals",
                "Bitte wählen Sie mindestens ein Ziel dieser Hilfe oder schreiben Sie ein "
                "neues auf.",
            )
        steps: list[StepInput] = []
        for number in range(1, FIRST_STEPS + 1):
            step = self._clean_step(number, goals=goals, new_goals=new_goals, starts_on=starts_on)
            if step is not None:
                steps.append(step)
        first_review_on = data.get("first_review_on")
        if starts_on and first_review_on:
            for field, message in review_date_errors(
                on=first_review_on,
                after=starts_on,
                field="first_review_on",
                after_label="dem Beginn der Hilfe",
            ).items():
                self.add_error(field, message)
        self.plan = {
            "goals": goals,
            "new_goals": new_goals,
            "steps": steps,
            "first_review_on": first_review_on,
            "statistics": help_items_clean(
                self,
                case=cast(Case, self.case),  # set in __init__
                help_type=data.get("help_type"),
                starts_on=starts_on,
            ),
        }
        return data

    def _clean_step(
        self,
        number: int,
        *,
        goals: list[Goal],
        new_goals: list[str],
        starts_on: datetime.date | None,
    ) -> StepInput | None:
        prefix = f"step_{number}_"
        text = self.cleaned_data.get(prefix + "text", "").strip()
        goal_ref = self.cleaned_data.get(prefix + "goal", "")
        owner = self.cleaned_data.get(prefix + "owner", "")
        due_on = self.cleaned_data.get(prefix + "due_on")
        if not (text or goal_ref or owner or due_on):
            return None  # an empty row
        if not text:
            self.add_error(prefix + "text", "Bitte beschreiben Sie den Schritt.")
        if not owner:
            self.add_error(prefix + "owner", "Bitte wählen Sie, wer den Schritt übernimmt.")
        goal: Goal | int | None = None
        if goal_ref.startswith("n"):
            index = int(goal_ref[1:])
            if new_goals[index]:
                goal = index
            else:
                self.add_error(prefix + "goal", f"„Neues Ziel {index + 1}“ ist noch leer.")
        elif goal_ref.startswith("g"):
            goal = next((g for g in goals if f"g{g.pk}" == goal_ref), None)
            if goal is None:
                self.add_error(
                    prefix + "goal", "Dieses Ziel ist oben nicht als Ziel der Hilfe gewählt."
                )
        else:
            self.add_error(prefix + "goal", "Bitte wählen Sie, zu welchem Ziel der Schritt gehört.")
        if due_on and starts_on and due_on < starts_on:
            self.add_error(
                prefix + "due_on", "Der Schritt kann nicht vor dem Beginn der Hilfe fällig sein."
            )
        if not text or not owner or goal is None:
            return None
        return StepInput(goal=goal, text=text, owner=owner, due_on=due_on)

    def service_kwargs(self) -> dict[str, Any]:
        """The arguments of `cases.services.help_decide`: the help's and its plan's."""
        help_fields = (
            "help_type",
            "hours_per_week",
            "monthly_cost",
            "placement_location",
            "starts_on",
            "planned_end_on",
            "rationale",
            "confirmed_warnings",  # „Trotzdem speichern“ (sozialraum.plausibility)
        )
        return {
            **{name: self.cleaned_data[name] for name in help_fields if name in self.cleaned_data},
            **self.plan,
        }


def _shorten(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class ReviewScheduleForm(forms.Form):
    """A Hilfeplangespräch as an appointment; moving one already scheduled asks for a reason."""

    on = date_field("Datum")
    time = forms.TimeField(label="Uhrzeit", widget=TimeInput())
    place = forms.CharField(
        label="Ort", max_length=200, help_text="z. B. im ASD Nord, Raum 2.14, oder bei der Familie"
    )
    persons = PersonChoiceField(
        label="Eingeladene Personen des Falls",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label="Weitere Eingeladene",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="z. B. Klassenlehrerin, Dolmetscher",
    )

    def __init__(
        self,
        *args: Any,
        review: HelpPlanReview,
        help_: Help,
        provider: Provider | None,
        invited_ids: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.review, self.help_ = review, help_
        cast(
            forms.ModelMultipleChoiceField, self.fields["persons"]
        ).queryset = review.case.persons.order_by("role", "id")
        self.fields["on"].initial = review.due_on
        self.fields["time"].initial = review.time
        self.fields["place"].initial = review.place
        self.fields["persons"].initial = invited_ids
        self.fields["others"].initial = review.invited_others
        parts: list[Any] = [
            Row(
                Column("on", css_class="col-md-3"),
                Column("time", css_class="col-md-2"),
                Column("place", css_class="col-md-7"),
            ),
        ]
        invitations: list[Any] = ["persons"]
        if provider is not None:
            self.fields["invite_provider"] = forms.BooleanField(
                label=f"Den beauftragten Träger einladen: {provider.name}",
                required=False,
                initial=review.invited_provider_id is not None or not review.is_scheduled,
            )
            invitations.append("invite_provider")
        invitations.append("others")
        parts.append(Fieldset("Eingeladen", *invitations))
        if review.is_scheduled:
            self.fields["reason"] = forms.CharField(
                label="Grund der Verschiebung",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Nötig, wenn sich Datum oder Uhrzeit ändern.",
            )
            parts.append("reason")
        self.helper = form_helper(
            *parts, submit="Termin verschieben" if review.is_scheduled else "Termin planen"
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        on, time = data.get("on"), data.get("time")
        review = self.review
        moved = review.is_scheduled and on and time and (on, time) != (review.due_on, review.time)
        if on and (moved or not review.is_scheduled) and on < timezone.localdate():
            self.add_error("on", "Ein Termin kann nicht in der Vergangenheit liegen.")
        elif on and on < self.help_.starts_on:
            self.add_error(
                "on",
                "Der Termin kann nicht vor dem Beginn der Hilfe "
                f"({self.help_.starts_on:%d.%m.%Y}) liegen.",
            )
        if moved and not data.get("reason", "").strip():
            self.add_error("reason", "Bitte nennen Sie den Grund der Verschiebung.")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "on": data["on"],
            "time": data["time"],
            "place": data["place"],
            "persons": list(data["persons"]),
            "invite_provider": data.get("invite_provider", False),
            "others": data["others"],
            "reason": data.get("reason", ""),
        }


class ReviewRecordForm(forms.Form):
    """The record of a Hilfeplangespräch, on its appointment, and the date of the next one."""

    held_on = date_field("Gespräch fand statt am")
    participants = forms.CharField(
        label="Teilnehmende",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Vorbelegt mit den Eingeladenen; bitte anpassen, wer tatsächlich da war.",
    )
    summary = forms.CharField(label="Ergebnis", widget=forms.Textarea(attrs={"rows": 4}))
    next_due_on = date_field("Nächstes Hilfeplangespräch am", required=False)

    def __init__(self, *args: Any, help_: Help, invited: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_ = help_
        today = timezone.localdate()
        self.fields["held_on"].initial = today
        self.fields["participants"].initial = ", ".join(invited)
        self.fields["next_due_on"].help_text = (
            f"Leer lassen: nach der Regel des Amtes {_months_text(review_interval_months())} "
            "nach diesem Gespräch."
        )
        self.helper = form_helper(
            Row(
                Column("held_on", css_class="col-md-6"),
                Column("next_due_on", css_class="col-md-6"),
            ),
            "participants",
            "summary",
            submit="Hilfeplangespräch speichern",
        )

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        held_on, next_due_on = data.get("held_on"), data.get("next_due_on")
        if held_on and held_on > timezone.localdate():
            self.add_error("held_on", "Ein Gespräch in der Zukunft kann nicht erfasst werden.")
        elif held_on and held_on < self.help_.starts_on:
            self.add_error(
                "held_on",
                "Das Gespräch kann nicht vor dem Beginn der Hilfe "
                f"({self.help_.starts_on:%d.%m.%Y}) stattgefunden haben.",
            )
        if held_on and next_due_on:
            if next_due_on <= held_on:
                self.add_error("next_due_on", "Das nächste Gespräch muss nach diesem liegen.")
            else:
                for field, message in review_date_errors(
                    on=next_due_on,
                    after=held_on,
                    field="next_due_on",
                    after_label="diesem Gespräch",
                ).items():
                    self.add_error(field, message)
        return data


class ClosingReviewForm(ReviewRecordForm):
    """The closing Hilfeplangespräch of an ended help: held on, who took part, the result; no
    next appointment."""

    def __init__(self, *args: Any, help_: Help, **kwargs: Any) -> None:
        super().__init__(*args, help_=help_, invited=[], **kwargs)
        del self.fields["next_due_on"]
        self.fields["participants"].help_text = ""
        self.helper = form_helper(
            "held_on", "participants", "summary", submit="Abschlussgespräch speichern"
        )
