# ruff: noqa: F811  (fixtures imported from the cases tests are parameters of the fixtures here)
"""Fixtures of the Leistungsnachweis tests: an hourly help and a placement of Träger A in Nord,
commissioned in 2026 with rate agreements, and a second team lead for four eyes."""

import datetime
from decimal import Decimal

import pytest

from budgets.commissioning import assignment_commission, case_transition
from budgets.models import ServiceUnit
from budgets.rates import rate_agreement_add
from cases.models import CaseStatus, PlacementLocation
from tests.cases.conftest import decide, heimerziehung, intake, provider_a_in_nord, spfh  # noqa: F401 (fixtures)
from tests.factories import UserFactory

START = datetime.date(2026, 3, 2)
END = datetime.date(2027, 2, 28)
APRIL = datetime.date(2026, 4, 1)


def commissioned(users, sozialraum, help_type, provider, **help_args):
    case = intake(
        user=users["caseworker"], sozialraum=sozialraum, opened_on=datetime.date(2026, 2, 2)
    )
    case = case_transition(user=users["caseworker"], case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(
        user=users["caseworker"],
        case=case,
        help_type=help_type,
        starts_on=START,
        planned_end_on=END,
        **help_args,
    )
    return assignment_commission(
        user=users["caseworker"],
        help_=help_,
        provider=provider,
        starts_on=START,
        ends_on=END,
    ).assignment


@pytest.fixture
def hourly_rate_a(users, provider_a):
    return rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=datetime.date(2026, 1, 1),
        rate=Decimal("60.00"),
        travel_billable=True,
    )


@pytest.fixture
def daily_rate_a(users, provider_a):
    return rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.DAILY,
        valid_from=datetime.date(2026, 1, 1),
        rate=Decimal("150.00"),
        absence_percent=Decimal("75"),
    )


@pytest.fixture
def hourly_assignment(users, budget_nord, sozialraum_nord, spfh, provider_a_in_nord, hourly_rate_a):
    """SPFH, 5 hours a week from 2 March 2026, Träger A at 60 € an hour."""
    return commissioned(users, sozialraum_nord, spfh, provider_a_in_nord.provider)


@pytest.fixture
def placement_assignment(
    users, budget_nord, sozialraum_nord, heimerziehung, provider_a_in_nord, daily_rate_a
):
    """Heimerziehung at 4,500 € a month from 2 March 2026, Träger A at 150 € a day."""
    return commissioned(
        users,
        sozialraum_nord,
        heimerziehung,
        provider_a_in_nord.provider,
        hours_per_week=None,
        monthly_cost=Decimal("4500.00"),
        placement_location=PlacementLocation.REGION,
    )


@pytest.fixture
def second_lead(users):
    return UserFactory(role="team_lead", asd_team=users["team_lead"].asd_team)
