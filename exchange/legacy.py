"""Cases from the old system: one CSV or XLSX file, one record per line (docs/exchange.md).

Every line names its kind (`satzart`): FALL (a case, with the address), PERSON (a person of a
case), HILFE (a decided help), TRAEGER (the help's assignment to a Träger), 8A (a § 8a concern)
and NOTIZ (a note). The old system's codes (help types, Träger, roles) are translated by a
mapping file. Records are created through the same services the pages use (`case_intake`,
`help_decide`, `assignment_commission`, `risk_report`, `note_add`), so every rule, audit entry and
budget booking of the portal applies to them.

The dry run does exactly what the real run does inside a transaction and rolls it back, so its
report is what the real run will do, line by line. Each line runs in its own savepoint: a
refused line changes nothing and the others go ahead. Each created record keeps its external id
(`LegacyRecord`): a second run of the same file finds it and creates nothing twice.
"""

import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from budgets.commissioning import assignment_commission, case_transition
from cases.models import (
    Case,
    CaseStatus,
    ConcernChannel,
    ConcernSource,
    Help,
    HelpType,
    NoteKind,
    PersonRole,
)
from cases.protection import ConcernInput, risk_report
from cases.services import PersonInput, case_intake, help_decide, note_add
from exchange.models import LegacyRecord
from sozialraum.csv_import import (
    ImportInvalid,
    LineError,
    Row,
    csv_date,
    csv_decimal,
    csv_decode,
    csv_rows,
)
from sozialraum.models import Provider, User
from sozialraum.selectors import AddressStatus, address_resolve

COLUMNS = (
    "satzart",
    "fall_nr",
    "satz_nr",
    "datum",
    "ende",
    "code",
    "nachname",
    "vorname",
    "geburtsdatum",
    "strasse",
    "hausnummer",
    "plz",
    "betrag",
    "stunden",
    "text",
)
REQUIRED = ("satzart", "fall_nr", "satz_nr")
KINDS = ("FALL", "PERSON", "HILFE", "TRAEGER", "8A", "NOTIZ")
MAPPING_COLUMNS = ("bereich", "alt", "neu")
MAPPING_AREAS = ("hilfeart", "traeger", "rolle", "quelle")

# Service field names → the file's columns, for "Zeile 7, Spalte datum: …".
FIELD_COLUMNS = {
    "opened_on": "datum",
    "postcode": "plz",
    "street": "strasse",
    "house_number": "hausnummer",
    "starts_on": "datum",
    "planned_end_on": "ende",
    "ends_on": "ende",
    "monthly_cost": "betrag",
    "hours_per_week": "stunden",
    "help_type": "code",
    "provider": "code",
    "known_on": "datum",
    "facts": "text",
    "text": "text",
    "contact_on": "datum",
    "first_name": "vorname",
    "last_name": "nachname",
    "birth_date": "geburtsdatum",
    "role": "code",
}


@dataclass
class LineResult:
    line: int
    kind: str
    status: str  # "anlegen" / "angelegt", "schon importiert", "abgelehnt"
    text: str

    def __str__(self) -> str:
        return f"Zeile {self.line} ({self.kind}): {self.status} – {self.text}"


@dataclass
class LegacyReport:
    dry_run: bool
    lines: list[LineResult] = field(default_factory=list)
    look: list[str] = field(default_factory=list)  # what needs a caseworker's look

    @property
    def refused(self) -> list[LineResult]:
        return [line for line in self.lines if line.status == "abgelehnt"]

    @property
    def created(self) -> list[LineResult]:
        return [line for line in self.lines if line.status in ("anlegen", "angelegt")]


class LineRefused(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        super().__init__(message)


def table_read(data: bytes, *, encoding: str = "utf-8") -> tuple[list[Row], list[LineError]]:
    """The rows of a CSV file (shared reader) or of the first sheet of an XLSX file."""
    if data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data)):
        return csv_rows(_xlsx_as_csv(data), columns=COLUMNS, required=REQUIRED)
    return csv_rows(csv_decode(data, encoding=encoding), columns=COLUMNS, required=REQUIRED)


def _xlsx_as_csv(data: bytes) -> str:
    import csv

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise ImportInvalid([LineError(1, "Die XLSX-Datei ist nicht lesbar.")]) from None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for cells in sheet.iter_rows(values_only=True):
        writer.writerow(
            [
                value.strftime("%d.%m.%Y")
                if isinstance(value, datetime.date | datetime.datetime)
                else ("" if value is None else str(value))
                for value in cells
            ]
        )
    return out.getvalue()


