"""From a report's content to a print-ready A4 PDF (WeasyPrint).

The HTML and CSS are templates (`templates/reports/pdf/`): title page, a table of contents whose
page numbers CSS fills in (`target-counter`), one chapter per section, and a footer with the page
number and the date of the data on every page after the title.
"""

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime

from reports.charts import BarChart, bar_chart
from reports.templatetags.report_format import cell_text

# WeasyPrint logs every layout step of every page at INFO; the worker's log wants the report's
# own events, not a few hundred lines per report.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int


def _table(section: dict, key: str) -> dict | None:
    return next((t for t in section.get("tables", []) if t["key"] == key), None)


def _decimal(value) -> Decimal | None:
    if value is None or value in ("–", "x", "< 3"):
        return None
    return Decimal(str(value))


def _money_axis(value: Decimal) -> str:
    return cell_text(str(value), "money")


def report_charts(content: dict) -> dict[str, list[BarChart]]:
    """Charts per section key, drawn from the same (protected) figures as the tables."""
    sections = {section["key"]: section for section in content["sections"]}
    charts: dict[str, list[BarChart]] = {}
    budget = _table(sections["haushalt"], "budget")
    if budget and budget["rows"]:
        charts["haushalt"] = [
            bar_chart(
                title="Budgets der Regionen: zugewiesen, gebunden und Hochrechnung zum 31.12.",
                series=["zugewiesen", "gebunden", "Hochrechnung"],
                items=[
                    (row[0], [_decimal(row[1]), _decimal(row[2]), _decimal(row[5])])
                    for row in budget["rows"]
                ],
                formatter=_money_axis,
            )
        ]
    kinds = _table(sections["ausgaben"], "arten")
    if kinds and kinds["rows"]:
        year = content.get("fiscal_year")
        # The spending tables are only built for a year that has a fiscal year.
        assert year is not None
        charts["ausgaben"] = [
            bar_chart(
                title=f"Gebundene Mittel nach Art der Arbeit, {year} und {year - 1}",
                series=[str(year), str(year - 1)],
                items=[(row[0], [_decimal(row[1]), _decimal(row[3])]) for row in kinds["rows"]],
                formatter=_money_axis,
            )
        ]
    cases = _table(sections["fallzahlen"], "fallzahlen")
    if cases and cases["rows"]:
        charts["fallzahlen"] = [
            bar_chart(
                title="Laufende Hilfen je 1.000 Minderjährige nach Sozialraum",
                series=["laufende Hilfen je 1.000 Minderjährige"],
                items=[(row[0], [_decimal(row[8])]) for row in cases["rows"]],
                formatter=lambda v: cell_text(str(v), "rate"),
            )
        ]
    return charts


def _printed(table: dict) -> dict:
    """A content table with every value as printed, paired with its column's kind."""
    kinds = [column["kind"] for column in table["columns"]]

    def row_text(row: list) -> list[tuple[str, str]]:
        return [(cell_text(v, kind), kind) for v, kind in zip(row, kinds, strict=True)]

    return {
        **table,
        "body": [row_text(row) for row in table["rows"]],
        "foot": [row_text(row) for row in table["foot"]],
    }


def report_html(content: dict, *, map_html: str = "") -> str:
    charts = report_charts(content)
    sections = [
        {
            **section,
            "charts": charts.get(section["key"], []),
            "tables": [_printed(table) for table in section.get("tables", [])],
        }
        for section in content["sections"]
    ]
    return render_to_string(
        "reports/pdf/report.html",
        {
            "content": content,
            "sections": sections,
            "period_start": datetime.date.fromisoformat(content["period"]["start"]),
            "period_end": datetime.date.fromisoformat(content["period"]["end"]),
            "data_as_of": parse_datetime(content["data_as_of"]),
            "map_html": map_html,
        },
    )


def report_pdf(content: dict, *, map_html: str = "") -> RenderedPdf:
    """Lay the report out with WeasyPrint; the slow part of every report."""
    from weasyprint import CSS, HTML  # heavy: only where PDFs are made

    html = report_html(content, map_html=map_html)
    css = render_to_string("reports/pdf/report.css", {"content": content})
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[CSS(string=css)]
    )
    return RenderedPdf(data=document.write_pdf(), page_count=len(document.pages))
