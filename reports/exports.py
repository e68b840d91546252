"""A finished report's figures as CSV (one table) and XLSX (every table, one sheet each).

Made from the content stored with the report, so they are the figures of the PDF: the same
date of the data, the same protection of small counts ("< 3", "x" stay text in every format).
"""

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budgets.exports import Table, sheet_append_table, table_csv
from reports.models import ReportRequest

# Report column kinds → the budgets export's kinds (which know German CSV and Excel formats).
KINDS = {"money": "money", "percent": "percent", "rate": "percent", "change": "percent"}


def _number(value, kind: str):
    """Money and decimals as Decimal (so Excel can calculate); a rate or share that may not be
    printed stays empty; the markers of hidden counts ("< 3", "x") stay text."""
    if kind not in KINDS:
        return value
    return None if value in (None, "–") else Decimal(str(value))


def report_tables(report: ReportRequest) -> list[tuple[str, dict]]:
    """(section title, table) of every table of the report, in print order."""
    # Only finished reports are exported, and a finished report has content (a constraint).
    assert report.content is not None
    return [
        (section["title"], table)
        for section in report.content["sections"]
        for table in section.get("tables", [])
    ]


def _as_table(table: dict) -> Table:
    columns = [(c["label"], KINDS.get(c["kind"], "text")) for c in table["columns"]]
    kinds = [c["kind"] for c in table["columns"]]
    rows = [
        [_number(value, kind) for value, kind in zip(row, kinds, strict=True)]
        for row in [*table["rows"], *table["foot"]]
    ]
    return Table(table["title"], columns, rows)


def report_table_csv(report: ReportRequest, key: str) -> bytes | None:
    for _, table in report_tables(report):
        if table["key"] == key:
            return table_csv(_as_table(table))
    return None


def _sheet_title(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", text)[:28].strip() or "Tabelle"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:25]} {n}", n + 1
    taken.add(title)
    return title


def report_xlsx(report: ReportRequest) -> bytes:
    """Every table on its own sheet, headed by the report's period and date of the data."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    taken: set[str] = set()
    period = (
        f"{report.period_start:%d.%m.%Y} bis {report.period_end:%d.%m.%Y}, Stand der Daten "
        f"{report.data_as_of:%d.%m.%Y %H:%M}"
    )
    for _, raw in report_tables(report):
        table = _as_table(raw)
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        sheet.append([table.title])
        sheet.append([period])
        sheet["A1"].font = Font(bold=True)
        sheet_append_table(sheet, table)
        for index in range(1, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 18
        sheet.column_dimensions["A"].width = 40
        sheet.freeze_panes = "B4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
