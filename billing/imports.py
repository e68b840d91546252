"""Many Leistungsnachweise at once: a CSV or XLSX file of lines, checked first in a dry run.

One line per day and kind: `falldurchfuehrung;datum;art;menge` (the assignment's number as the
provider's list shows it, TT.MM.JJJJ, a kind code, hours or a count). The lines of one assignment
and month form one statement. The dry run shows per line what will be taken and why a line is
refused; a statement is taken only when all its lines are right (taking the rest would bill the
month short without anyone noticing). Taking the file submits each such statement through
`statement_submit`, in one transaction.
"""

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from billing.models import LineKind
from billing.statements import LineInput, lines_price, month_refusal, month_start, statement_submit
from cases.models import Assignment
from cases.permissions import assignments_visible_to
from documents.uploads import XLSX
from sozialraum.csv_import import ImportInvalid, LineError, Row, csv_date, csv_decode, csv_rows
from sozialraum.models import User
from sozialraum.money import money_format

COLUMNS = ("falldurchfuehrung", "datum", "art", "menge")

KIND_CODES: dict[str, str] = {
    "direkt": LineKind.FACE_TO_FACE,
    "familie": LineKind.WITH_FAMILY,
    "fahrzeit": LineKind.TRAVEL,
    "anwesend": LineKind.PRESENT,
    "abwesend": LineKind.ABSENT,
    "pauschale": LineKind.MONTH,
    "gruppe": LineKind.GROUP_SESSION,
}

# Bound on a file's lines: a year of daily lines for a few hundred assignments.
MAX_LINES = 50_000


@dataclass(frozen=True)
class DryRunLine:
    line: int
    assignment: str
    day: str
    kind: str
    quantity: str
    taken: bool
    note: str


@dataclass
class DryRun:
    lines: list[DryRunLine] = field(default_factory=list)
    # (assignment id, month) → its lines, for the statements that will be taken.
    statements: dict[tuple[int, datetime.date], list[LineInput]] = field(default_factory=dict)

    @property
    def taken_count(self) -> int:
        return sum(1 for line in self.lines if line.taken)

    @property
    def refused_count(self) -> int:
        return len(self.lines) - self.taken_count


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value.date():%d.%m.%Y}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float | int | Decimal):
        return str(value).replace(".", ",")
    return str(value).strip()


