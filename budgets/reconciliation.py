"""Cached figures against the ledger: the proof that the caches may be trusted.

Budgets cache allocated, committed, paid and received (income); commitments cache what they
bind, what was paid and what was received on them, and each budget keeps totals of those by kind
of work and help type and by provider and Sozialraum. All are moved with each entry
(`services.entry_book`) and must equal the ledger. A budget's projection to 31 December
(`Budget.cached_projection`) must equal its running commitments' forecasts less what the ledger
binds for them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from budgets.models import (
    Budget,
    Commitment,
    CommitmentPlaceTotal,
    CommitmentTotal,
    Figure,
    LedgerEntry,
)
from budgets.selectors import budget_figures

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Difference:
    budget: Budget
    figure: str
    cached: Decimal
    ledger: Decimal


@dataclass(frozen=True)
class CommitmentDifference:
    commitment_id: int
    figure: str
    cached: Decimal
    ledger: Decimal


def budgets_reconcile() -> list[Difference]:
    """Every cached figure that differs from the sum of the ledger (none expected), and every
    stored projection that differs from one recomputed from the commitments and the ledger."""
    budgets = list(Budget.objects.select_related("fiscal_year", "region").order_by("pk"))
    figures = budget_figures(budgets)
    differences = []
    for budget in budgets:
        ledger = figures[budget.pk]
        for name in ("allocated", "committed", "paid", "received", "projection"):
            cached = getattr(budget, f"cached_{name}")
            from_ledger = getattr(ledger, name)
            if cached != from_ledger:
                differences.append(Difference(budget, name, cached, from_ledger))
    return differences


def commitments_reconcile() -> list[CommitmentDifference]:
    """Every commitment whose cached bound or paid sum differs from its ledger entries."""
    sums = {
        row["commitment_id"]: row
        for row in LedgerEntry.objects.filter(commitment__isnull=False)
        .values("commitment_id")
        .annotate(
            bound=Sum("amount", filter=Q(figure=Figure.COMMITTED), default=ZERO),
            paid=Sum("amount", filter=Q(figure=Figure.PAID), default=ZERO),
            received=Sum("amount", filter=Q(figure=Figure.RECEIVED), default=ZERO),
        )
        .order_by()
    }
    differences = []
    cached = Commitment.objects.order_by("pk").values_list(
        "pk", "cached_bound", "cached_paid", "cached_received"
    )
    for pk, bound, paid, received in cached.iterator(chunk_size=10_000):
        row = sums.get(pk, {"bound": ZERO, "paid": ZERO, "received": ZERO})
        for name, value in (("bound", bound), ("paid", paid), ("received", received)):
            # SQLite sums decimals with extra places; figures are always cents.
            ledger = Decimal(row[name]).quantize(Decimal("0.01"))
            if value != ledger:
                differences.append(CommitmentDifference(pk, name, value, ledger))
    return differences


@dataclass(frozen=True)
class TotalDifference:
    budget_id: int
    kind: str
    help_type_id: int | None
    figure: str
    cached: Decimal
    ledger: Decimal


def totals_reconcile() -> list[TotalDifference]:
    """Every total per budget, kind and help type that differs from the sum of its entries."""
    from_ledger = {
        (
            row["budget_id"],
            row["commitment__kind"],
            row["commitment__assignment__help__help_type_id"],
        ): row
        for row in LedgerEntry.objects.filter(commitment__isnull=False)
        .values("budget_id", "commitment__kind", "commitment__assignment__help__help_type_id")
        .annotate(
            bound=Sum("amount", filter=Q(figure=Figure.COMMITTED), default=ZERO),
            paid=Sum("amount", filter=Q(figure=Figure.PAID), default=ZERO),
            received=Sum("amount", filter=Q(figure=Figure.RECEIVED), default=ZERO),
        )
        .order_by()
    }
    cached = {
        (t.budget_id, t.kind, t.help_type_id): t for t in CommitmentTotal.objects.order_by("pk")
    }
    differences = []
    for key in sorted(set(from_ledger) | set(cached), key=str):
        total = cached.get(key)
        row = from_ledger.get(key, {"bound": ZERO, "paid": ZERO, "received": ZERO})
        for name in ("bound", "paid", "received"):
            value = getattr(total, name) if total else ZERO
            ledger = Decimal(row[name]).quantize(Decimal("0.01"))
            if value != ledger:
                budget_id, kind, help_type_id = key
                differences.append(
                    TotalDifference(budget_id, kind, help_type_id, name, value, ledger)
                )
    return differences


@dataclass(frozen=True)
class PlaceTotalDifference:
    budget_id: int
    provider_id: int | None
    sozialraum_id: int | None
    figure: str
    cached: Decimal
    ledger: Decimal


def place_totals_reconcile() -> list[PlaceTotalDifference]:
    """Every total per budget, provider and Sozialraum that differs from the sum of its
    entries."""
    from_ledger = {
        (row["budget_id"], row["commitment__provider_id"], row["commitment__sozialraum_id"]): row
        for row in LedgerEntry.objects.filter(commitment__isnull=False)
        .values("budget_id", "commitment__provider_id", "commitment__sozialraum_id")
        .annotate(
            bound=Sum("amount", filter=Q(figure=Figure.COMMITTED), default=ZERO),
            paid=Sum("amount", filter=Q(figure=Figure.PAID), default=ZERO),
        )
        .order_by()
    }
    cached = {
        (t.budget_id, t.provider_id, t.sozialraum_id): t
        for t in CommitmentPlaceTotal.objects.order_by("pk")
    }
    differences = []
    for key in sorted(set(from_ledger) | set(cached), key=str):
        total = cached.get(key)
        row = from_ledger.get(key, {"bound": ZERO, "paid": ZERO})
        for name in ("bound", "paid"):
            value = getattr(total, name) if total else ZERO
            ledger = Decimal(row[name]).quantize(Decimal("0.01"))
            if value != ledger:
                budget_id, provider_id, sozialraum_id = key
                differences.append(
                    PlaceTotalDifference(budget_id, provider_id, sozialraum_id, name, value, ledger)
                )
    return differences
