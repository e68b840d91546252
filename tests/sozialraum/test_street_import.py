"""The street directory import: all lines or none, every bad line named with its reason."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from sozialraum.models import Parity, StreetSegment
from sozialraum.selectors import address_resolve
from sozialraum.services import ImportInvalid, street_directory_import
from tests.factories import SozialraumFactory, StreetSegmentFactory, sozialraum_redrawn

pytestmark = pytest.mark.django_db

HEADER = "strasse;plz;hausnummer_von;hausnummer_bis;seite;sozialraum;gueltig_ab;gueltig_bis"


@pytest.fixture
def nord_1(team_nord):
    return SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N1")


@pytest.fixture
def sued_1(team_sued):
    return SozialraumFactory(region=team_sued.region, asd_team=team_sued, code="S1")


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    text = "\n".join(lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def import_errors(data: bytes) -> dict[int, str]:
    """Run the import expecting it to fail; the errors by line number."""
    with pytest.raises(ImportInvalid) as invalid:
        street_directory_import(data=data)
    errors = {error.line: error.reason for error in invalid.value.errors}
    assert len(errors) == len(invalid.value.errors), "one error per line"
    return errors


# --- a good file -------------------------------------------------------------------------


def test_semicolon_file_with_bom_imports_every_line_with_its_fields(nord_1, sued_1):
    data = csv_bytes(
        HEADER,
        "Lindenallee;24850;1;99;ungerade;N1;01.01.2024;",
        "Lindenallee;24850;2;98;gerade;S1;2024-01-01;31.12.2026",
        "Theodor-Heuss-Str.;24851;;;;N1;;",
        bom=True,
    )

    assert street_directory_import(data=data) == 3

    odd, even = StreetSegment.objects.filter(street="Lindenallee").order_by("number_from")
    assert (odd.postcode, odd.number_from, odd.number_to) == ("24850", 1, 99)
    assert odd.parity == Parity.ODD
    assert odd.sozialraum == nord_1
    assert odd.valid_from == datetime.date(2024, 1, 1)
    assert odd.valid_until is None
    assert even.parity == Parity.EVEN
    assert even.sozialraum == sued_1
    assert even.valid_from == datetime.date(2024, 1, 1)
    assert even.valid_until == datetime.date(2026, 12, 31)

    whole = StreetSegment.objects.get(street="Theodor-Heuss-Str.")
    assert whole.street_key == "theodorheussstrasse"
    assert (whole.number_from, whole.number_to) == (None, None)
    assert whole.parity == Parity.ALL
    assert whole.valid_from == nord_1.valid_from, "empty gueltig_ab = start of the Sozialraum"


def test_imported_street_is_found_by_the_address_lookup(nord_1):
    street_directory_import(data=csv_bytes(HEADER, "Theodor-Heuss-Str.;24851;1;20;;N1;;"))

    result = address_resolve(
        street="Theodor-Heuss-Straße", house_number="7", on=datetime.date(2025, 1, 1)
    )

    assert result.sozialraum == nord_1


def test_comma_file_with_capitalised_header_and_values_imports(nord_1, sued_1):
    data = csv_bytes(
        "Strasse,PLZ,Hausnummer_von,Hausnummer_bis,Seite,Sozialraum,Gueltig_ab,Gueltig_bis",
        "Ahornweg,24850,1,9,Ungerade,n1,2024-03-01,",
        "Ahornweg,24850,,,Gerade,s1,01.03.2024,2024-12-31",
    )

    assert street_directory_import(data=data) == 2

    odd = StreetSegment.objects.get(parity=Parity.ODD)
    even = StreetSegment.objects.get(parity=Parity.EVEN)
    assert (odd.sozialraum, odd.number_to, odd.valid_from) == (nord_1, 9, datetime.date(2024, 3, 1))
    assert (even.sozialraum, even.valid_until) == (sued_1, datetime.date(2024, 12, 31))


def test_file_with_only_the_required_columns_imports(nord_1):
    data = csv_bytes("strasse;plz;sozialraum", "Birkenweg;24850;N1", "Buchenweg;24850;N1")

    assert street_directory_import(data=data) == 2
    assert set(StreetSegment.objects.values_list("street", flat=True)) == {
        "Birkenweg",
        "Buchenweg",
    }


def test_gueltig_ab_picks_the_version_of_a_redrawn_sozialraum_valid_then(team_nord):
    old, new = sozialraum_redrawn(team_nord, "N7", datetime.date(2025, 1, 1))
    data = csv_bytes(
        HEADER,
        "Amselweg;24850;;;;N7;01.01.2020;31.12.2024",
        "Amselweg;24850;;;;N7;01.01.2025;",
    )

    street_directory_import(data=data)

    segments = StreetSegment.objects.order_by("valid_from")
    assert [segment.sozialraum for segment in segments] == [old, new]


def test_new_line_may_follow_a_stored_segment_that_has_ended(nord_1, sued_1):
    StreetSegmentFactory(
        street="Gartenweg",
        postcode="24850",
        sozialraum=nord_1,
        valid_until=datetime.date(2024, 12, 31),
    )

    street_directory_import(data=csv_bytes(HEADER, "Gartenweg;24850;;;;S1;01.01.2025;"))

    assert StreetSegment.objects.filter(street="Gartenweg").count() == 2


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file(nord_1):
    data = csv_bytes(HEADER, "Birkenweg;24850;;;;N1;;", "", ";;;;", "Buchenweg;24850;;;;X9;;")

    assert import_errors(data) == {5: "Einen Sozialraum mit dem Kürzel „X9“ gibt es nicht."}


# --- bad lines: nothing is imported ------------------------------------------------------

BAD_FILE = (
    HEADER,
    "Lindenallee;24850;1;99;ungerade;N1;;",  # 2: good
    "Ahornweg;24850;;;;X9;;",  # 3
    "Ahornweg;2485;;;;N1;;",  # 4
    "Birkenweg;24850;20;10;;N1;;",  # 5
    "Buchenweg;24850;;;links;N1;;",  # 6
    "Eichenweg;24850;;;;N1;31.02.2024;",  # 7
    "Erlenweg;24850;1;99;N1",  # 8
    "Lindenallee;24850;51;51;;N1;;",  # 9: house 51 is on the odd side of line 2
    "Kastanienweg;24850;1;20;gerade;N1;;",  # 10: stored 10–30 covers 10, 12, …, 20
    "Lindenallee;24850;2;98;gerade;S1;;",  # 11: good, the even side does not touch line 2
    "Eschenweg;24850;;;;N1;01.01.2025;31.12.2024",  # 12
)

BAD_FILE_ERRORS = {
    3: "Einen Sozialraum mit dem Kürzel „X9“ gibt es nicht.",
    4: "Die Postleitzahl „2485“ hat nicht fünf Ziffern.",
    5: "Hausnummer bis (10) liegt vor Hausnummer von (20).",
    6: "Seite „links“ ist unbekannt (alle, gerade oder ungerade).",
    7: "„31.02.2024“ ist kein Datum (TT.MM.JJJJ).",
    8: "5 statt 8 Spalten (Trennzeichen prüfen).",
    9: "überschneidet sich mit Zeile 2.",
    10: "überschneidet sich mit dem vorhandenen Eintrag „Kastanienweg 10–30 (24850)“ "
    "(Sozialraum S1).",
    12: "gueltig_bis liegt vor gueltig_ab.",
}


@pytest.fixture
def stored_segment(sued_1):
    return StreetSegmentFactory(
        street="Kastanienweg", postcode="24850", number_from=10, number_to=30, sozialraum=sued_1
    )


def test_file_with_bad_lines_imports_nothing_and_names_each_line_and_reason(nord_1, stored_segment):
    errors = import_errors(csv_bytes(*BAD_FILE))

    assert errors == BAD_FILE_ERRORS
    assert list(StreetSegment.objects.all()) == [stored_segment]


def test_one_line_with_several_problems_names_them_all(nord_1):
    errors = import_errors(csv_bytes(HEADER, "Ahornweg;123;x;;oben;N1;;"))

    assert errors.keys() == {2}
    assert "Die Postleitzahl „123“ hat nicht fünf Ziffern." in errors[2]
    assert "Hausnummer von „x“ ist keine ganze Zahl ab 1." in errors[2]
    assert "Seite „oben“ ist unbekannt" in errors[2]


def test_line_ending_after_its_sozialraum_must_give_gueltig_bis(team_nord):
    SozialraumFactory(
        region=team_nord.region,
        asd_team=team_nord,
        code="N9",
        valid_until=datetime.date(2024, 12, 31),
    )

    errors = import_errors(csv_bytes(HEADER, "Amselweg;24850;;;;N9;;"))

    assert errors == {2: "Der Sozialraum „N9“ gilt nur bis 31.12.2024; bitte gueltig_bis angeben."}
    assert StreetSegment.objects.count() == 0


def test_line_starting_before_its_sozialraum_is_refused(nord_1):
    errors = import_errors(csv_bytes(HEADER, "Amselweg;24850;;;;N1;01.01.2019;"))

    assert errors == {2: "Der Sozialraum „N1“ gilt am 01.01.2019 nicht."}


def test_street_name_too_long_for_the_directory_is_refused(nord_1):
    street = "Lange" * 24 + "weg"  # 123 characters, the column holds 120

    errors = import_errors(csv_bytes(HEADER, f"{street};24850;;;;N1;;"))

    assert errors.keys() == {2}
    assert "höchstens 120 Zeichen" in errors[2]
    assert StreetSegment.objects.count() == 0


# --- header, empty and badly encoded files -----------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("strasse;plz;hausnummer_von", "es fehlen die Spalten sozialraum"),
        ("street;plz;sozialraum", "es fehlen die Spalten strasse; unbekannte Spalten street"),
        ("strasse;plz;sozialraum;bemerkung", "unbekannte Spalten bemerkung"),
        (
            "strasse\tplz\tsozialraum",
            "es fehlen die Spalten strasse, plz, sozialraum; "
            "unbekannte Spalten strasse\tplz\tsozialraum",
        ),
    ],
)
def test_bad_header_is_refused_naming_the_columns(nord_1, header, expected):
    errors = import_errors(csv_bytes(header, "Birkenweg;24850;N1"))

    assert errors.keys() == {1}
    assert errors[1].startswith(f"Kopfzeile: {expected}.")
    assert "Erwartet: " + HEADER in errors[1]
    assert StreetSegment.objects.count() == 0


@pytest.mark.parametrize("data", [b"", "\ufeff".encode()])
def test_empty_file_is_refused(data):
    assert import_errors(data) == {1: "Die Datei ist leer."}


def test_file_with_only_a_header_is_refused():
    assert import_errors(csv_bytes(HEADER)) == {1: "Die Datei enthält keine Straßenabschnitte."}


def test_non_utf8_file_is_refused_with_a_hint(nord_1):
    data = (HEADER + "\nMühlenweg;24850;;;;N1;;\n").encode("cp1252")

    # The line with the first character that is not UTF-8 (the umlaut of Mühlenweg) is named.
    assert import_errors(data) == {
        2: "Die Datei ist nicht UTF-8-kodiert (z. B. Windows-1252 aus Excel). Bitte als "
        "„CSV UTF-8“ speichern."
    }
    assert StreetSegment.objects.count() == 0


def test_dry_run_checks_but_stores_nothing(nord_1):
    data = csv_bytes(HEADER, "Birkenweg;24850;;;;N1;;", "Buchenweg;24850;;;;N1;;")

    assert street_directory_import(data=data, dry_run=True) == 2
    assert StreetSegment.objects.count() == 0


def test_dry_run_still_reports_bad_lines(nord_1):
    with pytest.raises(ImportInvalid) as invalid:
        street_directory_import(data=csv_bytes(HEADER, "Ahornweg;24850;;;;X9;;"), dry_run=True)

    assert [str(error) for error in invalid.value.errors] == [
        "Zeile 2: Einen Sozialraum mit dem Kürzel „X9“ gibt es nicht."
    ]


# --- the management command --------------------------------------------------------------


def run_import(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_streets", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_good_file_and_reports_the_count(tmp_path, nord_1):
    path = tmp_path / "strassen.csv"
    path.write_bytes(csv_bytes(HEADER, "Birkenweg;24850;;;;N1;;", "Buchenweg;24850;;;;N1;;"))

    out, err = run_import(str(path))

    assert "2 Straßenabschnitt(e) importiert." in out
    assert err == ""
    assert StreetSegment.objects.count() == 2


def test_command_with_bad_lines_writes_each_to_stderr_and_imports_nothing(
    tmp_path, nord_1, stored_segment
):
    path = tmp_path / "strassen.csv"
    path.write_bytes(csv_bytes(*BAD_FILE))
    err = io.StringIO()

    with pytest.raises(
        CommandError, match=r"^9 fehlerhafte Zeile\(n\); es wurde nichts importiert"
    ):
        call_command("import_streets", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        f"Zeile {line}: {reason}" for line, reason in sorted(BAD_FILE_ERRORS.items())
    ]
    assert StreetSegment.objects.count() == 1


def test_command_refuses_non_utf8_file(tmp_path, nord_1):
    path = tmp_path / "strassen.csv"
    path.write_bytes((HEADER + "\nMühlenweg;24850;;;;N1;;\n").encode("latin-1"))
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 fehlerhafte Zeile"):
        call_command("import_streets", str(path), stdout=io.StringIO(), stderr=err)

    assert "Zeile 2: Die Datei ist nicht UTF-8-kodiert" in err.getvalue()
    assert StreetSegment.objects.count() == 0


def test_command_reports_a_missing_file(tmp_path):
    missing = tmp_path / "gibt-es-nicht.csv"

    with pytest.raises(CommandError, match="lässt sich nicht lesen"):
        call_command("import_streets", str(missing), stdout=io.StringIO(), stderr=io.StringIO())


def test_command_dry_run_stores_nothing_and_says_so(tmp_path, nord_1):
    path = tmp_path / "strassen.csv"
    path.write_bytes(csv_bytes(HEADER, "Birkenweg;24850;;;;N1;;", "Buchenweg;24850;;;;N1;;"))

    out, _ = run_import(str(path), "--dry-run")

    assert "2 Straßenabschnitt(e) geprüft, nichts gespeichert (--dry-run)." in out
    assert StreetSegment.objects.count() == 0


def test_without_gueltig_ab_a_reused_code_means_the_sozialraum_valid_today(team_nord):
    _, current = sozialraum_redrawn(team_nord, "N7", datetime.date(2024, 1, 1))

    assert street_directory_import(data=csv_bytes(HEADER, "Amselweg;24850;;;;N7;;")) == 1

    segment = StreetSegment.objects.get()
    assert segment.sozialraum == current
    assert segment.valid_from == datetime.date(2024, 1, 1)