def _xlsx_rows(data: bytes) -> tuple[list[Row], list[LineError]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same
        raise ImportInvalid([LineError(1, "Die XLSX-Datei lässt sich nicht lesen.")]) from None
    rows_iter = sheet.iter_rows(values_only=True)
    header_cells = next(rows_iter, None)
    if header_cells is None:
        raise ImportInvalid([LineError(1, "Die Datei ist leer.")])
    header = [_cell_text(cell).lower() for cell in header_cells]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportInvalid(
            [LineError(1, f"Kopfzeile: es fehlen die Spalten {', '.join(missing)}.")]
        )
    rows = []
    for number, cells in enumerate(rows_iter, start=2):
        values = {name: _cell_text(cell) for name, cell in zip(header, cells, strict=False) if name}
        if any(values.values()):
            rows.append(Row(number, values))
    return rows, []


def import_rows_read(*, data: bytes, mime: str) -> tuple[list[Row], list[LineError]]:
    """The file's lines as rows (line numbers as the person sees them) and unreadable lines."""
    if mime == XLSX:
        rows, errors = _xlsx_rows(data)
    else:
        rows, errors = csv_rows(csv_decode(data), columns=COLUMNS, required=COLUMNS)
    if len(rows) > MAX_LINES:
        raise ImportInvalid(
            [LineError(1, f"Die Datei hat mehr als {MAX_LINES} Zeilen; bitte teilen Sie sie.")]
        )
    return rows, errors


def _quantity(raw: str) -> Decimal:
    try:
        value = Decimal(raw.replace(".", "").replace(",", ".") if "," in raw else raw)
    except InvalidOperation:
        raise ValueError(f"„{raw}“ ist keine Zahl.") from None
    if not value.is_finite():
        raise ValueError(f"„{raw}“ ist keine Zahl.")
    return value


def statements_dry_run(*, user: User, rows: list[Row], errors: list[LineError]) -> DryRun:
    """What taking the file would do, line by line, without storing anything."""
    result = DryRun()
    visible = {
        a.pk: a
        for a in assignments_visible_to(user).select_related("case", "help", "provider")
        if a.provider_id == user.provider_id
    }
    parsed: dict[tuple[int, datetime.date], list[tuple[Row, LineInput]]] = defaultdict(list)
    refusals: dict[int, str] = {error.line: error.reason for error in errors}
    for row in rows:
        raw_assignment = row.values.get("falldurchfuehrung", "").removeprefix("FD-").strip()
        try:
            assignment_id = int(raw_assignment)
            if assignment_id not in visible:
                raise ValueError(
                    f"Die Falldurchführung „{raw_assignment}“ gehört nicht zu Ihrem Träger."
                )
            day = csv_date(row.values.get("datum", ""))
            kind_code = row.values.get("art", "").strip().lower()
            if kind_code not in KIND_CODES:
                raise ValueError(
                    f"Unbekannte Art „{kind_code}“ (erlaubt: {', '.join(KIND_CODES)})."
                )
            quantity = _quantity(row.values.get("menge", ""))
        except ValueError as error:
            message = str(error)
            if message.startswith("invalid literal"):
                message = f"„{raw_assignment}“ ist keine Nummer einer Falldurchführung."
            refusals[row.line] = message
            continue
        line = LineInput(number=row.line, day=day, kind=KIND_CODES[kind_code], quantity=quantity)
        parsed[(assignment_id, month_start(day))].append((row, line))
    # Price each (assignment, month) as one statement, as `statement_submit` would.
    group_notes: dict[int, str] = {}
    for (assignment_id, month), members in parsed.items():
        assignment: Assignment = visible[assignment_id]
        lines = [line for _, line in members]
        refusal = month_refusal(assignment=assignment, month=month)
        if refusal:
            for _, line in members:
                refusals[line.number] = refusal
            continue
        priced, line_errors = lines_price(assignment=assignment, month=month, lines=lines)
        for number, message in line_errors.items():
            refusals[number] = message.split(": ", 1)[1]
        if line_errors:
            first_bad = min(line_errors)
            for _, line in members:
                if line.number not in line_errors:
                    refusals[line.number] = (
                        f"Nicht übernommen: Zeile {first_bad} desselben Nachweises "
                        f"({assignment_id}, {month:%m/%Y}) ist fehlerhaft."
                    )
            continue
        result.statements[(assignment_id, month)] = lines
        for p in priced:
            group_notes[p.line.number] = (
                f"wird übernommen: {money_format(p.amount)} (Satz {money_format(p.rate)})"
            )
    for row in rows:
        result.lines.append(
            DryRunLine(
                line=row.line,
                assignment=row.values.get("falldurchfuehrung", ""),
                day=row.values.get("datum", ""),
                kind=row.values.get("art", ""),
                quantity=row.values.get("menge", ""),
                taken=row.line not in refusals,
                note=group_notes.get(row.line) or refusals.get(row.line, ""),
            )
        )
    for line_error in errors:
        result.lines.append(
            DryRunLine(line_error.line, "", "", "", "", taken=False, note=line_error.reason)
        )
    result.lines.sort(key=lambda line: line.line)
    return result


@transaction.atomic
def statements_import(*, user: User, rows: list[Row], errors: list[LineError]) -> int:
    """Submit every statement of the file whose lines are all right; how many were submitted.

    The dry run is repeated here, so what is taken is what the rules say now."""
    dry_run = statements_dry_run(user=user, rows=rows, errors=errors)
    if not dry_run.statements:
        raise ValidationError("Die Datei enthält keinen Leistungsnachweis, der übernommen wird.")
    assignments = {
        a.pk: a for a in Assignment.objects.filter(pk__in={key[0] for key in dry_run.statements})
    }
    for (assignment_id, month), lines in sorted(dry_run.statements.items()):
        statement_submit(user=user, assignment=assignments[assignment_id], month=month, lines=lines)
    return len(dry_run.statements)
