"""Reads for the KJH statistics Teil IV (Ausgaben und Einnahmen): the year's payments from the
ledger, by what they were paid for, and the year's income, by what it is."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from budgets.models import Figure, IncomeSource, LedgerEntry
from sozialraum.money import money_round


@dataclass(frozen=True)
class PaidSum:
    source: str  # "help_type:<code>" or "kind:<case kind>" (work without a help type)
    from_reserve: bool  # paid from the Vorwegabzug (the year's budget without a region)
    amount: Decimal


def paid_in_year(*, year: int) -> list[PaidSum]:
    """Net payments of the fiscal year (its budgets' paid entries; reversals included, they
    carry the negative amount), summed by help type or kind of work and by regional budget or
    Vorwegabzug. One grouped query over the ledger; ordered by source."""
    grouped = (
        LedgerEntry.objects.filter(figure=Figure.PAID, budget__fiscal_year__year=year)
        .values(
            "commitment__kind",
            "commitment__assignment__help__help_type__code",
            "budget__region_id",
        )
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[tuple[str, bool], Decimal] = {}
    for line in grouped:
        code = line["commitment__assignment__help__help_type__code"]
        source = f"help_type:{code}" if code else f"kind:{line['commitment__kind'] or 'none'}"
        key = (source, line["budget__region_id"] is None)
        sums[key] = sums.get(key, Decimal("0")) + (line["total"] or Decimal("0"))
    return [PaidSum(source, reserve, amount) for (source, reserve), amount in sorted(sums.items())]


@dataclass(frozen=True)
class ReceivedSum:
    income_source: str  # `IncomeSource`: cost contribution, reimbursement, other
    from_reserve: bool
    amount: Decimal


def received_in_year(*, year: int) -> list[ReceivedSum]:
    """Net income of the fiscal year (income entries and their reversals, which carry the
    negative amount) by what it is (`IncomeSource`) and by regional budget or Vorwegabzug.
    One grouped query over the ledger; ordered by source."""
    grouped = (
        LedgerEntry.objects.filter(figure=Figure.RECEIVED, budget__fiscal_year__year=year)
        .values("income_source", "budget__region_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    sums: dict[tuple[str, bool], Decimal] = {}
    for line in grouped:
        key = (line["income_source"] or IncomeSource.OTHER, line["budget__region_id"] is None)
        sums[key] = sums.get(key, Decimal("0")) + (line["total"] or Decimal("0"))
    return [
        ReceivedSum(source, reserve, money_round(amount))
        for (source, reserve), amount in sorted(sums.items())
    ]
