"""Parallel commitments against one budget never bind more than is free (PostgreSQL)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from budgets.models import LedgerEntry
from budgets.reconciliation import budgets_reconcile
from budgets.selectors import budget_figures
from tests.budgets.factories import fiscal_year_build, project_book, region_budget
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ATTEMPTS_EACH = 10
AMOUNT = Decimal("137.00")


@pytest.fixture
def small_budget(users):
    fiscal_year = fiscal_year_build(
        planner=users["planner"],
        total=Decimal("10000"),
        reserve_percentage=Decimal("0"),
        # Nord: 5,000 € free; 80 attempts of 137 € would need 10,960 €.
        shares={"N": Decimal("5000"), "S": Decimal("5000")},
    )
    return region_budget(fiscal_year, "N")


def test_parallel_commitments_never_bind_more_than_free(users, small_budget):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers by locking the file.")
    caseworkers = [
        UserFactory(role="caseworker", asd_team=users["caseworker"].asd_team)
        for _ in range(THREADS)
    ]
    booked, refused, errors = [], [], []
    start = threading.Barrier(THREADS)

    def work(user):
        try:
            start.wait()
            for attempt in range(ATTEMPTS_EACH):
                try:
                    project_book(
                        budget=small_budget, by=user, amount=AMOUNT, title=f"Projekt {attempt}"
                    )
                    booked.append(1)
                except ValidationError:
                    refused.append(1)
        except Exception as error:  # surfaced below; a thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=work, args=(user,)) for user in caseworkers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(booked) == 36  # floor(5,000 / 137)
    assert len(refused) == THREADS * ATTEMPTS_EACH - 36
    figures = budget_figures([small_budget])[small_budget.pk]
    assert figures.committed == AMOUNT * 36
    assert figures.free == Decimal("5000") - AMOUNT * 36 >= 0
    ledger_sum = sum(
        LedgerEntry.objects.filter(budget=small_budget, figure="committed").values_list(
            "amount", flat=True
        )
    )
    assert ledger_sum == figures.committed
    small_budget.refresh_from_db()
    assert small_budget.cached_committed == ledger_sum
    assert budgets_reconcile() == []
