"""Reads of sharings: the case's list of sharings and consents, and what a provider sees.

What a provider's staff see of a family beyond the commission itself follows its basis:

- the commission under § 36 SGB VIII covers what the commissioned help needs: the help plan's
  current goals, and the family's address when the help includes home visits
  (`Assignment.with_home_visits`, set when commissioning);
- a consent given to that provider extends it (address, resources, goals) from the day it was
  given until it expires or is withdrawn;
- all of it only while the assignment runs: on an ended assignment none of these sections is
  shown, whatever the basis.

The assignment comes from `permissions.assignment_for_user`, so another provider never gets
this far (404).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from cases.models import (
    SHARING_STATUS,
    Assignment,
    AssignmentStatus,
    Case,
    Goal,
    Person,
    Resource,
    Sharing,
    SharingBasis,
)


@dataclass(frozen=True)
class SharingRow:
    sharing: Sharing
    status: str  # a key of SHARING_STATUS
    status_label: str

    @property
    def can_withdraw(self) -> bool:
        return self.sharing.basis == SharingBasis.CONSENT and self.sharing.withdrawn_on is None


def sharings_of_case(*, case: Case, today: datetime.date) -> list[SharingRow]:
    """The case's sharings and consents, newest first, each with its status on `today`."""
    rows = case.sharings.select_related("provider", "given_by", "withdrawn_by", "recorded_by")
    result = []
    for sharing in rows:
        status = sharing.status_on(today)
        result.append(
            SharingRow(sharing=sharing, status=status, status_label=SHARING_STATUS[status])
        )
    return result


def consents_valid_on(day: datetime.date) -> QuerySet[Sharing]:
    """Consents in force on `day`: given, not expired, not withdrawn."""
    return Sharing.objects.filter(basis=SharingBasis.CONSENT, given_on__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
    )


@dataclass
class Grant:
    """On which basis a provider sees one kind of data: the commission and/or consents."""

    commission: bool = False
    consents: list[Sharing] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.commission or bool(self.consents)


@dataclass
class ProviderShare:
    """What the provider of a running assignment sees of the family, and on which basis.
    Each data field is None where no basis covers it (the page then leaves the section out)."""

    running: bool
    address: Grant = field(default_factory=Grant)
    resources: Grant = field(default_factory=Grant)
    goals: Grant = field(default_factory=Grant)
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    # The family's telephone numbers as (name, number): contact data, shared with the address.
    phones: list[tuple[str, str]] = field(default_factory=list)
    resource_list: list[Resource] | None = None
    goal_list: list[Goal] | None = None

    @property
    def shows_address(self) -> bool:
        return bool(self.address)

    @property
    def categories_shown(self) -> list[str]:
        """The kinds of data the page shows, for the audit entries of the read."""
        return [
            name
            for name, grant in (
                ("address", self.address),
                ("resources", self.resources),
                ("goals", self.goals),
            )
            if grant
        ]


def assignment_is_running(assignment: Assignment) -> bool:
    return assignment.status == AssignmentStatus.ACTIVE and assignment.ended_on is None


def _current_goals(assignment: Assignment) -> list[Goal]:
    """The goals of the help plan of the assignment's help that are not reached yet (the case's
    open goals where the plan names none), each with its steps prefetched."""
    open_goals = Goal.objects.filter(
        case_id=assignment.case_id, achieved_on__isnull=True
    ).prefetch_related("steps")
    of_plan = list(open_goals.filter(help_plans__help_id=assignment.help_id).order_by("id"))
    return of_plan or list(open_goals.order_by("id"))


def provider_share(
    *, assignment: Assignment, today: datetime.date, persons: Sequence[Person]
) -> ProviderShare:
    """What the assignment's provider sees of the family on `today`, with the basis of each.
    `persons`: the case's people, as the page has read them; their telephone numbers are
    contact data like the address (a consent's "Adresse und Kontaktdaten") and are shown only
    where the address is."""
    if not assignment_is_running(assignment):
        return ProviderShare(running=False)
    consents = list(
        consents_valid_on(today)
        .filter(case_id=assignment.case_id, provider_id=assignment.provider_id)
        .select_related("given_by")
        .order_by("given_on", "id")
    )
    share = ProviderShare(
        running=True,
        address=Grant(
            commission=assignment.with_home_visits,
            consents=[c for c in consents if c.covers_address],
        ),
        resources=Grant(consents=[c for c in consents if c.covers_resources]),
        goals=Grant(commission=True, consents=[c for c in consents if c.covers_goals]),
    )
    case = assignment.case
    if share.address:
        share.street, share.house_number, share.postcode = (
            case.street,
            case.house_number,
            case.postcode,
        )
        share.phones = [
            (f"{person.first_name} {person.last_name}", person.phone)
            for person in persons
            if person.phone
        ]
    if share.resources:
        share.resource_list = list(case.resources.select_related("partner"))
    share.goal_list = _current_goals(assignment)
    return share
