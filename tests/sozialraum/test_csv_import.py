"""The one CSV reader every import uses: no database needed."""

import pytest

from sozialraum.csv_import import ImportInvalid, csv_date, csv_decode, csv_rows

COLUMNS = ("name", "ort", "notiz")


def test_rows_carry_their_line_numbers_and_skip_empty_lines():
    text = csv_decode("\ufeffName;Ort\nA; Lindenau \n\n;\nB;Heide\n".encode())
    rows, errors = csv_rows(text, columns=COLUMNS, required=("name",))
    assert [(row.line, row.values) for row in rows] == [
        (2, {"name": "A", "ort": "Lindenau"}),
        (5, {"name": "B", "ort": "Heide"}),
    ]
    assert errors == []


def test_comma_separated_file_and_a_line_with_too_many_cells():
    rows, errors = csv_rows("name,ort\nA,B\nC,D,E\n", columns=COLUMNS, required=("name",))
    assert [row.values["name"] for row in rows] == ["A"]
    assert [str(error) for error in errors] == ["Zeile 3: 3 statt 2 Spalten (Trennzeichen prüfen)."]


def test_header_names_missing_and_unknown_columns():
    with pytest.raises(ImportInvalid) as invalid:
        csv_rows("ort;farbe\nA;B\n", columns=COLUMNS, required=("name",))
    assert str(invalid.value) == (
        "Zeile 1: Kopfzeile: es fehlen die Spalten name; unbekannte Spalten farbe. "
        "Erwartet: name;ort;notiz"
    )


def test_empty_and_non_utf8_files_are_refused_in_german():
    with pytest.raises(ImportInvalid, match=r"Zeile 1: Die Datei ist leer\."):
        csv_rows("", columns=COLUMNS, required=())
    with pytest.raises(ImportInvalid, match="nicht UTF-8-kodiert"):
        csv_decode("Straße".encode("cp1252"))


def test_dates_in_german_or_iso_form():
    assert csv_date("01.02.2025") == csv_date("2025-02-01")
    with pytest.raises(ValueError, match=r"„31\.02\.2025“ ist kein Datum"):
        csv_date("31.02.2025")
