"""Reading and checking a street directory file (CSV) before anything is stored.

The file has a header line and one street segment per line:

    strasse;plz;hausnummer_von;hausnummer_bis;seite;sozialraum;gueltig_ab;gueltig_bis
    Lindenallee;24851;1;99;ungerade;N1;01.01.2024;

`seite` is alle / gerade / ungerade (empty = alle); empty house numbers mean "from the first" or
"to the last"; `sozialraum` is the Sozialraum's Kürzel; `gueltig_ab` defaults to the start of
the Sozialraum with that Kürzel valid today (or the newest one). Dates are TT.MM.JJJJ or
JJJJ-MM-TT. Read by the shared CSV reader (`sozialraum/csv_import.py`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from sozialraum.addresses import POSTCODE, street_key
from sozialraum.csv_import import ImportInvalid, LineError, csv_date, csv_rows
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


@dataclass
class ParsedSegment:
    line: int
    segment: StreetSegment


def _parse_number(raw: str, label: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ValueError(f"{label} „{raw}“ ist keine ganze Zahl ab 1.")
    return int(raw)


def parse(text: str, sozialraeume: Iterable[Sozialraum]) -> list[ParsedSegment]:
    """Parse and check every line; raise ImportInvalid naming each bad line."""
    by_code: dict[str, list[Sozialraum]] = {}
    for sozialraum in sozialraeume:
        by_code.setdefault(sozialraum.code.casefold(), []).append(sozialraum)

    rows, errors = csv_rows(text, columns=COLUMNS, required=REQUIRED_COLUMNS)
    parsed: list[ParsedSegment] = []
    for row in rows:
        try:
            parsed.append(ParsedSegment(row.line, _segment_from(row.values, by_code)))
        except ValueError as problem:
            errors.append(LineError(row.line, str(problem)))
    if not parsed and not errors:
        errors.append(LineError(1, "Die Datei enthält keine Straßenabschnitte."))
    errors.extend(_conflicts(parsed))
    if errors:
        raise ImportInvalid(errors)
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
    valid_from = attempt(csv_date, values["gueltig_ab"]) if values.get("gueltig_ab") else None
    valid_until = attempt(csv_date, values["gueltig_bis"]) if values.get("gueltig_bis") else None
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
    # Without problems the side was known and the start read or taken from the Sozialraum.
    assert parity is not None and valid_from is not None
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
