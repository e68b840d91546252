"""The ledger's free text beside its entries (budgets.LedgerText, issue 27)."""

from budgets.models import EntryKind, ErasureGround, LedgerEntry
from budgets.services import entry_reverse, ledger_texts_erase
from tests.budgets.factories import project_book


def test_a_reversal_does_not_copy_an_erased_text_back(users, budget_nord):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="500")
    entry = commitment.entries.get(kind=EntryKind.COMMITMENT)
    ledger_texts_erase(
        entries=LedgerEntry.objects.filter(pk=entry.pk), ground=ErasureGround.REQUEST
    )
    reversal = entry_reverse(entry=entry, by=users["caseworker"], reason="Irrtum")
    assert reversal.free_text.text == f"Storno: Buchung Nr. {entry.pk}"
    assert reversal.amount == -entry.amount
