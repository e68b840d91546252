# ruff: noqa: F811  (fixtures imported from other tests' conftest are parameters here)
"""Fixtures of the reimbursement tests: a Heimerziehung of Träger A in Nord from 2 March 2026,
paid for March, April and May through payment orders; another youth office with bank details."""

import datetime
from decimal import Decimal

import pytest

from billing.payment_orders import payment_order_book
from budgets.models import Commitment
from reimbursements.models import YouthOffice
from tests.billing.conftest import provider_a_banked  # noqa: F401 (fixtures)
from tests.billing.statements.conftest import (  # noqa: F401 (fixtures)
    daily_rate_a,
    placement_assignment,
)
from tests.budgets.conftest import budget_nord, budget_sued, fiscal_year  # noqa: F401 (fixtures)
from tests.cases.conftest import heimerziehung, provider_a_in_nord, spfh  # noqa: F401 (fixtures)

OFFICE_IBAN = "DE02120300000000202051"
MONTHS = [
    (datetime.date(2026, 3, 2), datetime.date(2026, 3, 31), Decimal("4354.84")),
    (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30), Decimal("4500.00")),
    (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), Decimal("4500.00")),
]


@pytest.fixture
def office(db):
    office = YouthOffice(
        name="Jugendamt Bergstadt",
        department="Wirtschaftliche Jugendhilfe",
        street="Rathausplatz 1",
        postcode="54321",
        city="Bergstadt",
        contact_person="Frau Beispiel",
        iban=OFFICE_IBAN,
        bic="BYLADEM1001",
    )
    office.full_clean()
    office.save()
    return office


@pytest.fixture
def paid_help(users, placement_assignment):
    """The placement's help with three monthly payments booked through payment orders."""
    commitment = Commitment.objects.get(assignment=placement_assignment)
    for start, end, amount in MONTHS:
        payment_order_book(
            commitment=commitment,
            amount=amount,
            period_start=start,
            period_end=end,
            purpose=f"Leistungsnachweis {start:%m/%Y}",
            approved_by=users["team_lead"],
        )
    return placement_assignment.help