def mapping_read(data: bytes, *, encoding: str = "utf-8") -> dict[tuple[str, str], str]:
    """The mapping file: `bereich;alt;neu`, e.g. `hilfeart;SPFH;31`, `traeger;T07;AWO`."""
    rows, errors = csv_rows(
        csv_decode(data, encoding=encoding), columns=MAPPING_COLUMNS, required=MAPPING_COLUMNS
    )
    mapping: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], int] = {}
    allowed = ", ".join(MAPPING_AREAS)
    for row in rows:
        area = row.values["bereich"].lower()
        key = (area, row.values["alt"])
        if area not in MAPPING_AREAS:
            errors.append(
                LineError(
                    row.line,
                    f"Spalte bereich: „{area}“ ist unbekannt (erlaubt: {allowed}).",
                )
            )
        elif key in seen:
            errors.append(
                LineError(
                    row.line,
                    f"Spalte alt: „{key[1]}“ steht schon in Zeile {seen[key]} (doppelte Kennung).",
                )
            )
        else:
            seen[key] = row.line
            mapping[key] = row.values["neu"]
    if errors:
        raise ImportInvalid(errors)
    return mapping


def _date_or_none(row: Row, column: str) -> datetime.date | None:
    """The column's date, or None where the old system left it empty."""
    raw = row.values.get(column, "")
    if not raw:
        return None
    try:
        return csv_date(raw)
    except ValueError as error:
        raise LineRefused(column, str(error)) from None


def _date(row: Row, column: str) -> datetime.date:
    """The column's date; an empty one refuses the line."""
    day = _date_or_none(row, column)
    if day is None:
        raise LineRefused(column, "Bitte ein Datum angeben (TT.MM.JJJJ).")
    return day


def _decimal(row: Row, column: str) -> Decimal | None:
    raw = row.values.get(column, "")
    if not raw:
        return None
    try:
        return csv_decimal(raw)
    except ValueError as error:
        raise LineRefused(column, str(error)) from None


def _mapped(mapping: dict, area: str, row: Row, column: str = "code") -> str:
    code = row.values.get(column, "")
    if (area, code) not in mapping:
        raise LineRefused(
            column, f"Der Code „{code}“ steht nicht in der Zuordnungsdatei (Bereich {area})."
        )
    return mapping[(area, code)]


def _refusal(error: ValidationError) -> LineRefused:
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.error_dict.items()))
        text = " ".join(m for e in messages for m in e.messages)
        return LineRefused(FIELD_COLUMNS.get(name, ""), text)
    return LineRefused("", " ".join(error.messages))


