"""A commitment's cached bound and paid sums follow every entry and are checked like budgets'."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from budgets.models import Commitment, EntryKind, LedgerEntry
from budgets.reconciliation import commitments_reconcile
from budgets.services import commitment_end, entry_reverse, payment_book
from tests.budgets.factories import project_book


def test_cached_sums_follow_payments_releases_and_reversals(budget_nord, users):
    caseworker = users["caseworker"]
    commitment = project_book(budget=budget_nord, by=caseworker, amount="900")
    payment = payment_book(
        commitment=commitment, amount=Decimal("300"), paid_on=datetime.date(2026, 5, 1),
        by=caseworker,
    )  # fmt: skip
    payment_book(
        commitment=commitment, amount=Decimal("100"), paid_on=datetime.date(2026, 5, 2),
        by=caseworker,
    )  # fmt: skip
    entry_reverse(entry=payment.entry, by=caseworker, reason="doppelt gezahlt")
    commitment_end(
        commitment=commitment, ended_on=datetime.date(2026, 6, 1), by=caseworker, reason="Ende"
    )
    commitment.refresh_from_db()
    assert commitment.cached_bound == Decimal("100.00")  # 900 bound, 800 released: what was paid
    assert commitment.cached_paid == Decimal("100.00")
    assert commitments_reconcile() == []
    assert LedgerEntry.objects.filter(commitment=commitment, kind=EntryKind.RELEASE).exists()


def test_reconciliation_names_a_commitment_whose_cache_was_changed(budget_nord, users, capsys):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="900")
    Commitment.objects.filter(pk=commitment.pk).update(cached_paid=Decimal("12.00"))
    with pytest.raises(CommandError, match="1 Abweichung"):
        call_command("reconcile_budgets")
    out = capsys.readouterr().out
    assert f"Bewilligung Nr. {commitment.pk} (gezahlt)" in out
    assert "12,00" in out and "0,00" in out
