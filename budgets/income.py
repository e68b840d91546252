"""The income side of the ledger: money received on a budget (parents' cost contributions,
§§ 91–94 SGB VIII; reimbursements from other youth offices, §§ 89 ff.).

Income is booked append-only like every movement of money, as its own entry kind (`income`,
"Einnahme") on its own figure (`received`, "eingenommen"); a wrong booking is reversed by a
Storno. Income is shown beside the spending and gives the net cost (`budgets.selectors`), but it
never adds to what a region may bind: the free budget stays allocated minus committed, because
income flows into the town's general budget, not back into the region's (docs/contributions.md).

The apps that receive money (`contributions`, `reimbursements`) call only these two functions.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from budgets.models import Budget, Commitment, EntryKind, IncomeSource, LedgerEntry
from budgets.services import (
    PLANNING,
    entry_income_append,
    entry_income_reverse_append,
    may_book_in,
)
from sozialraum.access import has_role
from sozialraum.models import User
from sozialraum.money import money_round
from sozialraum.plausibility import Checks


def may_book_income(user: User, budget: Budget) -> bool:
    """The region's ASD (caseworkers, team leads) and the planners book income."""
    return may_book_in(user, budget) or has_role(user, *PLANNING)


@transaction.atomic
def income_book(
    *,
    budget: Budget,
    amount: Decimal,
    booked_on: datetime.date,
    user: User,
    text: str,
    commitment: Commitment | None = None,
    source: str = IncomeSource.OTHER,
) -> LedgerEntry:
    """Book money received (a cost contribution, a reimbursement) on a budget: append-only.

    `booked_on` is the day the money arrived (not in the future); `commitment`, when given,
    is the help's Bewilligung in this budget, so that the net cost per help and per help type
    can be read; `source` says what the money is (`IncomeSource`: a cost contribution, a
    reimbursement) for Teil IV of the statistics. Raises `ValidationError` with German messages
    keyed by field.
    """
    if not may_book_income(user, budget):
        raise ValidationError("Sie können Einnahmen nur im Budget Ihrer eigenen Region buchen.")
    checks = Checks()
    amount = money_round(amount)
    if amount <= 0:
        checks.refuse("amount", "Der eingenommene Betrag muss größer als null sein.")
    checks.not_in_future("booked_on", booked_on, what="Der Eingang")
    if commitment is not None and commitment.budget_id != budget.pk:
        checks.refuse(None, "Die Bewilligung gehört nicht zu diesem Budget.")
    if source not in IncomeSource.values:
        checks.refuse(None, "Unbekannte Art der Einnahme.")
    if not text.strip():
        checks.refuse("text", "Bitte geben Sie einen Buchungstext an.")
    checks.raise_if_any()
    return entry_income_append(
        budget=budget,
        amount=amount,
        booked_on=booked_on,
        by=user,
        text=text.strip(),
        commitment=commitment,
        source=source,
    )


@transaction.atomic
def income_reverse(*, entry: LedgerEntry, user: User, reason: str) -> LedgerEntry:
    """Reverse an income entry by its exact opposite (Storno) with a reason; the entry stays."""
    if entry.kind != EntryKind.INCOME:
        raise ValidationError("Stornieren lassen sich hier nur Einnahmen.")
    if not may_book_income(user, entry.budget):
        raise ValidationError("Sie können nur Einnahmen Ihrer eigenen Region stornieren.")
    if not reason.strip():
        raise ValidationError({"reason": "Bitte begründen Sie das Storno."})
    return entry_income_reverse_append(entry=entry, by=user, reason=reason)