class _Run:
    def __init__(self, *, user: User, steering: User, mapping: dict, report: LegacyReport):
        self.user = user
        self.steering = steering
        self.mapping = mapping
        self.report = report
        self.persons: dict[str, list[Row]] = defaultdict(list)

    def _known(self, kind: str, external_id: str) -> LegacyRecord | None:
        return LegacyRecord.objects.filter(kind=kind, external_id=external_id).first()

    def _remember(self, kind: str, external_id: str, obj) -> None:
        LegacyRecord.objects.create(
            kind=kind,
            external_id=external_id,
            target=obj._meta.label_lower,
            object_id=obj.pk,
            imported_by=self.user,
        )

    def _case(self, fall_nr: str) -> Case:
        record = self._known("FALL", fall_nr)
        if record is None:
            raise LineRefused(
                "fall_nr", f"Der Fall {fall_nr} ist nicht (oder nicht fehlerfrei) angelegt."
            )
        return Case.objects.get(pk=record.object_id)

    def case(self, row: Row) -> str:
        values = row.values
        persons = []
        for person_row in self.persons.get(values["fall_nr"], []):
            role = _mapped(self.mapping, "rolle", person_row)
            persons.append(
                PersonInput(
                    role=role,
                    first_name=person_row.values["vorname"],
                    last_name=person_row.values["nachname"],
                    birth_date=_date_or_none(person_row, "geburtsdatum"),
                )
            )
        if not any(p.role == PersonRole.CHILD for p in persons):
            raise LineRefused(
                "fall_nr", "Zu diesem Fall gibt es keine PERSON-Zeile mit einem Kind."
            )
        opened_on = _date(row, "datum")
        answer = address_resolve(
            street=values["strasse"],
            house_number=values["hausnummer"],
            postcode=values["plz"],
            on=opened_on,
        )
        if answer.status != AddressStatus.FOUND or answer.sozialraum is None:
            raise LineRefused("strasse", answer.message)
        try:
            case = case_intake(
                user=self.user,
                sozialraum=answer.sozialraum,
                steering_caseworker=self.steering,
                opened_on=opened_on,
                street=values["strasse"],
                house_number=values["hausnummer"],
                postcode=values["plz"],
                concern=values["text"] or "aus dem Altsystem übernommen",
                will="",
                persons=persons,
                resources=[],
                goals=[],
            )
        except ValidationError as error:
            raise _refusal(error) from None
        self._remember("FALL", values["fall_nr"], case)
        for person_row, person in zip(
            self.persons.get(values["fall_nr"], []), case.persons.order_by("pk"), strict=False
        ):
            self._remember("PERSON", f"{values['fall_nr']}/{person_row.values['satz_nr']}", person)
            if person.birth_date is None:
                self.report.look.append(
                    f"Fall {case.number}: {person.first_name} {person.last_name} ohne Geburtsdatum "
                    f"(Zeile {person_row.line})."
                )
        return f"Fall {case.number} in {answer.sozialraum.name} mit {len(persons)} Personen"

    def help(self, row: Row) -> str:
        case = self._case(row.values["fall_nr"])
        code = _mapped(self.mapping, "hilfeart", row)
        help_type = HelpType.objects.filter(code=code).first()
        if help_type is None:
            raise LineRefused("code", f"Die Hilfeart „{code}“ gibt es im Portal nicht.")
        starts_on = _date(row, "datum")
        planned_end_on = _date(row, "ende")
        try:
            if case.status == CaseStatus.INTAKE:
                # In the old system the case was past its intake when the help was decided.
                case = case_transition(
                    user=self.user,
                    case=case,
                    to_status=CaseStatus.CLARIFICATION,
                    reason="Übernahme aus dem Altsystem",
                )
            help_ = help_decide(
                user=self.user,
                case=case,
                help_type=help_type,
                starts_on=starts_on,
                planned_end_on=planned_end_on,
                monthly_cost=_decimal(row, "betrag"),
                hours_per_week=_decimal(row, "stunden"),
                rationale=row.values["text"] or "aus dem Altsystem übernommen",
                new_goals=["aus dem Altsystem übernommen – bitte mit der Familie neu fassen"],
                confirmed_warnings=True,
            )
        except ValidationError as error:
            raise _refusal(error) from None
        self._remember("HILFE", f"{row.values['fall_nr']}/{row.values['satz_nr']}", help_)
        self.report.look.append(
            f"Fall {case.number}: Hilfeplan der Hilfe {help_type.name} mit Zielen der Familie "
            f"füllen (Zeile {row.line})."
        )
        return f"Hilfe {help_type.name} ab {starts_on:%d.%m.%Y} im Fall {case.number}"

    def assignment(self, row: Row) -> str:
        case = self._case(row.values["fall_nr"])
        helps = Help.objects.filter(case=case, ended_on__isnull=True).order_by("-starts_on")
        help_ = helps.first()
        if help_ is None:
            raise LineRefused(
                "fall_nr", "Der Fall hat keine laufende Hilfe, die übertragen werden kann."
            )
        short_name = _mapped(self.mapping, "traeger", row)
        provider = Provider.objects.filter(short_name=short_name).first()
        if provider is None:
            raise LineRefused("code", f"Den Träger „{short_name}“ gibt es im Portal nicht.")
        try:
            commissioned = assignment_commission(
                user=self.user,
                help_=help_,
                provider=provider,
                starts_on=_date(row, "datum"),
                ends_on=_date(row, "ende"),
                instructions=row.values["text"],
            )
        except ValidationError as error:
            raise _refusal(error) from None
        assignment = commissioned.assignment
        self._remember("TRAEGER", f"{row.values['fall_nr']}/{row.values['satz_nr']}", assignment)
        return f"Übertragung an {provider.short_name} im Fall {case.number}"

    def concern(self, row: Row) -> str:
        case = self._case(row.values["fall_nr"])
        children = list(case.persons.filter(role=PersonRole.CHILD))
        source = self.mapping.get(("quelle", row.values["code"]), ConcernSource.OTHER)
        try:
            assessments = risk_report(
                user=self.user,
                case=case,
                children=children,
                concern=ConcernInput(
                    known_on=_date(row, "datum"),
                    known_channel=ConcernChannel.OTHER,
                    source=source,
                    source_detail="Altsystem" if source == ConcernSource.OTHER else "",
                    facts=row.values["text"],
                ),
            )
        except ValidationError as error:
            raise _refusal(error) from None
        self._remember("8A", f"{row.values['fall_nr']}/{row.values['satz_nr']}", assessments[0])
        self.report.look.append(
            f"Fall {case.number}: § 8a-Meldung vom {assessments[0].known_on:%d.%m.%Y} ohne "
            f"Ergebnis übernommen – Einschätzung nachtragen (Zeile {row.line})."
        )
        return f"§ 8a-Meldung im Fall {case.number} (Ergebnis offen)"

    def note(self, row: Row) -> str:
        case = self._case(row.values["fall_nr"])
        on = _date(row, "datum")
        text = row.values["text"]
        if not text:
            raise LineRefused("text", "Bitte einen Text angeben.")
        try:
            # Notes keep their date in the text: the portal's notes are dated by their writing,
            # backdated at most a few days.
            note = note_add(
                user=self.user,
                case=case,
                kind=NoteKind.ASD,
                text=f"[Altsystem, {on:%d.%m.%Y}] {text}",
            )
        except ValidationError as error:
            raise _refusal(error) from None
        self._remember("NOTIZ", f"{row.values['fall_nr']}/{row.values['satz_nr']}", note)
        return f"Notiz vom {on:%d.%m.%Y} im Fall {case.number}"


