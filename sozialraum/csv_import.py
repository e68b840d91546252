"""The one CSV reader of every import (street directory, partners, offers).

A file has a header line and one record per line, UTF-8 (with or without BOM; or Windows-1252
when the caller says so), separated by
semicolons or commas (whichever the header line has more of). Every bad line is reported with
its number ("Zeile 7: …"); the imports store nothing unless the whole file is valid.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Zeile {self.line}: {self.reason}"


class ImportInvalid(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda error: error.line)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


ENCODINGS = {"utf-8": "utf-8-sig", "cp1252": "cp1252"}
# What UTF-8 umlauts look like when read as cp1252 (Ã¤ for ä): the file was UTF-8 after all.
_MOJIBAKE = ("Ã¤", "Ã¶", "Ã¼", "Ã„", "Ã–", "Ãœ", "ÃŸ", "ï»¿")


def csv_decode(data: bytes, *, encoding: str = "utf-8") -> str:
    """The file's text in `encoding` ("utf-8", with or without BOM, or "cp1252", what Excel and
    older programs on Windows write); raises ImportInvalid naming the line when it is not."""
    if encoding == "cp1252":
        text = data.decode("cp1252", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if any(sign in line for sign in _MOJIBAKE) or "\ufffd" in line:
                raise ImportInvalid(
                    [
                        LineError(
                            number,
                            "Die Datei ist offenbar UTF-8-kodiert, nicht Windows-1252 (cp1252). "
                            "Bitte mit der Kodierung UTF-8 einlesen.",
                        )
                    ]
                )
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line_number = data[: error.start].count(b"\n") + 1
        raise ImportInvalid(
            [
                LineError(
                    line_number,
                    "Die Datei ist nicht UTF-8-kodiert (z. B. Windows-1252 aus Excel). Bitte als "
                    "„CSV UTF-8“ speichern.",
                )
            ]
        ) from None


_UNREADABLE = (
    "Diese Zeile ist als CSV nicht lesbar (z. B. ein Anführungszeichen ohne Ende oder ein "
    "Steuerzeichen). Bitte die Datei als „CSV UTF-8“ neu speichern."
)


def csv_rows(
    text: str, *, columns: tuple[str, ...], required: tuple[str, ...]
) -> tuple[list[Row], list[LineError]]:
    """Every non-empty line as a Row of stripped values keyed by lower-case column name, and an
    error for each line with the wrong number of cells.

    Raises ImportInvalid when the file is empty or its header lacks a required column or names
    one not in `columns`.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    # newline="": the csv module reads line ends itself, also a lone carriage return (csv docs).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportInvalid([LineError(1, "Die Datei ist leer.")]) from None
    except csv.Error:
        raise ImportInvalid([LineError(1, _UNREADABLE)]) from None
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name and name not in columns]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("es fehlen die Spalten " + ", ".join(missing))
        if unknown:
            parts.append("unbekannte Spalten " + ", ".join(unknown))
        raise ImportInvalid(
            [LineError(1, "Kopfzeile: " + "; ".join(parts) + f". Erwartet: {';'.join(columns)}")]
        )
    rows: list[Row] = []
    errors: list[LineError] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise ImportInvalid([LineError(reader.line_num, _UNREADABLE)]) from None
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                LineError(
                    reader.line_num,
                    f"{len(cells)} statt {len(header)} Spalten (Trennzeichen prüfen).",
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        rows.append(Row(reader.line_num, values))
    return rows, errors


def csv_date(raw: str) -> datetime.date:
    """A date written TT.MM.JJJJ or JJJJ-MM-TT; raises ValueError with a German message."""
    raw = raw.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"„{raw}“ ist kein Datum (TT.MM.JJJJ).")


def csv_decimal(raw: str) -> Decimal:
    """An amount written German-style (1.234,56 or 1234,56) or plain (1234.56); raises
    ValueError with a German message."""
    text = raw.strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        # 1.234 or 1.234.567: thousands points, no decimals
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"„{raw}“ ist kein Betrag (z. B. 1.234,56).") from None
    if not value.is_finite():
        raise ValueError(f"„{raw}“ ist kein Betrag (z. B. 1.234,56).")
    return value
