"""Reads for letters: the plain-value context each letter is rendered with, the templates'
current versions, a case's sent letters, the batches a user may follow.

The contexts hold strings, dates, numbers, lists and dicts only — never a model instance — so a
letter template cannot reach past the placeholders `documents.letters_schema` documents. Every
function takes objects already loaded through the case access rules (`cases.permissions`).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import number_format

from cases.models import (
    Assignment,
    AssignmentStatus,
    Case,
    Help,
    HelpPlan,
    HelpPlanReview,
    Person,
    PersonRole,
)
from cases.selectors import goals_with_steps, open_reviews, reviews_overdue_for
from documents.letters_schema import LetterKind, legal_remedy_text
from documents.models import (
    DecisionNotice,
    HelpPlanAgreement,
    LetterBatch,
    LetterTemplate,
    LetterTemplateVersion,
    SentLetter,
)
from sozialraum.models import User


def template_current(kind: str) -> LetterTemplateVersion | None:
    """The newest version of the template of `kind`, or None before the first use."""
    return (
        LetterTemplateVersion.objects.filter(template__kind=kind)
        .select_related("template")
        .order_by("-number")
        .first()
    )


def templates_overview() -> list[tuple[LetterTemplate, LetterTemplateVersion | None]]:
    """Every template with its newest version, in the order of `LetterKind`."""
    current = {kind: template_current(kind) for kind in LetterKind.values}
    templates = {t.kind: t for t in LetterTemplate.objects.all()}
    return [(templates[kind], current[kind]) for kind in LetterKind.values if kind in templates]


def template_versions(kind: str) -> QuerySet[LetterTemplateVersion]:
    return (
        LetterTemplateVersion.objects.filter(template__kind=kind)
        .select_related("created_by")
        .order_by("-number")
    )


# Building blocks ---------------------------------------------------------------------------------


def _scope_text(help_: Help) -> str:
    if help_.hours_per_week is not None:
        hours = help_.hours_per_week.normalize() if help_.hours_per_week else Decimal(0)
        return f"{number_format(hours, use_l10n=True)} Fachleistungsstunden pro Woche"
    if help_.placement_location:
        return f"Unterbringung {help_.get_placement_location_display()}"
    return "Unterbringung"


def _help(help_: Help) -> dict:
    assignment = (
        help_.assignments.filter(status=AssignmentStatus.ACTIVE).select_related("provider").first()
    )
    return {
        "name": help_.help_type.name,
        "legal_basis": help_.help_type.paragraph,
        "starts_on": help_.starts_on,
        "planned_end_on": help_.planned_end_on,
        "scope": _scope_text(help_),
        "provider": assignment.provider.name if assignment else "",
    }


def _goals(case: Case, goal_ids: set[int] | None) -> list[dict]:
    return [
        {
            "text": item.goal.text,
            "achieved_on": item.goal.achieved_on,
            "steps": [
                {
                    "text": step.text,
                    "who": step.get_owner_display(),
                    "due_on": step.due_on,
                    "done_on": step.done_on,
                }
                for step in item.steps
            ],
        }
        for item in goals_with_steps(case)
        if goal_ids is None or item.goal.pk in goal_ids
    ]


def _family_recipient(case: Case, person: Person | None = None) -> tuple[dict, str]:
    """The address and the greeting of a letter to the family: the named person, else the
    guardians (by name), else the family name of the case's people."""
    persons = list(case.persons.all())
    if person is not None:
        names = [f"{person.first_name} {person.last_name}"]
    else:
        guardians = [p for p in persons if p.role == PersonRole.GUARDIAN]
        names = [f"{p.first_name} {p.last_name}" for p in guardians]
        if not names and persons:
            names = [f"Familie {persons[0].last_name}"]
    name = " und ".join(names) if names else "Familie"
    street = f"{case.street} {case.house_number}".strip()
    return (
        {"name": name, "street": street, "postcode": case.postcode, "city": ""},
        f"Guten Tag {name},",
    )


def letter_writer(user: User) -> dict:
    """A letter's `caseworker`: the person's name with the contact data of their team (the
    letters of every app use it: `documents.letters_schema`)."""
    team = user.asd_team
    return {
        "name": user.get_full_name() or user.username,
        "phone": team.phone if team else "",
        "email": team.email if team else "",
        "team": team.name if team else "",
    }


def letter_common(
    *, case: Case, recipient: dict, salutation: str, writer: User, today: datetime.date
) -> dict:
    """The values every letter's layout reads (office, date, case number, addressee, writer)."""
    return {
        "office": {"name": settings.OFFICE_NAME},
        "today": today,
        "case_number": case.number,
        "recipient": recipient,
        "salutation": salutation,
        "caseworker": letter_writer(writer),
    }


def _common(case: Case, recipient: dict, salutation: str, today: datetime.date) -> dict:
    return letter_common(
        case=case,
        recipient=recipient,
        salutation=salutation,
        writer=case.steering_caseworker,
        today=today,
    )


