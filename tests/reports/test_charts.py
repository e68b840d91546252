"""Bar charts of the report: scaled to the largest value, gaps for hidden figures, on one page."""

from decimal import Decimal

from reports.charts import LABEL_WIDTH, MAX_HEIGHT, WIDTH, bar_chart


def test_bars_are_scaled_to_the_largest_value_and_hidden_values_draw_none():
    chart = bar_chart(
        title="Laufende Hilfen je 1.000 Minderjährige",
        series=["je 1.000"],
        items=[("N1", [Decimal("2.5")]), ("N2", [None]), ("S1", [Decimal("5.0")])],
        formatter=lambda v: f"{v}".replace(".", ","),
    )
    n1, n2, s1 = (group.bars[0] for group in chart.groups)
    assert s1.width > 0 and n1.width == s1.width / 2
    assert (n2.width, n2.text) == (0, "–")
    assert s1.x + s1.width <= WIDTH and s1.x == LABEL_WIDTH
    assert chart.legend == []  # one series needs no legend


def test_a_long_list_of_sozialraeume_still_fits_a_page():
    items = [(f"Sozialraum {i}", [Decimal(i)]) for i in range(60)]
    chart = bar_chart(title="60 Sozialräume", series=["x"], items=items, formatter=str)
    assert chart.height <= MAX_HEIGHT + 10
    tops = [group.bars[0].y for group in chart.groups]
    assert tops == sorted(tops) and len(set(tops)) == 60  # no bar on top of another


def test_series_get_their_own_colour_and_legend():
    chart = bar_chart(
        title="Budgets",
        series=["zugewiesen", "gebunden"],
        items=[("Nord", [Decimal("10"), Decimal("4")])],
        formatter=str,
    )
    assert [bar.fill for bar in chart.groups[0].bars] == [entry[0] for entry in chart.legend]
    assert [entry[1] for entry in chart.legend] == ["zugewiesen", "gebunden"]
