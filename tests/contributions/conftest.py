"""Fixtures of the cost-contribution tests: the budget fixtures, a placement, the official table."""

# ruff: noqa: F811 (the budget tests' fixtures are imported to be requested here)

import datetime
from decimal import Decimal

import pytest

from budgets.commissioning import assignment_commission, case_transition
from cases.models import CaseStatus, HelpType, PersonRole, PlacementLocation
from contributions.services import evidence_record
from contributions.table_seed import official_table_load
from tests.budgets.conftest import (  # noqa: F401 (fixtures)
    agreement_a,
    budget_nord,
    budget_sued,
    fiscal_year,
    provider_a_in_nord,
    spfh,
)
from tests.cases.conftest import decide, intake

YEAR_START = datetime.date(2026, 1, 1)


@pytest.fixture
def heimerziehung(spfh):
    """§ 34 Heimerziehung (the catalogue seeded again after a transactional test's flush)."""
    return HelpType.objects.get(code="34")


@pytest.fixture
def income_table(db):
    return official_table_load()


@pytest.fixture
def placement(users, budget_nord, sozialraum_nord, heimerziehung, provider_a, provider_a_in_nord):
    """Heimerziehung in Nord from 1 January 2026 for two years, 4,800 € a month, commissioned."""
    caseworker = users["caseworker"]
    case = intake(user=caseworker, sozialraum=sozialraum_nord, opened_on=datetime.date(2025, 12, 1))
    case = case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(
        user=caseworker,
        case=case,
        help_type=heimerziehung,
        starts_on=YEAR_START,
        planned_end_on=datetime.date(2027, 12, 31),
        hours_per_week=None,
        monthly_cost=Decimal("4800.00"),
        placement_location=PlacementLocation.REGION,
    )
    assignment_commission(
        user=caseworker,
        help_=help_,
        provider=provider_a,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    )
    return help_


@pytest.fixture
def guardian(placement):
    return placement.case.persons.get(role=PersonRole.GUARDIAN)


@pytest.fixture
def evidence(users, placement, guardian):
    return evidence_record(
        case=placement.case,
        person=guardian,
        monthly_income=Decimal("2650.00"),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        submitted_on=datetime.date(2026, 1, 20),
        user=users["caseworker"],
    )
