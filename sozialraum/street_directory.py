"""Reading and checking a street directory file (CSV) before anything is stored.

The file has a header line and one street segment per line:

    strasse;plz;hausnummer_von;hausnummer_bis;seite;sozialraum;gueltig_ab;gueltig_bis
    Lindenallee;24851;1;99;ungerade;N1;01.01.2024;

`seite` is alle / gerade / ungerade (empty = alle); empty house numbers mean "from the first" or
"to the last"; `sozialraum` is the Sozialraum's Kürzel; `gueltig_ab` defaults to the start of
the Sozialraum with that Kürzel valid today (or the newest one). Dates are TT.MM.JJJJ or
JJJJ-MM-TT. Semicolon or comma separated, UTF-8.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from sozialraum.addresses import POSTCODE, street_key
from sozialraum.models import Parity, Sozialraum, StreetSegment

COLUMNS = (
    "strasse",
    "plz",
    "hausnummer_von",
    "hausnummer_bis",
    "seite",
    "sozialraum",
    "gueltig_ab",
    "gueltig_bis",
)
REQUIRED_COLUMNS = ("strasse", "plz", "sozialraum")
_PARITY_WORDS = {"": Parity.ALL, "alle": Parity.ALL, "gerade": Parity.EVEN, "ungerade": Parity.ODD}


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.reason}"


@dataclass
class ParsedSegment:
    line: int
    segment: StreetSegment


class StreetDirectoryInvalid(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def _parse_date(raw: str) -> datetime.date:
    raw = raw.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"„{raw}“ ist kein Datum (TT.MM.JJJJ).")


def _parse_number(raw: str, label: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{label} „{raw}“ ist keine ganze Zahl ab 1.")
    return int(raw)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StreetDirectoryInvalid(
            [LineError(1, "Die Datei ist nicht UTF-8-kodiert. Bitte als „CSV UTF-8“ speichern.")]
        ) from None


def parse(text: str, sozialraeume: Iterable[Sozialraum]) -> list[ParsedSegment]:
    """Parse and check every line; raise StreetDirectoryInvalid naming each bad line."""
    by_code: dict[str, list[Sozialraum]] = {}
    for sozialraum in sozialraeume:
        by_code.setdefault(sozialraum.code.casefold(), []).append(sozialraum)

    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise StreetDirectoryInvalid([LineError(1, "Die Datei ist leer.")]) from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name and name not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("es fehlen die Spalten " + ", ".join(missing))
        if unknown:
            parts.append("unbekannte Spalten " + ", ".join(unknown))
        raise StreetDirectoryInvalid(
            [LineError(1, "Kopfzeile: " + "; ".join(parts) + f". Erwartet: {';'.join(COLUMNS)}")]
        )

    errors: list[LineError] = []
    parsed: list[ParsedSegment] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(
                LineError(line, f"{len(row)} statt {len(header)} Spalten (Trennzeichen prüfen).")
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        try:
            parsed.append(ParsedSegment(line, _segment_from(values, by_code)))
        except ValueError as problem:
            errors.append(LineError(line, str(problem)))
    if not parsed and not errors:
        errors.append(LineError(1, "Die Datei enthält keine Straßenabschnitte."))
    errors.extend(_conflicts(parsed))
    if errors:
        raise StreetDirectoryInvalid(sorted(errors, key=lambda error: error.line))
    return parsed


def _segment_from(values: dict[str, str], by_code: dict[str, list[Sozialraum]]) -> StreetSegment:
    problems: list[str] = []

    def attempt(parse_value, *args):
        try:
            return parse_value(*args)
        except ValueError as problem:
            problems.append(str(problem))
            return None

    street = values.get("strasse", "")
    if not street_key(street):
        problems.append("Die Straße fehlt.")
    postcode = values.get("plz", "")
    if not POSTCODE.match(postcode):
        problems.append(f"Die Postleitzahl „{postcode}“ hat nicht fünf Ziffern.")
    number_from = attempt(_parse_number, values.get("hausnummer_von", ""), "Hausnummer von")
    number_to = attempt(_parse_number, values.get("hausnummer_bis", ""), "Hausnummer bis")
    if number_from and number_to and number_to < number_from:
        problems.append(f"Hausnummer bis ({number_to}) liegt vor Hausnummer von ({number_from}).")
    side = values.get("seite", "").lower()
    parity = _PARITY_WORDS.get(side)
    if parity is None:
        problems.append(f"Seite „{side}“ ist unbekannt (alle, gerade oder ungerade).")
    valid_from = attempt(_parse_date, values["gueltig_ab"]) if values.get("gueltig_ab") else None
    valid_until = attempt(_parse_date, values["gueltig_bis"]) if values.get("gueltig_bis") else None
    if valid_from and valid_until and valid_until < valid_from:
        problems.append("gueltig_bis liegt vor gueltig_ab.")

    code = values.get("sozialraum", "")
    versions = by_code.get(code.casefold(), [])
    sozialraum = None
    if not code:
        problems.append("Der Sozialraum fehlt.")
    elif not versions:
        problems.append(f"Einen Sozialraum mit dem Kürzel „{code}“ gibt es nicht.")
    else:
        if valid_from:
            sozialraum = next((v for v in versions if v.is_valid_on(valid_from)), None)
            start = valid_from
        else:
            # Without a start date the line means the Sozialraum as it is today (else the newest).
            today = timezone.localdate()
            sozialraum = next((v for v in versions if v.is_valid_on(today)), None) or max(
                versions, key=lambda v: v.valid_from
            )
            start = sozialraum.valid_from
        if sozialraum is None:
            problems.append(f"Der Sozialraum „{code}“ gilt am {start:%d.%m.%Y} nicht.")
        else:
            valid_from = valid_from or sozialraum.valid_from
            ends_after = sozialraum.valid_until and (
                valid_until is None or valid_until > sozialraum.valid_until
            )
            if ends_after:
                problems.append(
                    f"Der Sozialraum „{code}“ gilt nur bis {sozialraum.valid_until:%d.%m.%Y}; "
                    "bitte gueltig_bis angeben."
                )
    if problems:
        raise ValueError(" ".join(problems))
    return StreetSegment(
        street=street,
        street_key=street_key(street),
        postcode=postcode,
        number_from=number_from,
        number_to=number_to,
        parity=parity,
        sozialraum=sozialraum,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def segments_overlap(a: StreetSegment, b: StreetSegment) -> bool:
    """True if some house number on some day belongs to both segments."""
    if a.street_key != b.street_key or a.postcode != b.postcode or not a.overlaps(b):
        return False
    low = max(a.number_from or 1, b.number_from or 1)
    high = min(a.number_to or 10**9, b.number_to or 10**9)
    if low > high:
        return False
    parities = {a.parity, b.parity} - {Parity.ALL}
    if len(parities) > 1:
        return False  # odd and even sides never share a number
    if not parities or high > low:
        return True
    return (low % 2 == 1) == (Parity.ODD in parities)


def _conflicts(parsed: list[ParsedSegment]) -> list[LineError]:
    errors: list[LineError] = []
    by_street: dict[tuple[str, str], list[ParsedSegment]] = {}
    for item in parsed:
        by_street.setdefault((item.segment.street_key, item.segment.postcode), []).append(item)
    for (key, postcode), items in by_street.items():
        for index, item in enumerate(items):
            for earlier in items[:index]:
                if segments_overlap(item.segment, earlier.segment):
                    errors.append(
                        LineError(item.line, f"überschneidet sich mit Zeile {earlier.line}.")
                    )
        stored = StreetSegment.objects.filter(street_key=key, postcode=postcode).select_related(
            "sozialraum"
        )
        for existing in stored:
            for item in items:
                if segments_overlap(item.segment, existing):
                    errors.append(
                        LineError(
                            item.line,
                            f"überschneidet sich mit dem vorhandenen Eintrag „{existing}“ "
                            f"(Sozialraum {existing.sozialraum.code}).",
                        )
                    )
    return errors
