"""The year-end forecast uses the facts: paid amounts for invoiced months, the commitment's plan
only for the months not invoiced yet (issue 20, part 6)."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from budgets.models import Commitment, CostBasis, LedgerEntry
from budgets.selectors import budget_figures, budget_figures_from_balances
from budgets.services import commitment_book, commitment_correct, entry_reverse, payment_book
from cases.models import CaseKind

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _in_2026():
    with time_machine.travel(datetime.datetime(2026, 5, 10, 9, 0), tick=True):
        yield


@pytest.fixture
def placement(users, budget_nord, provider_a):
    # 4,000 € a month from January, approved to June and still running: forecast 48,000 €.
    return commitment_book(
        budget=budget_nord,
        kind=CaseKind.INDIVIDUAL,
        title="Heimunterbringung",
        by=users["caseworker"],
        basis=CostBasis.MONTHLY,
        monthly_cost=Decimal("4000"),
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
        provider=provider_a,
    )


def invoice(commitment, user, amount, first, last):
    return payment_book(
        commitment=commitment,
        amount=Decimal(amount),
        paid_on=D(2026, 5, 2),
        by=user,
        period_start=first,
        period_end=last,
    )


def forecasts(budget):
    """The forecast from the ledger and from the balances pages read: always the same."""
    budget.refresh_from_db()
    from_ledger = budget_figures([budget])[budget.pk].forecast
    from_balances = budget_figures_from_balances([budget])[budget.pk].forecast
    assert from_ledger == from_balances
    return from_ledger


def test_invoiced_months_count_with_what_was_paid_the_rest_with_the_plan(
    users, budget_nord, placement
):
    assert forecasts(budget_nord) == Decimal("48000.00")
    # January had absences (3,500 €), February was as planned, March is not invoiced yet.
    invoice(placement, users["caseworker"], "3500.00", D(2026, 1, 1), D(2026, 1, 31))
    invoice(placement, users["caseworker"], "4000.00", D(2026, 2, 1), D(2026, 2, 28))
    # 3,500 + 4,000 paid + 10 months × 4,000 planned.
    assert forecasts(budget_nord) == Decimal("47500.00")
    placement.refresh_from_db()
    assert placement.year_end_amount == Decimal("47500.00")
    # What the budget has bound is unchanged: the forecast moves, not the commitment.
    assert budget_figures([budget_nord])[budget_nord.pk].committed == Decimal("24000.00")


def test_a_reversed_invoice_makes_its_month_plan_again(users, budget_nord, placement):
    wrong = invoice(placement, users["caseworker"], "1000.00", D(2026, 1, 1), D(2026, 1, 31))
    invoice(placement, users["caseworker"], "4200.00", D(2026, 2, 1), D(2026, 2, 28))
    assert forecasts(budget_nord) == Decimal("45200.00")
    entry_reverse(
        entry=LedgerEntry.objects.get(payment=wrong), by=users["caseworker"], reason="Falsch"
    )
    # January is plan again (4,000), February stays fact (4,200).
    assert forecasts(budget_nord) == Decimal("48200.00")


def test_a_month_invoiced_twice_replaces_its_plan_once(users, budget_nord, placement):
    invoice(placement, users["caseworker"], "3000.00", D(2026, 1, 1), D(2026, 1, 31))
    invoice(placement, users["caseworker"], "1000.00", D(2026, 1, 1), D(2026, 1, 31))  # late
    assert forecasts(budget_nord) == Decimal("48000.00")


def test_payments_without_a_period_leave_the_plan_alone(users, budget_nord, placement):
    payment_book(
        commitment=placement,
        amount=Decimal("100.00"),
        paid_on=D(2026, 5, 2),
        by=users["caseworker"],
    )
    assert forecasts(budget_nord) == Decimal("48000.00")


def test_a_correction_keeps_the_invoiced_months_as_facts(users, budget_nord, placement):
    invoice(placement, users["caseworker"], "3500.00", D(2026, 1, 1), D(2026, 1, 31))
    commitment_correct(
        commitment=placement,
        by=users["caseworker"],
        reason="Höherer Tagessatz ab Januar",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
        monthly_cost=Decimal("4500"),
    )
    # 3,500 paid for January + 11 months × 4,500.
    assert Commitment.objects.get(pk=placement.pk).year_end_amount == Decimal("53000.00")
    assert forecasts(budget_nord) == Decimal("53000.00")


def test_hourly_help_invoiced_months(users, budget_nord, provider_a):
    help_ = commitment_book(
        budget=budget_nord,
        kind=CaseKind.INDIVIDUAL,
        title="SPFH",
        by=users["caseworker"],
        basis=CostBasis.HOURS,
        hours_per_week=Decimal("7"),
        hourly_rate=Decimal("60"),
        starts_on=D(2026, 1, 1),
        ends_on=None,
    )
    plan_year = help_.year_end_amount  # 365 days × 1 h × 60 €
    assert plan_year == Decimal("21900.00")
    # January: 31 days planned (1,860 €), 20 hours delivered and paid (1,200 €).
    invoice(help_, users["caseworker"], "1200.00", D(2026, 1, 1), D(2026, 1, 31))
    assert forecasts(budget_nord) == plan_year - Decimal("1860.00") + Decimal("1200.00")