def _external_id(row: Row) -> str:
    if row.values["satzart"] == "FALL":
        return row.values["fall_nr"]
    return f"{row.values['fall_nr']}/{row.values['satz_nr']}"


def legacy_import(
    *,
    data: bytes,
    mapping_data: bytes,
    user: User,
    steering: User,
    dry_run: bool,
    encoding: str = "utf-8",
) -> LegacyReport:
    """Read, check and (unless `dry_run`) create the old system's records. Raises ImportInvalid
    when the file or the mapping cannot be read at all; every other problem is a line of the
    report, with line and column."""
    mapping = mapping_read(mapping_data, encoding=encoding)
    rows, errors = table_read(data, encoding=encoding)
    report = LegacyReport(dry_run=dry_run)
    for error in errors:
        report.lines.append(LineResult(error.line, "?", "abgelehnt", error.reason))
    run = _Run(user=user, steering=steering, mapping=mapping, report=report)
    by_kind: dict[str, list[Row]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        kind = row.values["satzart"].upper()
        row.values["satzart"] = kind
        if kind not in KINDS:
            report.lines.append(
                LineResult(
                    row.line,
                    kind or "?",
                    "abgelehnt",
                    f"Spalte satzart: „{kind}“ ist unbekannt (erlaubt: {', '.join(KINDS)}).",
                )
            )
            continue
        key = (kind, _external_id(row))
        if key in seen:
            report.lines.append(
                LineResult(
                    row.line,
                    kind,
                    "abgelehnt",
                    f"Spalte satz_nr: die Kennung {key[1]} steht schon in Zeile {seen[key]}.",
                )
            )
            continue
        seen[key] = row.line
        if kind == "PERSON":
            run.persons[row.values["fall_nr"]].append(row)
        by_kind[kind].append(row)
    steps = [
        ("FALL", run.case),
        ("HILFE", run.help),
        ("TRAEGER", run.assignment),
        ("8A", run.concern),
        ("NOTIZ", run.note),
    ]
    done = "anlegen" if dry_run else "angelegt"
    with transaction.atomic():
        for kind, step in steps:
            for row in by_kind[kind]:
                known = LegacyRecord.objects.filter(
                    kind=kind, external_id=_external_id(row)
                ).first()
                if known is not None:
                    report.lines.append(
                        LineResult(
                            row.line,
                            kind,
                            "schon importiert",
                            f"am {timezone.localtime(known.imported_at):%d.%m.%Y} – nichts zu tun",
                        )
                    )
                    continue
                try:
                    with transaction.atomic():
                        text = step(row)
                except LineRefused as refused:
                    where = f"Spalte {refused.column}: " if refused.column else ""
                    report.lines.append(
                        LineResult(row.line, kind, "abgelehnt", where + str(refused))
                    )
                else:
                    report.lines.append(LineResult(row.line, kind, done, text))
        for row in by_kind["PERSON"]:
            report.lines.append(_person_result(report, row, by_kind["FALL"]))
        if dry_run:
            transaction.set_rollback(True)
    report.lines.sort(key=lambda result: result.line)
    return report


def _person_result(report: LegacyReport, row: Row, case_rows: list[Row]) -> LineResult:
    """A person is created with its case (`case_intake` takes the family at once)."""
    case_line = next(
        (r.line for r in case_rows if r.values["fall_nr"] == row.values["fall_nr"]), None
    )
    if case_line is None:
        text = f"Spalte fall_nr: zum Fall {row.values['fall_nr']} gibt es keine FALL-Zeile."
        return LineResult(row.line, "PERSON", "abgelehnt", text)
    case_result = next(r for r in report.lines if r.line == case_line)
    if case_result.status == "abgelehnt":
        text = f"Spalte fall_nr: der Fall aus Zeile {case_line} wird nicht angelegt."
        return LineResult(row.line, "PERSON", "abgelehnt", text)
    return LineResult(row.line, "PERSON", case_result.status, f"mit dem Fall aus Zeile {case_line}")
