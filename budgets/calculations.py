"""Pure money calculations: the cost of a commitment and the split of a budget.

No database access here, so every rule can be tested with plain values. Amounts are Decimal and
rounded once, at the end, with `money_round` (two places, half up).
"""

import calendar
import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from sozialraum.money import CENT, money_round

Key = TypeVar("Key")
DAYS_PER_WEEK = Decimal(7)


def period_in_year(
    *, starts_on: datetime.date, ends_on: datetime.date | None, year: int
) -> tuple[datetime.date, datetime.date] | None:
    """The part of [starts_on, ends_on] inside the calendar year (open end = 31 December)."""
    first = max(starts_on, datetime.date(year, 1, 1))
    last = min(ends_on or datetime.date(year, 12, 31), datetime.date(year, 12, 31))
    if last < first:
        return None
    return first, last


def hours_cost(
    *,
    hours_per_week: Decimal,
    hourly_rate: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    year: int,
    rate_changes: Sequence[tuple[datetime.date, Decimal]] = (),
) -> Decimal:
    """Specialist hours a week × weeks × hourly rate, cut at the fiscal year's bounds.

    Weeks are counted by days (both ends included) / 7, so a help of 10 days costs 10/7 weeks.
    `rate_changes` are (first day, new rate) of the provider's rate agreement after the start:
    from each such day on, the days cost the new rate (a rate change inside a month splits it).
    """
    period = period_in_year(starts_on=starts_on, ends_on=ends_on, year=year)
    if period is None:
        return Decimal("0.00")
    first, last = period
    # Rate of each segment: the rate valid on the period's first day, then each change after it.
    rate = Decimal(hourly_rate)
    segments: list[tuple[datetime.date, Decimal]] = []
    for day, new_rate in sorted(rate_changes):
        if day <= first:
            rate = Decimal(new_rate)
        elif day <= last:
            segments.append((day, Decimal(new_rate)))
    total = Decimal(0)
    start = first
    for day, new_rate in [*segments, (last + datetime.timedelta(days=1), rate)]:
        days = Decimal((day - start).days)
        total += Decimal(hours_per_week) * rate * days / DAYS_PER_WEEK
        start, rate = day, new_rate
    return money_round(total)


def months_in_period(first: datetime.date, last: datetime.date) -> Decimal:
    """Months between two days (both included); partial months pro rata by their days."""
    months = Decimal(0)
    day = first
    while day <= last:
        month_days = calendar.monthrange(day.year, day.month)[1]
        month_end = datetime.date(day.year, day.month, month_days)
        covered = (min(month_end, last) - day).days + 1
        months += Decimal(covered) / Decimal(month_days)
        day = month_end + datetime.timedelta(days=1)
    return months


def monthly_cost(
    *,
    monthly_amount: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    year: int,
) -> Decimal:
    """Monthly placement cost × months, cut at the fiscal year's bounds, partial months by days."""
    period = period_in_year(starts_on=starts_on, ends_on=ends_on, year=year)
    if period is None:
        return Decimal("0.00")
    return money_round(Decimal(monthly_amount) * months_in_period(*period))


def split_proportionally(
    *, total: Decimal, weights: Mapping[Key, Decimal | int]
) -> dict[Key, Decimal]:
    """Split `total` by `weights` into cent amounts that add up to `total` exactly.

    Largest remainder method: every share is first rounded down to the cent, then the cents left
    over go one by one to the shares with the largest remainders (ties: in the order given).
    With no weights at all the total is split evenly.
    """
    total = money_round(total)
    if not weights:
        return {}
    weight_sum = sum(Decimal(w) for w in weights.values())
    if weight_sum <= 0:
        weights = dict.fromkeys(weights, 1)
        weight_sum = Decimal(len(weights))
    cents_total = int(total / CENT)
    exact = {key: Decimal(cents_total) * Decimal(w) / weight_sum for key, w in weights.items()}
    floors = {key: int(value) for key, value in exact.items()}
    left = cents_total - sum(floors.values())
    order = sorted(exact, key=lambda key: exact[key] - floors[key], reverse=True)
    for key in order[:left]:
        floors[key] += 1
    return {key: Decimal(cents) * CENT for key, cents in floors.items()}


def reserve_resolve(
    *, total: Decimal, amount: Decimal | None, percentage: Decimal | None
) -> Decimal:
    """The Vorwegabzug in euros: the amount as given, or the percentage of the total."""
    if amount is not None:
        return money_round(amount)
    return money_round(Decimal(total) * Decimal(percentage or 0) / 100)
