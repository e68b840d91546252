"""Two team leads approving the same Leistungsnachweis at the same moment: one payment, never
two (PostgreSQL, parallel transactions)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from billing.checking import statement_approve
from billing.models import LineKind, PaymentOrder, ServiceStatement, StatementStatus
from billing.statements import LineInput, statement_submit
from budgets.models import EntryKind, LedgerEntry
from budgets.reconciliation import budgets_reconcile
from tests.billing.statements.conftest import APRIL

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_approvals_make_one_payment(users, hourly_assignment, second_lead, settings):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers by locking the file.")
    settings.FOUR_EYES_THRESHOLD = 1_000_000
    statement = statement_submit(
        user=users["provider_staff"],
        assignment=hourly_assignment,
        month=APRIL,
        lines=[LineInput(1, datetime.date(2026, 4, 7), LineKind.FACE_TO_FACE, Decimal("3"))],
    )
    approvers = [users["team_lead"], second_lead] * 3
    start = threading.Barrier(len(approvers))
    approved, refused, errors = [], [], []

    def work(user):
        try:
            start.wait()
            try:
                statement_approve(user=user, statement_id=statement.pk)
                approved.append(user.pk)
            except ValidationError:
                refused.append(user.pk)
        except Exception as error:  # surfaced below; a thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(user,)) for user in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(approved) == 1
    assert len(refused) == len(approvers) - 1
    assert PaymentOrder.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1
    statement = ServiceStatement.objects.get(pk=statement.pk)
    assert statement.status == StatementStatus.APPROVED
    assert statement.payment_order.amount == Decimal("180.00")
    assert budgets_reconcile() == []
