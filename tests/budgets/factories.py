"""Budgets built through the services, so that every figure has its ledger entries."""

import datetime
from decimal import Decimal

from budgets.models import Budget, Commitment, FiscalYear, SplitMethod
from budgets.services import budget_split_decide, commitment_book, fiscal_year_create
from cases.models import CaseKind
from sozialraum.models import Region, User


def fiscal_year_build(
    *,
    planner: User,
    year: int = 2026,
    total: Decimal = Decimal("1000000.00"),
    reserve_percentage: Decimal | None = Decimal("10"),
    reserve_amount: Decimal | None = None,
    shares: dict[str, Decimal] | None = None,
) -> FiscalYear:
    """A fiscal year with its Vorwegabzug and a manual split by region code."""
    fiscal_year = fiscal_year_create(
        year=year,
        total=total,
        reserve_percentage=reserve_percentage if reserve_amount is None else None,
        reserve_amount=reserve_amount,
        by=planner,
    )
    distributable = fiscal_year.total - fiscal_year.reserve.resolved_amount
    regions = list(Region.objects.order_by("code"))
    if shares is None:
        # Even split; the last region takes the odd cents.
        each = (distributable / len(regions)).quantize(Decimal("0.01"))
        shares = {r.code: each for r in regions[:-1]}
        shares[regions[-1].code] = distributable - each * (len(regions) - 1)
    budget_split_decide(
        fiscal_year=fiscal_year,
        method=SplitMethod.MANUAL,
        shares={r: shares[r.code] for r in regions},
        rationale="Gleichmäßig für den Test.",
        by=planner,
    )
    return fiscal_year


def region_budget(fiscal_year: FiscalYear, code: str) -> Budget:
    return Budget.objects.get(fiscal_year=fiscal_year, region__code=code)


def reserve_budget(fiscal_year: FiscalYear) -> Budget:
    return Budget.objects.get(fiscal_year=fiscal_year, region__isnull=True)


def project_book(
    *,
    budget: Budget,
    by: User,
    amount: Decimal | str = "1000.00",
    title: str = "Elterncafé",
    kind: str = CaseKind.CROSS_CASE,
    starts_on: datetime.date | None = None,
    **extra,
) -> Commitment:
    return commitment_book(
        budget=budget,
        kind=kind,
        title=title,
        by=by,
        amount=Decimal(amount),
        starts_on=starts_on or datetime.date(budget.fiscal_year.year, 3, 1),
        **extra,
    )
