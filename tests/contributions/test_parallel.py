"""Parallel claim runs and receipts on PostgreSQL: each month claimed once, no double booking."""

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from budgets.models import Figure, LedgerEntry
from budgets.reconciliation import budgets_reconcile, commitments_reconcile
from contributions.models import ContributionClaim, ContributionReceipt
from contributions.services import (
    claim_create,
    claims_create_for_month,
    contribution_set,
    receipt_record,
)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
MARCH = datetime.date(2026, 3, 1)


def _in_parallel(work) -> list[Exception]:
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def run(index: int) -> None:
        try:
            start.wait()
            work(index)
        except Exception as error:  # surfaced by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def contribution(users, placement, evidence, income_table):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and parallel inserts need PostgreSQL.")
    return contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"],
    )  # fmt: skip


def test_parallel_claim_runs_claim_each_month_once(contribution):
    created: list[int] = []
    errors = _in_parallel(lambda i: created.append(claims_create_for_month(month=MARCH)))
    assert errors == []
    assert sum(created) == 1
    assert ContributionClaim.objects.filter(month=MARCH).count() == 1
    refused = _in_parallel(lambda i: claim_create(contribution=contribution, month=MARCH))
    assert len(refused) == THREADS
    assert all(isinstance(e, ValidationError) for e in refused)


def test_parallel_receipts_never_exceed_the_claim(users, contribution):
    claim = claim_create(contribution=contribution, month=MARCH)
    part = (contribution.amount / 4).quantize(Decimal("0.01"))

    def pay(index: int) -> None:
        with contextlib.suppress(ValidationError):
            receipt_record(
                claim=claim, amount=part, received_on=datetime.date(2026, 3, 10),
                user=users["caseworker"],
            )  # fmt: skip

    assert _in_parallel(pay) == []
    receipts = ContributionReceipt.objects.filter(claim=claim)
    assert receipts.count() == 4
    assert sum(r.amount for r in receipts) <= contribution.amount
    income = LedgerEntry.objects.filter(figure=Figure.RECEIVED)
    assert income.count() == 4
    assert budgets_reconcile() == [] and commitments_reconcile() == []


def test_the_same_cash_office_line_in_parallel_is_booked_once(users, contribution):
    claim = claim_create(contribution=contribution, month=MARCH)
    booked: list[int] = []

    def pay(index: int) -> None:
        try:
            receipt_record(
                claim=claim, amount=Decimal("10.00"), received_on=datetime.date(2026, 3, 10),
                user=users["caseworker"], reference="KASSE-42",
            )  # fmt: skip
            booked.append(1)
        except ValidationError:
            pass

    assert _in_parallel(pay) == []
    assert len(booked) == 1
    assert LedgerEntry.objects.filter(figure=Figure.RECEIVED).count() == 1