def _review_values(review: HelpPlanReview) -> dict:
    invited = [f"{p.first_name} {p.last_name}" for p in review.invited_persons.all()]
    if review.invited_provider is not None:
        invited.append(review.invited_provider.name)
    if review.invited_others:
        invited.append(review.invited_others)
    return {
        "date": review.due_on,
        "time": review.time,
        "place": review.place,
        "invited": invited,
    }


# The contexts of the four letters ---------------------------------------------------------------


def help_plan_letter_context(*, plan: HelpPlan, today: datetime.date) -> dict:
    """The Hilfeplan as the family reads it: its goals in the family's words, the steps (who
    does what by when) and the next Hilfeplangespräch."""
    case = plan.case
    recipient, salutation = _family_recipient(case)
    goal_ids = set(plan.goals.values_list("pk", flat=True))
    next_review = open_reviews().filter(help_plan=plan).order_by("due_on", "pk").first()
    children = [
        p.first_name
        for p in case.persons.all()
        if p.role == PersonRole.CHILD  # the letter names the children by first name only
    ]
    return {
        **_common(case, recipient, salutation, today),
        "help": _help(plan.help),
        "children": children,
        "concern": case.concern,
        "goals": _goals(case, goal_ids),
        "next_review": (
            {"date": next_review.due_on, "time": next_review.time, "place": next_review.place}
            if next_review
            else None
        ),
    }


def invitation_context(*, review: HelpPlanReview, today: datetime.date) -> dict:
    plan = review.help_plan
    case = review.case
    recipient, salutation = _family_recipient(case)
    goal_ids = set(plan.goals.values_list("pk", flat=True))
    return {
        **_common(case, recipient, salutation, today),
        "help": _help(plan.help),
        "goals": _goals(case, goal_ids),
        "review": _review_values(review),
    }


def decision_notice_context(*, notice: DecisionNotice, today: datetime.date) -> dict:
    case = notice.case
    recipient, salutation = _family_recipient(case, notice.recipient)
    help_ = notice.help
    return {
        **_common(case, recipient, salutation, today),
        "decision": {
            "granted": notice.outcome == "granted",
            "help_name": notice.help_type.name,
            "legal_basis": notice.legal_basis.strip(),
            "starts_on": help_.starts_on if help_ else None,
            "planned_end_on": help_.planned_end_on if help_ else None,
            "scope": _scope_text(help_) if help_ else "",
            "reasons": notice.reasons,
            "decided_on": notice.decided_on,
            "applied_on": notice.applied_on,
        },
        "legal_remedy": legal_remedy_text(office=settings.OFFICE_NAME),
    }


def commission_notice_context(*, assignment: Assignment, today: datetime.date) -> dict:
    """The notice to the Träger: the commission, its goals, no more of the family than the
    commission needs (the case number; the address only with home visits)."""
    case = assignment.case
    provider = assignment.provider
    recipient = {
        "name": provider.name,
        "street": provider.street,
        "postcode": provider.postcode,
        "city": provider.city,
    }
    help_ = assignment.help
    try:
        plan: HelpPlan | None = help_.help_plan
    except HelpPlan.DoesNotExist:
        plan = None
    goal_ids = set(plan.goals.values_list("pk", flat=True)) if plan else set()
    return {
        **_common(case, recipient, "Sehr geehrte Damen und Herren,", today),
        "help": _help(help_),
        "goals": _goals(case, goal_ids),
        "assignment": {
            "starts_on": assignment.starts_on,
            "ends_on": assignment.ends_on,
            "instructions": assignment.instructions,
            "with_home_visits": assignment.with_home_visits,
            "contact": assignment.provider_contact,
        },
    }


# Sent letters, agreements, batches ---------------------------------------------------------------


def letters_of_case(case: Case) -> QuerySet[SentLetter]:
    return SentLetter.objects.filter(case=case).select_related("document", "created_by")


def letters_of_help_plan(plan: HelpPlan) -> list[SentLetter]:
    return list(letters_of_case(plan.case).filter(kind=LetterKind.HELP_PLAN, help_plan=plan)[:20])


def letter_latest(*, case: Case, kind: str, **subject: object) -> SentLetter | None:
    """The last letter of `kind` about the same thing (the help plan, the review …): the one
    a new letter replaces."""
    return (
        SentLetter.objects.filter(case=case, kind=kind, **subject)
        .select_related("document")
        .order_by("-id")
        .first()
    )


def agreements_of_help_plan(plan: HelpPlan) -> list[HelpPlanAgreement]:
    return list(
        HelpPlanAgreement.objects.filter(help_plan=plan).select_related(
            "document", "recorded_by", "letter__document"
        )
    )


def reviews_for_batch(user: User) -> QuerySet[HelpPlanReview]:
    """The overdue Hilfeplangespräche whose invitations a batch sends: those whose alerts
    reach the user (team leads: the region's, caseworkers: their own and those they cover)."""
    return reviews_overdue_for(user)


def batch_for_user(*, user: User, pk: int) -> LetterBatch:
    """A batch the user requested (404 for anyone else's)."""
    batch = LetterBatch.objects.filter(pk=pk, requested_by=user).first()
    if batch is None:
        raise Http404("Briefstapel nicht gefunden.")
    return batch
