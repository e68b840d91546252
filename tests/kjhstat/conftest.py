"""Small known situations for the KJH statistics: helps built directly (factories), each item set
the way a caseworker completes them, so that a test changes one thing and sees its effect."""

import datetime
from decimal import Decimal

import pytest

from cases.models import CaseStatus, PersonRole, PlacementLocation
from cases.services import help_types_ensure
from tests.cases.factories import (
    AssignmentFactory,
    CaseFactory,
    HelpFactory,
    PersonFactory,
    help_type,
)

COMPLETE_HELP = {
    "residence_before": "1",
    "family_situation": "2",
    "transfer_payments": "1",
    "suggested_by": "2",
    "reason_main": "4",
    "reason_second": "6",
    "reason_third": "",
    "previous_help": "2",
}
COMPLETE_PERSON = {"sex": "2", "parent_foreign_origin": "2", "german_at_home": "1"}


@pytest.fixture(autouse=True)
def catalogue(db):
    help_types_ensure()


def child(case, *, born: datetime.date, **items):
    return PersonFactory(
        case=case, role=PersonRole.CHILD, birth_date=born, **{**COMPLETE_PERSON, **items}
    )


def help_build(
    *,
    code: str,
    starts_on: datetime.date,
    ended_on: datetime.date | None = None,
    born: datetime.date = datetime.date(2012, 7, 1),
    case=None,
    with_person: bool = True,
    provider=None,
    **items,
):
    """A complete help of the given type with its young person (unless `with_person` is off)."""
    case = case or CaseFactory(status=CaseStatus.RUNNING, opened_on=starts_on)
    person = child(case, born=born) if with_person else None
    kind = help_type(code)
    scope = (
        {"monthly_cost": Decimal("4500.00"), "placement_location": PlacementLocation.TOWN}
        if kind.is_placement
        else {"hours_per_week": Decimal("5.00")}
    )
    fields = {**COMPLETE_HELP, **scope, **items}
    if ended_on is not None:
        fields.setdefault("end_reason", "1")
    help_ = HelpFactory(
        case=case,
        help_type=kind,
        starts_on=starts_on,
        planned_end_on=max(starts_on, ended_on or starts_on) + datetime.timedelta(days=365),
        ended_on=ended_on,
        young_person=person,
        **fields,
    )
    if provider is not None:
        AssignmentFactory(help=help_, provider=provider)
    return help_
