"""Races on PostgreSQL: parallel payment orders never pay more than the commitment binds,
parallel payment runs never put an order into two runs, and a Trägerbudget's year-end decision
and over-allocation check hold when two people act at once."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from billing.models import PaymentOrder, PaymentRun, PaymentRunLine
from billing.payment_orders import payment_order_book
from billing.payment_runs import payment_run_create
from budgets.models import ProviderBudgetBooking, ProviderBudgetCarryOver, SpendingKind
from budgets.provider_budgets import (
    ProjectPlan,
    provider_budget_allocate,
    provider_budget_book,
    provider_budget_carry_over,
)
from budgets.reconciliation import budgets_reconcile
from budgets.selectors import commitment_figures
from tests.billing.conftest import IBAN_A
from tests.budgets.factories import fiscal_year_build, project_book, region_budget
from tests.factories import RegionProviderFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers by locking the file.")


def run_parallel(work, args):
    errors, start = [], threading.Barrier(len(args))

    def wrapped(arg):
        try:
            start.wait()
            work(arg)
        except Exception as error:  # surfaced below; a thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapped, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def budget_nord(users):
    year = datetime.date.today().year
    fiscal_year = fiscal_year_build(planner=users["planner"], year=year)
    return region_budget(fiscal_year, "N")


@pytest.fixture
def commitment(users, budget_nord, provider_a):
    provider_a.iban = IBAN_A
    provider_a.save()
    return project_book(
        budget=budget_nord,
        by=users["caseworker"],
        amount="1000.00",
        provider=provider_a,
        starts_on=datetime.date(budget_nord.fiscal_year.year, 1, 1),
    )


def test_parallel_orders_never_pay_more_than_the_commitment(users, commitment):
    approvers = [UserFactory(role="planner") for _ in range(THREADS)]
    refused = []
    today = datetime.date.today()

    def work(user):
        try:
            payment_order_book(
                commitment=commitment,
                amount=Decimal("300.00"),
                period_start=today.replace(day=1),
                period_end=today,
                purpose="Leistungsnachweis",
                approved_by=user,
            )
        except ValidationError:
            refused.append(1)

    assert run_parallel(work, approvers) == []
    assert PaymentOrder.objects.count() == 3  # 3 × 300 ≤ 1,000 < 4 × 300
    assert len(refused) == THREADS - 3
    assert commitment_figures(commitment).paid == Decimal("900.00")
    assert budgets_reconcile() == []


def test_parallel_runs_put_each_order_into_one_run(users, commitment):
    today = datetime.date.today()
    for _ in range(5):
        payment_order_book(
            commitment=commitment,
            amount=Decimal("100.00"),
            period_start=today.replace(day=1),
            period_end=today,
            purpose="x",
            approved_by=users["planner"],
        )
    planners = [UserFactory(role="planner") for _ in range(THREADS)]
    refused = []

    def work(user):
        try:
            payment_run_create(by=user)
        except ValidationError as error:
            refused.append(" ".join(error.messages))

    assert run_parallel(work, planners) == []
    assert PaymentRunLine.objects.count() == 5
    assert PaymentRun.objects.filter(lines__isnull=False).distinct().count() >= 1
    assert len(refused) == THREADS - PaymentRun.objects.count()
    assert all("Zahllauf" in message or "keine offenen" in message for message in refused)


@pytest.fixture
def provider_budget(users, budget_nord, team_nord, provider_a):
    RegionProviderFactory(region=team_nord.region, provider=provider_a, is_lead=True)
    return provider_budget_allocate(
        budget=budget_nord,
        provider=provider_a,
        amount=Decimal("1000"),
        rationale="Test",
        by=users["planner"],
    ).provider_budget


def test_parallel_spending_never_passes_the_allocation_without_a_reason(users, provider_budget):
    staff = [
        UserFactory(role="provider_staff", provider=provider_budget.provider)
        for _ in range(THREADS)
    ]
    refused = []

    def work(user):
        try:
            provider_budget_book(
                provider_budget=provider_budget,
                kind=SpendingKind.GROUP,
                amount=Decimal("300"),
                spent_on=datetime.date.today(),
                text="Gruppe",
                by=user,
            )
        except ValidationError:
            refused.append(1)

    assert run_parallel(work, staff) == []
    assert ProviderBudgetBooking.objects.count() == 3
    assert len(refused) == THREADS - 3


def test_two_year_end_decisions_at_once_book_once(users, provider_budget, sozialraum_nord):
    fiscal_year_build(planner=users["planner"], year=provider_budget.budget.fiscal_year.year + 1)
    planners = [UserFactory(role="planner") for _ in range(THREADS)]
    refused = []

    def work(user):
        try:
            provider_budget_carry_over(
                provider_budget=provider_budget,
                projects=[ProjectPlan("Elterncafé", sozialraum_nord, Decimal("400"))],
                rationale="Konferenz",
                by=user,
            )
        except ValidationError as error:
            refused.append(" ".join(error.messages))

    assert run_parallel(work, planners) == []
    assert ProviderBudgetCarryOver.objects.count() == 1
    assert len(refused) == THREADS - 1
    assert all("entschieden" in message for message in refused)
    assert budgets_reconcile() == []
