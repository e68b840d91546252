"""Income on the ledger (`budgets.income`): append-only, its own figure, never free money."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from budgets.income import income_book, income_reverse
from budgets.models import CommitmentTotal, EntryKind, Figure
from budgets.reconciliation import budgets_reconcile, commitments_reconcile, totals_reconcile
from budgets.selectors import budget_figures, budget_figures_from_balances, commitment_figures
from tests.budgets.factories import project_book

DAY = datetime.date(2026, 3, 2)


def test_income_is_booked_on_its_own_figure_and_reconciles(budget_nord, users):
    caseworker = users["caseworker"]
    commitment = project_book(budget=budget_nord, by=caseworker, amount="900")
    free_before = budget_figures([budget_nord])[budget_nord.pk].free
    entry = income_book(
        budget=budget_nord, amount=Decimal("120.50"), booked_on=DAY, user=caseworker,
        text="Kostenbeitrag März", commitment=commitment,
    )  # fmt: skip
    assert (entry.kind, entry.figure, entry.booked_on) == (EntryKind.INCOME, Figure.RECEIVED, DAY)
    budget_nord.refresh_from_db()
    commitment.refresh_from_db()
    assert budget_nord.cached_received == commitment.cached_received == Decimal("120.50")
    figures = budget_figures([budget_nord])[budget_nord.pk]
    assert figures.received == Decimal("120.50")
    # Income does not add to what the region may bind.
    assert figures.free == free_before
    assert budget_figures_from_balances([budget_nord])[budget_nord.pk].received == Decimal("120.50")
    assert commitment_figures(commitment).received == Decimal("120.50")
    assert CommitmentTotal.objects.get(budget=budget_nord).received == Decimal("120.50")
    reversal = income_reverse(entry=entry, user=caseworker, reason="falsch zugeordnet")
    assert reversal.amount == Decimal("-120.50") and reversal.reverses == entry
    budget_nord.refresh_from_db()
    assert budget_nord.cached_received == Decimal("0.00")
    assert budgets_reconcile() == commitments_reconcile() == totals_reconcile() == []
    call_command("reconcile_budgets")
    with pytest.raises(ValidationError, match="bereits storniert"):
        income_reverse(entry=entry, user=caseworker, reason="nochmal")


def test_income_refuses_bad_input_in_german(budget_nord, budget_sued, users):
    caseworker = users["caseworker"]
    with pytest.raises(ValidationError) as error:
        income_book(
            budget=budget_nord, amount=Decimal("0"), user=caseworker, text="",
            booked_on=datetime.date.today() + datetime.timedelta(days=3),
        )  # fmt: skip
    messages = " ".join(error.value.messages)
    assert "größer als null" in messages and "Zukunft" in messages
    with pytest.raises(ValidationError, match="eigenen Region"):
        income_book(
            budget=budget_sued, amount=Decimal("5"), booked_on=DAY, user=caseworker, text="x"
        )
    with pytest.raises(ValidationError, match="eigenen Region"):
        income_book(
            budget=budget_nord, amount=Decimal("5"), booked_on=DAY,
            user=users["provider_staff"], text="x",
        )  # fmt: skip
    assert budget_figures([budget_nord])[budget_nord.pk].received == Decimal("0.00")
