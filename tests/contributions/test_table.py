"""The income table applied to every group's bounds gives that row's amounts (data, not code);
the official values themselves are checked in test_income_table.py."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contributions.models import IncomeBracket, IncomeTable
from contributions.services import table_amount, table_valid_on


def test_every_group_of_the_table_gives_its_own_amounts(income_table):
    brackets = list(income_table.brackets.order_by("group"))
    assert [b.group for b in brackets] == list(range(1, 15))
    for bracket in brackets:
        assert bracket.income_to is not None  # above the top group § 5 applies, no open group
        incomes = [bracket.income_from, bracket.income_to]
        incomes.append(((bracket.income_from + bracket.income_to) / 2).quantize(Decimal("0.01")))
        for income in incomes:
            for stage in (1, 2, 3, 4):
                group, amount = table_amount(table=income_table, monthly_income=income, stage=stage)
                assert (group, amount) == (bracket.group, bracket.amount(stage)), (income, stage)


def test_further_dependants_never_go_below_group_1(income_table):
    group, amount = table_amount(
        table=income_table, monthly_income=Decimal("100"), stage=1, further_dependants=3
    )
    assert (group, amount) == (1, Decimal("0"))


def test_the_table_in_force_on_a_day_is_used(income_table):
    newer = IncomeTable.objects.create(
        name="Neue Tabelle", valid_from=datetime.date(2027, 1, 1), source="Testquelle"
    )
    IncomeBracket.objects.create(
        table=newer, group=1, income_from=Decimal(0), income_to=None,
        stage_1=Decimal("77"), stage_2=Decimal("66"), stage_3=Decimal("55"), stage_4=Decimal("44"),
    )  # fmt: skip
    assert table_valid_on(datetime.date(2026, 12, 31)) == income_table
    assert table_valid_on(datetime.date(2027, 1, 1)) == newer
    # A table whose top group is open (no "to"): every higher income stays in it.
    assert table_amount(table=newer, monthly_income=Decimal("9000"), stage=2) == (1, Decimal(66))
    with pytest.raises(ValidationError, match="keine Kostenbeitragstabelle"):
        table_valid_on(datetime.date(2020, 1, 1))
