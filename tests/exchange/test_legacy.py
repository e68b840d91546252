"""Issue 23, part 3: cases from the old system. The sample export in tests/data/legacy/ has
every kind of defect; the dry run's report is asserted line by line, the real run creates
exactly what the dry run announced, and a second run creates nothing twice."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import AuditEntry, Case, Help, Note, Person, RiskAssessment
from exchange.legacy import legacy_import, mapping_read, table_read
from exchange.models import LegacyRecord
from sozialraum.csv_import import ImportInvalid, csv_decimal
from sozialraum.models import User

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "legacy"

DRY_RUN = [
    "Zeile 2 (FALL): anlegen – Fall N-2026-… in Lindenau-Heide mit 2 Personen",
    "Zeile 3 (PERSON): anlegen – mit dem Fall aus Zeile 2",
    "Zeile 4 (PERSON): anlegen – mit dem Fall aus Zeile 2",
    "Zeile 5 (HILFE): anlegen – Hilfe Sozialpädagogische Familienhilfe ab 01.06.2026 im Fall "
    "N-2026-…",
    "Zeile 6 (TRAEGER): anlegen – Übertragung an KJH Lindenau im Fall N-2026-…",
    "Zeile 7 (8A): anlegen – § 8a-Meldung im Fall N-2026-… (Ergebnis offen)",
    "Zeile 8 (NOTIZ): anlegen – Notiz vom 20.02.2026 im Fall N-2026-…",
    "Zeile 9 (FALL): abgelehnt – Spalte datum: „31.02.2026“ ist kein Datum (TT.MM.JJJJ).",
    "Zeile 10 (PERSON): abgelehnt – Spalte fall_nr: der Fall aus Zeile 9 wird nicht angelegt.",
    "Zeile 11 (FALL): abgelehnt – Spalte strasse: „Unbekanntweg (24850)“ steht nicht im "
    "Straßenverzeichnis.",
    "Zeile 12 (PERSON): abgelehnt – Spalte fall_nr: der Fall aus Zeile 11 wird nicht angelegt.",
    "Zeile 13 (HILFE): abgelehnt – Spalte code: Der Code „XYZ“ steht nicht in der "
    "Zuordnungsdatei (Bereich hilfeart).",
    "Zeile 14 (HILFE): abgelehnt – Spalte betrag: „12,34,5“ ist kein Betrag (z. B. 1.234,56).",
    "Zeile 15 (PERSON): abgelehnt – Spalte satz_nr: die Kennung A-100/3 steht schon in Zeile 4.",
    "Zeile 16 (HILFE): abgelehnt – Spalte fall_nr: Der Fall A-999 ist nicht (oder nicht "
    "fehlerfrei) angelegt.",
    "Zeile 17 (AKTE): abgelehnt – Spalte satzart: „AKTE“ ist unbekannt (erlaubt: FALL, PERSON, "
    "HILFE, TRAEGER, 8A, NOTIZ).",
    "Zeile 18 (?): abgelehnt – 4 statt 15 Spalten (Trennzeichen prüfen).",
]


@pytest.fixture
def town():
    call_command("demo_town", stdout=io.StringIO())
    return User.objects.get(username="leitung-nord"), User.objects.get(username="asd-nord")


def _run(town, *, dry_run: bool, name: str = "faelle.csv", encoding: str = "utf-8"):
    lead, steering = town
    return legacy_import(
        data=(DATA / name).read_bytes(),
        mapping_data=(DATA / "zuordnung.csv").read_bytes(),
        user=lead,
        steering=steering,
        dry_run=dry_run,
        encoding=encoding,
    )


def _lines(report) -> list[str]:
    return [re.sub(r"N-2026-\d{4}", "N-2026-…", str(line)) for line in report.lines]


def test_dry_run_reports_every_line_and_stores_nothing(town):
    counts = (Case.objects.count(), AuditEntry.objects.count(), LegacyRecord.objects.count())

    report = _run(town, dry_run=True)

    assert _lines(report) == DRY_RUN
    assert [re.sub(r"N-2026-\d{4}", "N-2026-…", item) for item in report.look] == [
        "Fall N-2026-…: Sandra Meier ohne Geburtsdatum (Zeile 4).",
        "Fall N-2026-…: Hilfeplan der Hilfe Sozialpädagogische Familienhilfe mit Zielen der "
        "Familie füllen (Zeile 5).",
        "Fall N-2026-…: § 8a-Meldung vom 15.02.2026 ohne Ergebnis übernommen – Einschätzung "
        "nachtragen (Zeile 7).",
    ]
    after = (Case.objects.count(), AuditEntry.objects.count(), LegacyRecord.objects.count())
    assert after == counts


def test_real_run_creates_what_the_dry_run_announced_and_a_second_run_nothing(town):
    cases_before = Case.objects.count()

    report = _run(town, dry_run=False)

    assert _lines(report) == [line.replace(": anlegen –", ": angelegt –") for line in DRY_RUN]
    case = Case.objects.get(pk=LegacyRecord.objects.get(kind="FALL", external_id="A-100").object_id)
    assert Case.objects.count() == cases_before + 1
    assert case.sozialraum.name == "Lindenau-Heide"
    assert sorted(Person.objects.filter(case=case).values_list("first_name", flat=True)) == [
        "Lena",
        "Sandra",
    ]
    help_ = Help.objects.get(case=case)
    # The help type rules decide which of cost and hours a help keeps (SPFH: hours).
    assert str(help_.hours_per_week) == "6.50"
    assert help_.assignments.get().provider.short_name == "KJH Lindenau"
    assert RiskAssessment.objects.filter(case=case).count() == 1
    assert Note.objects.get(case=case).text.startswith("[Altsystem, 20.02.2026] Erstgespräch")
    assert AuditEntry.objects.filter(case_number=case.number, detail="Falleingang").exists()

    again = _run(town, dry_run=False)

    assert Case.objects.count() == cases_before + 1
    assert [r.status for r in again.lines if r.line <= 8] == ["schon importiert"] * 7
    assert LegacyRecord.objects.filter(kind="FALL").count() == 1


def test_windows_encoding_is_named_and_read_when_asked_for(town):
    with pytest.raises(ImportInvalid, match="Zeile 2: Die Datei ist nicht UTF-8-kodiert"):
        _run(town, dry_run=True, name="faelle_cp1252.csv")

    report = _run(town, dry_run=True, name="faelle_cp1252.csv", encoding="cp1252")
    assert [line.status for line in report.lines] == ["anlegen"] * 3

    with pytest.raises(ImportInvalid, match="Zeile 1: Die Datei ist offenbar UTF-8-kodiert"):
        _run(town, dry_run=True, name="faelle.csv", encoding="cp1252")


def test_comma_separated_file_with_decimal_commas_is_refused_per_line():
    rows, errors = table_read((DATA / "faelle_komma.csv").read_bytes())

    assert [row.line for row in rows] == [2]
    assert [str(error) for error in errors] == [
        "Zeile 3: 17 statt 15 Spalten (Trennzeichen prüfen)."
    ]


def test_mapping_with_duplicated_codes_is_refused():
    with pytest.raises(ImportInvalid) as refused:
        mapping_read((DATA / "zuordnung_doppelt.csv").read_bytes())

    assert [str(error) for error in refused.value.errors] == [
        "Zeile 3: Spalte alt: „SPFH“ steht schon in Zeile 2 (doppelte Kennung).",
        "Zeile 4: Spalte bereich: „farbe“ ist unbekannt (erlaubt: hilfeart, traeger, rolle, "
        "quelle).",
    ]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1.250,50", "1250.50"), ("1250,5", "1250.5"), ("1250.50", "1250.50"), ("1.250", "1250")],
)
def test_german_amounts(raw, value):
    assert str(csv_decimal(raw)) == value


def test_command_prints_the_dry_run_and_refuses_unknown_users(town):
    out = io.StringIO()
    call_command(
        "import_legacy",
        str(DATA / "faelle.csv"),
        zuordnung=str(DATA / "zuordnung.csv"),
        benutzer="leitung-nord",
        fallsteuerung="asd-nord",
        stdout=out,
    )
    text = out.getvalue()
    assert text.startswith("PROBELAUF – nichts gespeichert")
    assert "7 Zeilen würden angelegt, 10 abgelehnt." in text
    with pytest.raises(CommandError, match="Benutzer „niemand“ gibt es nicht"):
        call_command(
            "import_legacy",
            str(DATA / "faelle.csv"),
            zuordnung=str(DATA / "zuordnung.csv"),
            benutzer="niemand",
            fallsteuerung="asd-nord",
        )
