"""A commitment's cached bound and paid sums follow every entry and are checked like budgets'."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from budgets.models import Budget, Commitment, CommitmentTotal, EntryKind, LedgerEntry
from budgets.reconciliation import commitments_reconcile, totals_reconcile
from budgets.selectors import breakdown_by_kind
from budgets.services import commitment_end, entry_reverse, payment_book
from cases.models import CaseKind
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


def test_totals_by_kind_follow_the_entries_and_give_the_breakdown(budget_nord, users):
    caseworker = users["caseworker"]
    cafe = project_book(budget=budget_nord, by=caseworker, amount="900")
    project_book(
        budget=budget_nord, by=caseworker, amount="300", kind=CaseKind.CASE_INDEPENDENT,
        title="Treff",
    )  # fmt: skip
    payment_book(
        commitment=cafe, amount=Decimal("200"), paid_on=datetime.date(2026, 5, 1), by=caseworker
    )
    total = CommitmentTotal.objects.get(budget=budget_nord, kind=CaseKind.CROSS_CASE)
    assert (total.bound, total.paid) == (Decimal("900.00"), Decimal("200.00"))
    assert totals_reconcile() == []
    rows = {row.label: row for row in breakdown_by_kind(Budget.objects.filter(pk=budget_nord.pk))}
    assert rows["fallübergreifend"].committed == Decimal("900.00")
    assert rows["fallunabhängig"].committed == Decimal("300.00")
    assert rows["fallspezifisch"].committed == Decimal("0.00")


def test_reconciliation_names_a_total_that_was_changed(budget_nord, users, capsys):
    project_book(budget=budget_nord, by=users["caseworker"], amount="900")
    CommitmentTotal.objects.filter(budget=budget_nord).update(bound=Decimal("1.00"))
    with pytest.raises(CommandError, match="1 Abweichung"):
        call_command("reconcile_budgets")
    assert f"Summe der Bewilligungen in Budget Nr. {budget_nord.pk}" in capsys.readouterr().out
