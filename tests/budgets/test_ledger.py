"""The ledger only grows: no entry can be changed or deleted, not even with raw SQL."""

import datetime
import sqlite3
from decimal import Decimal

import psycopg
import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from budgets.models import Budget, LedgerEntry, LedgerImmutable
from budgets.selectors import budget_figures
from budgets.services import commitment_end, entry_reverse, payment_book
from tests.budgets.factories import project_book

TABLE = LedgerEntry._meta.db_table


def figures_of(budget):
    return budget_figures([budget])[budget.pk]


def test_entry_cannot_be_changed_through_the_orm(budget_nord):
    entry = LedgerEntry.objects.filter(budget=budget_nord).first()
    entry.amount = Decimal("1.00")
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("500000.00")


@pytest.mark.parametrize(
    ("statement", "operation"),
    [
        (f"UPDATE {TABLE} SET amount = 1 WHERE budget_id = %s", "UPDATE"),  # noqa: S608
        (f"DELETE FROM {TABLE} WHERE budget_id = %s", "DELETE"),  # noqa: S608
    ],
)
def test_database_refuses_raw_sql_update_and_delete(budget_nord, statement, operation):
    with pytest.raises(DatabaseError) as refused:  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [budget_nord.pk])
    # Exactly the trigger's refusal (budgets/ledger_guard.py), not any other failing statement.
    message = f"Buchungen sind unveränderlich: {operation} auf {TABLE} abgelehnt"
    assert type(refused.value) is IntegrityError, repr(refused.value)
    cause = refused.value.__cause__
    if connection.vendor == "postgresql":
        assert type(cause) is psycopg.errors.RestrictViolation, repr(cause)
        assert cause.diag.message_primary == message
        assert (cause.diag.context or "").startswith(
            f"PL/pgSQL function {TABLE}_refuse_change() "
        ), cause.diag.context
    else:
        assert (type(cause), str(cause)) == (sqlite3.IntegrityError, message)
    assert LedgerEntry.objects.filter(budget=budget_nord).get().amount == Decimal("500000.00")


def test_admin_shows_entries_but_offers_no_change_or_delete(client, users, budget_nord):
    client.force_login(users["admin"])
    entry = LedgerEntry.objects.filter(budget=budget_nord).first()
    assert client.get(reverse("admin:budgets_ledgerentry_changelist")).status_code == 200
    admin = site._registry[LedgerEntry]
    request = client.get("/").wsgi_request
    request.user = users["admin"]
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert not admin.has_add_permission(request)
    url = reverse("admin:budgets_ledgerentry_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_reversal_restores_the_balance_exactly_and_keeps_the_wrong_entry(users, budget_nord):
    before = figures_of(budget_nord)
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="1234.56")
    payment = payment_book(
        commitment=commitment,
        amount=Decimal("234.56"),
        paid_on=datetime.date(2026, 4, 1),
        by=users["caseworker"],
    )
    entry_reverse(entry=payment.entry, by=users["caseworker"], reason="Doppelt erfasst")
    commitment_entry = commitment.entries.get(kind="commitment")
    entry_reverse(entry=commitment_entry, by=users["caseworker"], reason="Falscher Betrag")
    after = figures_of(budget_nord)
    assert (after.allocated, after.committed, after.paid) == (
        before.allocated,
        before.committed,
        before.paid,
    )
    assert after.forecast == before.forecast
    assert commitment.entries.count() == 4  # booked, paid, and both reversals
    reversal = commitment_entry.reversed_by
    assert reversal.created_by == users["caseworker"]
    assert reversal.reason == "Falscher Betrag"


def test_entry_cannot_be_reversed_twice_or_without_reason(users, budget_nord):
    commitment = project_book(budget=budget_nord, by=users["caseworker"])
    entry = commitment.entries.get()
    with pytest.raises(ValidationError, match="begründen"):
        entry_reverse(entry=entry, by=users["caseworker"], reason=" ")
    entry_reverse(entry=entry, by=users["caseworker"], reason="Irrtum")
    with pytest.raises(ValidationError, match="bereits storniert"):
        entry_reverse(entry=entry, by=users["caseworker"], reason="Irrtum")


def test_commitment_with_payments_is_reversed_only_after_its_payments(users, budget_nord):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="500")
    payment_book(
        commitment=commitment,
        amount=Decimal("100"),
        paid_on=datetime.date(2026, 4, 1),
        by=users["caseworker"],
    )
    with pytest.raises(ValidationError, match="zuerst die Zahlungen"):
        entry_reverse(
            entry=commitment.entries.get(kind="commitment"), by=users["caseworker"], reason="x"
        )


def test_reconciliation_reports_zero_differences_after_bookings(users, budget_nord, capsys):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="900")
    payment_book(
        commitment=commitment,
        amount=Decimal("300"),
        paid_on=datetime.date(2026, 5, 1),
        by=users["caseworker"],
    )
    commitment_end(
        commitment=commitment,
        ended_on=datetime.date(2026, 6, 1),
        by=users["caseworker"],
        reason="Projekt endet",
    )
    call_command("reconcile_budgets")
    assert "Keine Abweichungen" in capsys.readouterr().out
    budget_nord.refresh_from_db()
    assert budget_nord.cached_committed == Decimal("300.00")
    assert budget_nord.cached_paid == Decimal("300.00")


def test_reconciliation_finds_a_planted_difference_in_a_cached_balance(budget_nord, capsys):
    Budget.objects.filter(pk=budget_nord.pk).update(cached_allocated=Decimal("499999.99"))
    with pytest.raises(CommandError, match="1 Abweichung"):
        call_command("reconcile_budgets")
    out = capsys.readouterr().out
    assert "499.999,99" in out and "500.000,00" in out
