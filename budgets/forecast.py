"""The year-end forecast of a commitment uses the facts: what was paid for invoiced months, and
the commitment's plan only for the months after the last invoiced one.

`Commitment.year_end_amount` holds the result, moved whenever a payment with a service period is
booked or reversed (under the budget's row lock, like every other cache of a booking), so the
budget overview keeps reading it with one plain SQL aggregate (`budgets.selectors`).
Commitments with a fixed amount (projects) keep their amount: an invoice says nothing about what
is still to come there.
"""

import datetime
from decimal import Decimal

from django.db.models import F

from budgets.models import Budget, Commitment, CostBasis, Payment
from sozialraum.money import money_round

ZERO = Decimal("0.00")


def _merged(
    periods: list[tuple[datetime.date, datetime.date]],
) -> list[tuple[datetime.date, datetime.date]]:
    """Disjoint periods covering the same days (a month invoiced twice counts once)."""
    merged: list[tuple[datetime.date, datetime.date]] = []
    for first, last in sorted(periods):
        if merged and first <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def commitment_year_end(commitment: Commitment) -> Decimal | None:
    """The plan to 31 December, with the plan of every invoiced period replaced by what was paid
    for it; None for a fixed amount (a project), whose forecast is its amount.

    Reversed payments do not count, so their months are plan again.
    """
    if commitment.basis == CostBasis.AMOUNT:
        return None
    from budgets.services import commitment_cost  # the plan's arithmetic lives with the booking

    year = commitment.budget.fiscal_year.year
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    def plan(first: datetime.date, last: datetime.date | None) -> Decimal:
        bound, to_year_end = commitment_cost(
            basis=commitment.basis,
            year=year,
            starts_on=first,
            ends_on=last,
            hours_per_week=commitment.hours_per_week,
            hourly_rate=commitment.hourly_rate,
            monthly_cost=commitment.monthly_cost,
            provider_id=commitment.provider_id,
        )
        return bound if last is not None else to_year_end

    payments = Payment.objects.filter(
        commitment=commitment, period_start__isnull=False, entry__reversed_by__isnull=True
    ).values_list("amount", "period_start", "period_end")
    facts = sum((amount for amount, _, _ in payments), ZERO)
    periods = [
        (max(first, commitment.starts_on, year_start), min(last, year_end))
        for _, first, last in payments
        if first is not None and last is not None  # filtered above; said for the type checker
    ]
    invoiced_plan = sum(
        (plan(first, last) for first, last in _merged([p for p in periods if p[0] <= p[1]])),
        ZERO,
    )
    return money_round(facts + plan(commitment.starts_on, None) - invoiced_plan)


def commitment_year_end_refresh(commitment: Commitment) -> None:
    """Store the commitment's forecast to 31 December (call under the budget's row lock), and
    move the budget's stored projection by the change while the commitment runs."""
    value = commitment_year_end(commitment)
    if value is not None:
        commitment_row_update(
            commitment_id=commitment.pk, budget_id=commitment.budget_id, year_end_amount=value
        )


# The budget's projection (`Budget.cached_projection`): the sum over its running commitments of
# `year_end_amount - cached_bound`. Kept under the budget's row lock by every service that
# changes one of those columns, an end or a cancellation, in the same transaction as that change
# (not by a signal, which would not see a queryset's `update()`); `budgets_reconcile` proves it.


def projection_share(commitment_id: int) -> Decimal | None:
    """What the commitment adds to its budget's projection as its row stands now: its
    `year_end_amount - cached_bound` while it runs, None once it is ended or cancelled."""
    row = (
        Commitment.objects.filter(pk=commitment_id, ended_on__isnull=True, is_cancelled=False)
        .values_list("year_end_amount", "cached_bound")
        .first()
    )
    return None if row is None else row[0] - row[1]


def projection_move(*, budget_id: int, amount: Decimal) -> None:
    """Move the budget's stored projection by `amount` (under the budget's row lock)."""
    if amount:
        Budget.objects.filter(pk=budget_id).update(
            cached_projection=F("cached_projection") + amount
        )


def projection_follow(*, commitment_id: int, budget_id: int, before: Decimal | None) -> None:
    """After a change to a commitment's row: move the projection from its share `before` the
    change to its share now."""
    after = projection_share(commitment_id)
    projection_move(budget_id=budget_id, amount=(after or ZERO) - (before or ZERO))


def commitment_row_update(*, commitment_id: int, budget_id: int, **changes: object) -> None:
    """Change columns of a commitment's row and move its budget's projection with them (under
    the budget's row lock): an end, a cancellation, a new forecast."""
    before = projection_share(commitment_id)
    Commitment.objects.filter(pk=commitment_id).update(**changes)
    projection_follow(commitment_id=commitment_id, budget_id=budget_id, before=before)
