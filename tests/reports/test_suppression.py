"""Small counts are never printed, and cannot be worked out from the sums printed beside them."""

import itertools
import random
from decimal import Decimal

import pytest

from reports.suppression import HIDDEN, SMALL, derived, protect_table, suppress


@pytest.mark.parametrize(
    ("count", "printed"), [(0, 0), (1, SMALL), (2, SMALL), (3, 3), (17, 17), (1000, 1000)]
)
def test_one_and_two_are_printed_as_less_than_three(count, printed):
    assert suppress(count) == printed


def test_a_single_small_count_next_to_a_total_takes_the_next_smallest_with_it():
    # N1 4, N2 2, S1 7: with the total 13 printed, N2 could be worked out as 13 − 4 − 7.
    table = protect_table([[4], [2], [7]])
    assert [row[0] for row in table.cells] == [HIDDEN, SMALL, 7]
    assert table.column_totals == [13]


def test_a_part_that_would_not_help_is_left_visible_and_the_sum_hidden_instead():
    # Hiding a 3 next to the 1 would not do: "< 3" + "x" = 4 is only possible as 1 + 3.
    table = protect_table([[3], [3], [1], [0]])
    assert [row[0] for row in table.cells] == [3, 3, SMALL, 0]
    assert table.column_totals == [HIDDEN]


def test_zeros_stay_visible_and_never_protect_anything():
    # Only 2 and zeros: the total is 2 itself, so it is small as well.
    table = protect_table([[0], [2], [0]])
    assert [row[0] for row in table.cells] == [0, SMALL, 0]
    assert table.column_totals == [SMALL]


def test_two_small_counts_protect_each_other():
    table = protect_table([[1], [2], [9]])
    assert [row[0] for row in table.cells] == [SMALL, SMALL, 9]
    assert table.column_totals == [12]


def test_without_printed_totals_only_the_small_counts_are_hidden():
    table = protect_table([[4, 1], [2, 8]], column_totals=False)
    assert table.cells == [[4, SMALL], [SMALL, 8]]
    assert table.column_totals is None


def test_rows_with_a_total_column_are_protected_both_ways():
    # § 8a per Sozialraum: none, latent, acute and their total.
    table = protect_table([[5, 0, 1], [4, 3, 6]], row_totals=True, column_totals=True)
    assert table.cells[0][2] == SMALL
    assert table.row_totals is not None and table.column_totals is not None
    for parts, total in _groups(table):
        assert sum(not isinstance(v, int) for v in [*parts, total]) != 1


def _groups(table):
    rows = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    rows.append([*table.column_totals, table.grand_total])
    for row in rows:
        yield row[:-1], row[-1]
    for column in zip(*rows, strict=True):
        yield column[:-1], column[-1]


def _recoverable(original, table) -> bool:
    """Could a reader pin down any hidden cell exactly from the printed sums? Brute force: try
    every assignment of hidden cells (small ones 1..2, others 3..max) consistent with the sums."""
    hidden = [
        (r, c)
        for r, row in enumerate(table.cells)
        for c, value in enumerate(row)
        if not isinstance(value, int)
    ]
    if not hidden:
        return False
    # A reader bounds a hidden count only by the printed sum it belongs to.
    top = (
        max(t for t in table.column_totals if isinstance(t, int))
        if any(isinstance(t, int) for t in table.column_totals)
        else 3
    )
    choices = [range(1, 3) if table.cells[r][c] == SMALL else range(3, top + 1) for r, c in hidden]
    seen: dict[tuple, set[int]] = {cell: set() for cell in hidden}
    for values in itertools.product(*choices):
        trial = [list(row) for row in original]
        for (r, c), v in zip(hidden, values, strict=True):
            trial[r][c] = v
        sums_ok = all(
            not isinstance(printed, int) or sum(row[c] for row in trial) == printed
            for c, printed in enumerate(table.column_totals)
        )
        if sums_ok:
            for (r, c), v in zip(hidden, values, strict=True):
                seen[(r, c)].add(v)
    return any(len(values) == 1 for values in seen.values())


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_count_can_be_worked_out_from_a_column_total(seed):
    rng = random.Random(seed)  # noqa: S311 - test data
    original = [[rng.choice([0, 0, 1, 2, 3, 4, 6, 9])] for _ in range(rng.randint(2, 5))]
    table = protect_table(original)
    assert not _recoverable(original, table), (original, table.cells, table.column_totals)
    # Nothing printed as a number differs from the truth, and no 1 or 2 is ever printed.
    for row, printed in zip(original, table.cells, strict=True):
        assert printed[0] in (row[0], SMALL, HIDDEN)
        assert printed[0] not in (1, 2)


def test_rates_and_shares_of_hidden_counts_are_not_printed():
    assert derived(Decimal("1.5"), 3) == Decimal("1.5")
    assert derived(Decimal("0.5"), SMALL) == "–"
    assert derived(Decimal("50.0"), 4, HIDDEN) == "–"
