"""Cached budget figures against the ledger: the proof that the cache may be trusted."""

from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Budget
from budgets.selectors import budget_figures


@dataclass(frozen=True)
class Difference:
    budget: Budget
    figure: str
    cached: Decimal
    ledger: Decimal


def budgets_reconcile() -> list[Difference]:
    """Every cached figure that differs from the sum of the ledger (none expected)."""
    budgets = list(Budget.objects.select_related("fiscal_year", "region").order_by("pk"))
    figures = budget_figures(budgets)
    differences = []
    for budget in budgets:
        ledger = figures[budget.pk]
        for name in ("allocated", "committed", "paid"):
            cached = getattr(budget, f"cached_{name}")
            from_ledger = getattr(ledger, name)
            if cached != from_ledger:
                differences.append(Difference(budget, name, cached, from_ledger))
    return differences
