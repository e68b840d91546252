"""Demo data of the letters: the shipped templates, one Hilfeplan sent to a Nord family as a
letter (a stored PDF on its case) and the family's agreement given in the meeting."""

from django.utils import timezone

from cases.models import HelpPlan
from documents.letters import (
    help_plan_agreement_record,
    help_plan_letter_send,
    letter_templates_ensure,
)
from documents.letters_schema import LetterKind
from documents.models import AgreementWay, SentLetter
from sozialraum.models import User


def letters_demo_build() -> None:
    letter_templates_ensure()
    if SentLetter.objects.filter(kind=LetterKind.HELP_PLAN).exists():
        return
    user = User.objects.filter(username="asd-nord").first()
    plan = (
        HelpPlan.objects.filter(case__steering_caseworker=user, help__ended_on__isnull=True)
        .select_related("case", "help__help_type")
        .order_by("id")
        .first()
    )
    if user is None or plan is None:
        return
    help_plan_letter_send(user=user, plan=plan)
    guardians = [f"{p.first_name} {p.last_name}" for p in plan.case.persons.filter(role="guardian")]
    help_plan_agreement_record(
        user=user,
        plan=plan,
        way=AgreementWay.MEETING,
        given_on=timezone.localdate(),
        given_by=", ".join(guardians) or "die Familie",
        note="Im Hilfeplangespräch vorgelesen und besprochen.",
    )
