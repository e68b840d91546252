"""Casework steps that move money: commissioning a Träger, ending a help, changing a case's status.

Each is one transaction that does the casework step through the cases service and the money step
here, in the order a reader expects: the assignment, then its commitment; the help's end, then
what its commitments no longer need. Budgets sits above cases in the house plan
(docs/architecture.md), so cases knows nothing of money and the views of these three steps live
in `budgets.casework_views`. If the budget refuses (more than is free, no agreed rate), the
casework step is rolled back with it and the form shows the German message.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from budgets.assignments import assignment_commitment_book, assignment_commitment_end
from cases import services as casework
from cases.models import Assignment, AssignmentStatus, Case, Help
from sozialraum.models import Provider, ProviderAlliance, User


@dataclass(frozen=True)
class Commissioned:
    """The new assignment and what the person who commissioned it should be told about money."""

    assignment: Assignment
    notices: list[str] = field(default_factory=list)


@transaction.atomic
def assignment_commission(
    *,
    user: User,
    help_: Help,
    provider: Provider,
    starts_on: datetime.date,
    ends_on: datetime.date,
    alliance: ProviderAlliance | None = None,
    provider_contact: str = "",
    instructions: str = "",
    override_reason: str = "",
    with_home_visits: bool = False,
    help_extension_reason: str = "",
) -> Commissioned:
    """Commission `provider` with carrying out `help_` and bind its cost in the region's budget.

    Refused (ValidationError, nothing stored) when the casework rules or the budget say no: a
    caseworker cannot bind more than is free; a team lead may, with `override_reason`, which the
    commitment keeps. Two commissions at the same moment queue on the budget row's lock, so
    together they never bind more than is free.
    """
    assignment = casework.assignment_create(
        user=user,
        help_=help_,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        alliance=alliance,
        provider_contact=provider_contact,
        instructions=instructions,
        with_home_visits=with_home_visits,
        help_extension_reason=help_extension_reason,
    )
    notice = assignment_commitment_book(
        assignment=assignment, user=user, override_reason=override_reason.strip()
    )
    return Commissioned(assignment=assignment, notices=[notice] if notice else [])


def _running_assignments(**where: object) -> list[int]:
    return list(
        Assignment.objects.filter(status=AssignmentStatus.ACTIVE, **where).values_list(
            "pk", flat=True
        )
    )


def _release_ended(assignment_ids: list[int], *, user: User) -> None:
    """Release the commitments of those of these assignments that the casework step ended."""
    ended = Assignment.objects.filter(pk__in=assignment_ids, status=AssignmentStatus.ENDED)
    for assignment in ended.order_by("pk"):
        assert assignment.ended_on is not None  # an ended assignment has its end day
        assignment_commitment_end(assignment=assignment, user=user, ended_on=assignment.ended_on)


@transaction.atomic
def help_end(*, user: User, help_: Help, ended_on: datetime.date) -> Help:
    """End a help; its running assignment ends with it and frees what it no longer needs."""
    running = _running_assignments(help=help_)
    help_ = casework.help_end(user=user, help_=help_, ended_on=ended_on)
    _release_ended(running, user=user)
    return help_


@transaction.atomic
def case_transition(
    *, user: User, case: Case, to_status: str, reason: str = "", end_reason: str = ""
) -> Case:
    """Change a case's status; closing it (or withdrawing a decision) ends its helps, and their
    assignments free what they no longer need."""
    running = _running_assignments(case=case)
    case = casework.case_transition(
        user=user, case=case, to_status=to_status, reason=reason, end_reason=end_reason
    )
    _release_ended(running, user=user)
    return case
