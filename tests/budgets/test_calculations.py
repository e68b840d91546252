"""Commitment amounts and splits as pure functions: Decimal, cents, half up, exact sums."""

import datetime
from decimal import Decimal

import pytest

from budgets.calculations import (
    hours_cost,
    monthly_cost,
    months_in_period,
    reserve_resolve,
    split_proportionally,
)
from sozialraum.money import money_format

D = datetime.date


def test_hours_cost_is_hours_times_weeks_times_rate():
    # 4 h/week × 4 weeks (28 days) × 64.80 € = 1,036.80 €
    cost = hours_cost(
        hours_per_week=Decimal("4"),
        hourly_rate=Decimal("64.80"),
        starts_on=D(2026, 3, 2),
        ends_on=D(2026, 3, 29),
        year=2026,
    )
    assert cost == Decimal("1036.80")


def test_hours_cost_counts_partial_weeks_by_days_and_rounds_half_up_once():
    # 3 h × 61.20 € × 10/7 weeks = 262.2857… → 262.29
    cost = hours_cost(
        hours_per_week=Decimal("3"),
        hourly_rate=Decimal("61.20"),
        starts_on=D(2026, 5, 1),
        ends_on=D(2026, 5, 10),
        year=2026,
    )
    assert cost == Decimal("262.29")


def test_hours_cost_is_cut_at_the_fiscal_years_end():
    running_on = hours_cost(
        hours_per_week=Decimal("5"),
        hourly_rate=Decimal("70"),
        starts_on=D(2026, 12, 18),
        ends_on=D(2027, 6, 30),
        year=2026,
    )
    # 18–31 December: 14 days = 2 weeks → 5 × 2 × 70 = 700.00
    assert running_on == Decimal("700.00")
    open_end = hours_cost(
        hours_per_week=Decimal("5"),
        hourly_rate=Decimal("70"),
        starts_on=D(2026, 12, 18),
        ends_on=None,
        year=2026,
    )
    assert open_end == running_on


def test_monthly_cost_counts_full_months_and_partial_months_by_days():
    # 15 January to 31 March: 17/31 of January + February + March.
    months = months_in_period(D(2026, 1, 15), D(2026, 3, 31))
    assert months == Decimal(17) / Decimal(31) + 2
    cost = monthly_cost(
        monthly_amount=Decimal("4650.00"),
        starts_on=D(2026, 1, 15),
        ends_on=D(2026, 3, 31),
        year=2026,
    )
    # 4,650 × 17/31 = 2,550 exactly, plus 2 × 4,650
    assert cost == Decimal("11850.00")


def test_monthly_cost_is_cut_at_year_end_and_uses_february_days():
    cost = monthly_cost(
        monthly_amount=Decimal("3000"),
        starts_on=D(2026, 11, 16),
        ends_on=D(2027, 3, 31),
        year=2026,
    )
    # 15/30 of November + December = 1.5 months
    assert cost == Decimal("4500.00")
    february = monthly_cost(
        monthly_amount=Decimal("2800"), starts_on=D(2026, 2, 1), ends_on=D(2026, 2, 14), year=2026
    )
    assert february == Decimal("1400.00")  # 14 of 28 days


def test_a_help_outside_the_year_costs_nothing_in_it():
    assert monthly_cost(
        monthly_amount=Decimal("1000"), starts_on=D(2027, 1, 1), ends_on=None, year=2026
    ) == Decimal("0.00")


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (Decimal("900000.00"), {"N": 3841, "S": 4470}),
        (Decimal("100.00"), {"a": 1, "b": 1, "c": 1}),
        (Decimal("0.05"), {"a": 1, "b": 1, "c": 1}),
        (Decimal("123456.78"), {"a": Decimal("0.1"), "b": Decimal("0.2"), "c": Decimal("0.7")}),
    ],
)
def test_split_sums_exactly_to_the_total(total, weights):
    shares = split_proportionally(total=total, weights=weights)
    assert sum(shares.values()) == total
    assert all(share == share.quantize(Decimal("0.01")) for share in shares.values())


def test_split_gives_leftover_cents_to_the_largest_remainders():
    assert split_proportionally(total=Decimal("100.00"), weights={"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }
    shares = split_proportionally(total=Decimal("10.00"), weights={"a": 1, "b": 2})
    assert shares == {"a": Decimal("3.33"), "b": Decimal("6.67")}


def test_split_without_any_weight_is_even():
    shares = split_proportionally(total=Decimal("10.00"), weights={"a": 0, "b": 0})
    assert shares == {"a": Decimal("5.00"), "b": Decimal("5.00")}


def test_reserve_as_amount_or_percentage():
    assert reserve_resolve(total=Decimal("1000000"), amount=None, percentage=Decimal("7.5")) == (
        Decimal("75000.00")
    )
    assert reserve_resolve(
        total=Decimal("1000000"), amount=Decimal("80000"), percentage=None
    ) == Decimal("80000.00")
    # 2.5 % of 333.33 = 8.33325 → 8.33
    assert reserve_resolve(total=Decimal("333.33"), amount=None, percentage=Decimal("2.5")) == (
        Decimal("8.33")
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.56"), "1.234,56\u00a0€"),
        (Decimal("1234567.5"), "1.234.567,50\u00a0€"),
        (Decimal("0.005"), "0,01\u00a0€"),
        (Decimal("-1500"), "−1.500,00\u00a0€"),
        (Decimal("999"), "999,00\u00a0€"),
    ],
)
def test_german_money_format(value, text):
    assert money_format(value) == text
