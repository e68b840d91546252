"""Fixtures of the budget tests: a 2026 fiscal year of 1,000,000 € with 10 % Vorwegabzug."""

import datetime
from decimal import Decimal

import pytest

from sozialraum.models import Agreement, AgreementKind
from tests.budgets.factories import fiscal_year_build, region_budget
from tests.cases.conftest import heimerziehung, provider_a_in_nord, spfh  # noqa: F401 (fixtures)


@pytest.fixture
def fiscal_year(users):
    # Nord 500,000 €, Süd 400,000 €, Vorwegabzug 100,000 €.
    return fiscal_year_build(
        planner=users["planner"],
        shares={"N": Decimal("500000.00"), "S": Decimal("400000.00")},
    )


@pytest.fixture
def budget_nord(fiscal_year):
    return region_budget(fiscal_year, "N")


@pytest.fixture
def budget_sued(fiscal_year):
    return region_budget(fiscal_year, "S")


@pytest.fixture
def agreement_a(provider_a):
    """Träger A's fee agreement for all regions."""
    return Agreement.objects.create(
        provider=provider_a,
        kind=AgreementKind.FEE,
        title="Entgeltvereinbarung ambulante Hilfen",
        hourly_rate=Decimal("62.50"),
        valid_from=datetime.date(2025, 1, 1),
    )
