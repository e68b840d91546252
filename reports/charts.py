"""Horizontal bar charts as plain data for an inline SVG (templates/reports/pdf/bar_chart.html).

No chart library and no scripts: the PDF is print-ready and the charts are vector graphics.
Colours are attributes, not inline styles, like the maps in `network.maps`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 680
LABEL_WIDTH = 230
VALUE_WIDTH = 110
BAR_HEIGHT = 13
BAR_GAP = 3
GROUP_GAP = 10
TOP = 28
# The tallest chart that still fits an A4 page beside its heading (in the chart's own units,
# WIDTH wide): longer lists of bars stand closer together instead of running off the page.
MAX_HEIGHT = 860
# Dark blue, light blue, orange: distinguishable in greyscale print and for colour blindness.
COLOURS = ("#08519c", "#6baed6", "#e6550d")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    text: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass
class BarChart:
    title: str
    height: float
    groups: list[BarGroup] = field(default_factory=list)
    legend: list[tuple[str, str, float, float]] = field(
        default_factory=list
    )  # colour, label, box x, text x
    width: float = WIDTH

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"


def bar_chart(
    *,
    title: str,
    series: Sequence[str],
    items: Sequence[tuple[str, Sequence[Decimal | None]]],
    formatter: Callable[[Decimal], str],
    missing: str = "–",
) -> BarChart:
    """Bars per item (one per series), scaled to the largest value; None draws no bar."""
    values = [v for _, row in items for v in row if v is not None]
    top = max((float(v) for v in values), default=0.0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = span / top if top > 0 else 0.0
    chart = BarChart(title=title, height=0)
    count = max(len(items), 1)
    # Each bar's share of the page (bar and the gap below it), never more than the usual one.
    unit = min(BAR_HEIGHT + BAR_GAP, (MAX_HEIGHT - TOP - 2 * count) / (count * len(series)))
    bar_height, bar_gap = (
        unit * BAR_HEIGHT / (BAR_HEIGHT + BAR_GAP),
        unit * BAR_GAP / (BAR_HEIGHT + BAR_GAP),
    )
    room = (MAX_HEIGHT - TOP - count * len(series) * unit) / count
    group_gap = min(GROUP_GAP, max(room, 2.0))
    y: float = TOP
    for label, row in items:
        bars = []
        start = y
        for index, value in enumerate(row):
            width = max(float(value), 0.0) * scale if value is not None else 0.0
            bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=round(y, 1),
                    width=round(width, 1),
                    height=round(bar_height, 1),
                    fill=COLOURS[index % len(COLOURS)],
                    text=formatter(value) if value is not None else missing,
                    text_x=round(LABEL_WIDTH + width + 4, 1),
                    text_y=round(y + bar_height * 0.77, 1),
                )
            )
            y += bar_height + bar_gap
        middle = (start + y - bar_gap) / 2 + 4
        chart.groups.append(BarGroup(label=label, label_y=round(middle, 1), bars=bars))
        y += group_gap
    if len(series) > 1:
        x = float(LABEL_WIDTH)
        for index, name in enumerate(series):
            chart.legend.append((COLOURS[index % len(COLOURS)], name, x, x + 14))
            x += 20 + 7 * len(name)
    chart.height = round(y + 4, 1)
    return chart
