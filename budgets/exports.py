"""Exports for planners: the ledger and each overview as CSV (German Excel) and XLSX.

CSV: semicolon, decimal comma, UTF-8 with BOM, so that Excel opens it correctly.
XLSX: real numbers with a euro format, so that planners can calculate with them.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budgets.models import FiscalYear
from budgets.selectors import (
    BreakdownRow,
    YearOverview,
    breakdown_by_help_type,
    breakdown_by_kind,
    breakdown_by_provider,
    breakdown_by_sozialraum,
    budgets_visible_to,
    ledger_entries_visible_to,
    year_overview,
)
from sozialraum.models import User

TEXT, MONEY, DATE, PERCENT = "text", "money", "date", "percent"
XLSX_FORMATS = {MONEY: "#,##0.00 €", DATE: "DD.MM.YYYY", PERCENT: "0.0"}


@dataclass
class Table:
    title: str
    columns: list[tuple[str, str]]  # (German header, kind)
    rows: list[list]


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind in (MONEY, PERCENT):
        text = f"{value:.2f}" if kind == MONEY else f"{value:.1f}"
        return text.replace(".", ",")
    if kind == DATE:
        return value.strftime("%d.%m.%Y")
    return str(value)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for header, _ in table.columns])
    for row in table.rows:
        writer.writerow(
            [_csv_value(value, kind) for value, (_, kind) in zip(row, table.columns, strict=True)]
        )
    return buffer.getvalue().encode("utf-8-sig")


def sheet_append_table(sheet: Worksheet, table: Table) -> None:
    """Append the table's header (bold) and rows to an XLSX sheet, numbers and dates with the
    format of their column (text such as "< 3" stays text)."""
    sheet.append([header for header, _ in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        for cell, (_, kind) in zip(sheet[sheet.max_row], table.columns, strict=True):
            if kind in XLSX_FORMATS and cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = XLSX_FORMATS[kind]


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet(table.title[:31])
    sheet_append_table(sheet, table)
    for index, (header, _) in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_table(user: User, fiscal_year: FiscalYear) -> Table:
    entries = ledger_entries_visible_to(user, fiscal_year=fiscal_year)
    rows = [
        [
            entry.pk,
            entry.booked_on,
            entry.budget.label,
            entry.get_kind_display(),
            entry.get_figure_display(),
            entry.amount,
            entry.text,
            entry.reason,
            entry.reverses_id,
            entry.created_by.get_full_name() or entry.created_by.username,
        ]
        for entry in entries
    ]
    return Table(
        f"Buchungen {fiscal_year.year}",
        [
            ("Buchungsnummer", TEXT),
            ("Buchungsdatum", DATE),
            ("Budget", TEXT),
            ("Buchungsart", TEXT),
            ("Größe", TEXT),
            ("Betrag (€)", MONEY),
            ("Buchungstext", TEXT),
            ("Begründung", TEXT),
            ("storniert Buchung", TEXT),
            ("gebucht von", TEXT),
        ],
        rows,
    )


def overview_table(overview: YearOverview) -> Table:
    rows = [
        [
            row.label,
            row.figures.allocated,
            row.figures.committed,
            row.figures.paid,
            row.figures.free,
            row.figures.forecast,
            row.figures.used_percent,
            "ja" if row.figures.forecast_exceeds else "nein",
        ]
        for row in overview.rows
    ]
    return Table(
        f"Übersicht {overview.fiscal_year.year}",
        [
            ("Budget", TEXT),
            ("Zugewiesen (€)", MONEY),
            ("Gebunden (€)", MONEY),
            ("Gezahlt (€)", MONEY),
            ("Frei (€)", MONEY),
            ("Hochrechnung 31.12. (€)", MONEY),
            ("Ausschöpfung (%)", PERCENT),
            ("Hochrechnung über Budget", TEXT),
        ],
        rows,
    )


def breakdown_table(title: str, label: str, rows: list[BreakdownRow]) -> Table:
    return Table(
        title,
        [(label, TEXT), ("Gebunden (€)", MONEY), ("Gezahlt (€)", MONEY), ("Anteil (%)", PERCENT)],
        [[row.label, row.committed, row.paid, row.share] for row in rows],
    )


PARTS = {
    "buchungen": "Buchungen",
    "uebersicht": "Übersicht",
    "arten": "Arten der Arbeit",
    "hilfearten": "Hilfearten",
    "traeger": "Träger",
    "sozialraeume": "Sozialräume",
}


def export_table(user: User, fiscal_year: FiscalYear, part: str) -> Table:
    """The table behind one export; `part` is a key of PARTS."""
    if part == "buchungen":
        return ledger_table(user, fiscal_year)
    if part == "uebersicht":
        return overview_table(year_overview(user, fiscal_year))
    regions = budgets_visible_to(user).filter(fiscal_year=fiscal_year, region__isnull=False)
    if part == "arten":
        return breakdown_table(
            f"Arten der Arbeit {fiscal_year.year}", "Art der Arbeit", breakdown_by_kind(regions)
        )
    if part == "hilfearten":
        return breakdown_table(
            f"Hilfearten {fiscal_year.year}", "Hilfeart", breakdown_by_help_type(regions)
        )
    if part == "traeger":
        return breakdown_table(
            f"Träger {fiscal_year.year}", "Träger", breakdown_by_provider(regions)
        )
    if part == "sozialraeume":
        return breakdown_table(
            f"Sozialräume {fiscal_year.year}", "Sozialraum", breakdown_by_sozialraum(regions)
        )
    raise KeyError(part)


def export_filename(fiscal_year: FiscalYear, part: str, extension: str) -> str:
    stamp = datetime.date.today().strftime("%Y-%m-%d")
    return f"budget-{fiscal_year.year}-{part}-{stamp}.{extension}"
