"""Protecting families in public committee papers: no count of 1 or 2 per Sozialraum.

`suppress()` is the one rule: a count of 1 or 2 is printed as "< 3". A rule on single cells is not
enough where a table also prints sums: from a column total and the other rows a hidden 2 could be
worked out again. `protect_table()` therefore hides further cells (printed as "x") until no sum
has exactly one hidden part, the usual secondary suppression of official statistics.
Everything printed per Sozialraum (PDF and exports) goes through these two functions. It lives on
the ground floor because the committee report (reports) and the KJH statistics' committee
version (kjhstat), two apps of one layer, both print protected counts; `reports.suppression`
re-exports it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

SMALL = "< 3"  # a count of 1 or 2
HIDDEN = "x"  # a larger count hidden so that a small one cannot be worked out from a sum
NOTE = (
    "Zum Schutz der Familien sind Fallzahlen von 1 oder 2 als „< 3“ ausgewiesen; mit „x“ "
    "gekennzeichnete Werte sind ausgeblendet, damit sich kleine Zahlen nicht aus Summen "
    "errechnen lassen. Anteile und Werte je 1.000 Minderjährige fehlen dort ebenfalls (–)."
)

Shown = int | str


def is_small(count: int) -> bool:
    return 0 < count < 3


def suppress(count: int) -> Shown:
    """The rule for every count about children and families: 1 and 2 become "< 3"."""
    return SMALL if is_small(count) else count


@dataclass
class ProtectedTable:
    """A table of counts as it may be printed: cells, row totals, column totals, grand total."""

    cells: list[list[Shown]]
    row_totals: list[Shown] | None
    column_totals: list[Shown] | None
    grand_total: Shown | None

    def hidden(self, row: int, column: int) -> bool:
        return not isinstance(self.cells[row][column], int)


def protect_table(
    counts: Sequence[Sequence[int]], *, row_totals: bool = False, column_totals: bool = True
) -> ProtectedTable:
    """Primary suppression of every count (and total), then secondary suppression.

    The table is extended by its printed totals; each printed sum from which its hidden parts
    could be worked out gets one more cell hidden (see `_second`), repeated until every sum is
    safe. Zeros are never hidden: they tell nothing about a family.
    """
    rows, columns = len(counts), len(counts[0]) if counts else 0
    # The extended grid: index `rows` is the totals row, index `columns` the totals column.
    grid = [list(row) for row in counts]
    col_sums = [sum(row[c] for row in counts) for c in range(columns)]
    row_sums = [sum(row) for row in counts]
    grid.append([*col_sums, sum(col_sums)])
    for r in range(rows):
        grid[r].append(row_sums[r])
    printed = {(r, c) for r in range(rows) for c in range(columns)}
    if column_totals:
        printed |= {(rows, c) for c in range(columns)}
    if row_totals:
        printed |= {(r, columns) for r in range(rows)}
    if row_totals and column_totals:
        printed.add((rows, columns))
    hidden = {cell for cell in printed if is_small(grid[cell[0]][cell[1]])}
    small = set(hidden)

    # Each printed sum and its parts: columns (with their total), rows (with theirs), and the
    # totals row / totals column with the grand total.
    groups: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if column_totals:
        for c in range(columns + (1 if row_totals else 0)):
            groups.append(([(r, c) for r in range(rows)], (rows, c)))
    if row_totals:
        for r in range(rows + (1 if column_totals else 0)):
            groups.append(([(r, c) for c in range(columns)], (r, columns)))

    def value(cell: tuple[int, int]) -> int:
        return grid[cell[0]][cell[1]]

    def pinned(parts: list[tuple[int, int]], total: tuple[int, int]) -> bool:
        """Could a reader work out a hidden member of this sum? They know the printed parts,
        that each "< 3" is 1 or 2 and each "x" at least 3. A hidden sum of visible parts, one
        hidden part, or a rest that only the smallest (or largest) possible values add up to,
        gives them away."""
        parts_hidden = [cell for cell in parts if cell in hidden]
        if total in hidden:
            return not parts_hidden
        if not parts_hidden:
            return False
        rest = sum(value(cell) for cell in parts_hidden)
        small_parts = sum(cell in small for cell in parts_hidden)
        others = len(parts_hidden) - small_parts
        lowest = small_parts + 3 * others
        return len(parts_hidden) == 1 or rest == lowest or (not others and rest == 2 * small_parts)

    changed = True
    while changed:
        changed = False
        for parts, total in groups:
            if not pinned(parts, total):
                continue
            chosen = _second(parts, total, hidden, value, pinned)
            if chosen not in hidden:
                hidden.add(chosen)
                changed = True

    def shown(r: int, c: int) -> Shown:
        if (r, c) in small:
            return SMALL
        return HIDDEN if (r, c) in hidden else grid[r][c]

    return ProtectedTable(
        cells=[[shown(r, c) for c in range(columns)] for r in range(rows)],
        row_totals=[shown(r, columns) for r in range(rows)] if row_totals else None,
        column_totals=[shown(rows, c) for c in range(columns)] if column_totals else None,
        grand_total=shown(rows, columns) if row_totals and column_totals else None,
    )


def _second(parts, total, hidden, value, pinned) -> tuple[int, int]:
    """The cell to hide next in a sum that gives something away: the smallest visible part
    that makes the sum safe on its own (hiding a 3 next to a 1 does not: 1 + 3 is the least an
    "< 3" and an "x" can be), else the sum itself, else the smallest visible part."""
    candidates = sorted(
        (cell for cell in parts if cell not in hidden and value(cell) > 0),
        key=lambda cell: (value(cell), cell),
    )
    for cell in candidates:
        hidden.add(cell)
        safe = not pinned(parts, total)
        hidden.discard(cell)
        if safe:
            return cell
    if total not in hidden:
        return total
    return candidates[0] if candidates else total


def derived(value: Decimal | None, *counts: Shown) -> Decimal | str | None:
    """A rate or share is printed only where every count it rests on is printed exactly."""
    if any(not isinstance(count, int) for count in counts):
        return "–"
    return value
