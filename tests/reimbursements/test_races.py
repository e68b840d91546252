"""Races on PostgreSQL: two people claiming the same help and period at once make one claim;
parallel receipts never take in more than the claim; parallel approvals of another office's
claim make one payment order."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from billing.models import PaymentOrder
from budgets.models import EntryKind, LedgerEntry
from budgets.reconciliation import budgets_reconcile
from cases.models import HelpType
from cases.services import help_types_ensure
from reimbursements.models import ClaimReceipt, LegalBasis, ReimbursementClaim
from reimbursements.services import (
    claim_create,
    claim_receipt_book,
    claim_send,
    received_claim_approve,
    received_claim_record,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 4


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers by locking the file.")


@pytest.fixture
def heimerziehung(db):
    """§ 34 from the catalogue, seeded again: a transactional test before has emptied it."""
    help_types_ensure()
    return HelpType.objects.get(code="34")


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


def test_parallel_claims_for_the_same_period_make_one(users, paid_help, office):
    leads = [
        UserFactory(role="team_lead", asd_team=users["team_lead"].asd_team) for _ in range(THREADS)
    ]
    starts = [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 3, 15),
        datetime.date(2026, 5, 1),
    ]

    def work(i):
        claim_create(
            user=leads[i],
            help_=paid_help,
            office=office,
            legal_basis=LegalBasis.S89A,
            period_start=starts[i],
            period_end=datetime.date(2026, 5, 31),
        )

    errors = run_parallel(work, range(THREADS))
    assert ReimbursementClaim.objects.count() == 1
    assert len(errors) == THREADS - 1
    assert all("nur einmal" in str(error) for error in errors), errors


def test_parallel_receipts_never_take_in_more_than_the_claim(users, paid_help, office):
    claim = claim_create(
        user=users["team_lead"],
        help_=paid_help,
        office=office,
        legal_basis=LegalBasis.S89A,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
    )
    claim = claim_send(user=users["team_lead"], claim=claim, sent_on=timezone.localdate())
    planners = [UserFactory(role="planner") for _ in range(THREADS)]

    def work(i):
        claim_receipt_book(
            user=planners[i],
            claim=claim,
            amount=Decimal("2000.00"),
            received_on=timezone.localdate(),
        )

    errors = run_parallel(work, range(THREADS))
    assert ClaimReceipt.objects.count() == 2  # 2 × 2,000 of 4,500; the rest refused
    assert len(errors) == THREADS - 2
    income = LedgerEntry.objects.filter(kind=EntryKind.INCOME)
    assert sum(entry.amount for entry in income) == Decimal("4000.00")
    assert budgets_reconcile() == []


def test_parallel_approvals_make_one_payment_order(users, paid_help, office):
    received = received_claim_record(
        user=users["planner"],
        office=office,
        case=paid_help.case,
        legal_basis=LegalBasis.S86C,
        their_reference="51.3-17",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 2, 28),
        claimed_amount=Decimal("900.00"),
        received_on=timezone.localdate(),
    )
    leads = [
        UserFactory(role="team_lead", asd_team=users["team_lead"].asd_team) for _ in range(THREADS)
    ]

    def work(i):
        received_claim_approve(user=leads[i], claim_id=received.pk)

    errors = run_parallel(work, range(THREADS))
    assert PaymentOrder.objects.exclude(payee_name="").count() == 1
    assert len(errors) == THREADS - 1
    assert budgets_reconcile() == []
