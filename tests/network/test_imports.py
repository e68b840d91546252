"""Partner and offer CSV imports: every bad line named with its number, nothing stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from network.models import Offer, Partner
from network.services import ImportInvalid, offers_import, partners_import
from tests.factories import ProviderFactory, StreetSegmentFactory
from tests.network.factories import PartnerFactory

pytestmark = pytest.mark.django_db

PARTNER_HEADER = "name;art;strasse;hausnummer;plz;ort;sozialraum;aktiv;laengengrad;breitengrad\n"


@pytest.fixture
def streets(town):
    StreetSegmentFactory(street="Heideweg", postcode="24850", sozialraum=town["N1"])
    StreetSegmentFactory(street="Gleisweg", postcode="24852", sozialraum=town["S2"])
    return town


def test_valid_partner_file_finds_the_sozialraum_through_the_street_directory(streets):
    data = (
        PARTNER_HEADER
        + "Kita Heide;Kita;Heideweg;12;24850;Lindenau;;ja;9,513;54,03\n"
        + "Tafel;Ehrenamt/Initiative;Unbekannte Straße;1;24852;Lindenau;S1;nein;;\n"
    ).encode()
    assert partners_import(data=data) == 2
    kita = Partner.objects.get(name="Kita Heide")
    assert kita.sozialraum == streets["N1"] and not kita.sozialraum_overridden
    assert str(kita.longitude) == "9.513000"
    tafel = Partner.objects.get(name="Tafel")
    assert tafel.sozialraum == streets["S1"] and tafel.sozialraum_overridden
    assert not tafel.is_active


def test_partner_file_with_errors_names_each_line_and_imports_nothing(streets):
    PartnerFactory(name="Schon da")
    data = (
        PARTNER_HEADER
        + "Kita Heide;Kita;Heideweg;12;24850;Lindenau;;ja;;\n"  # line 2 is fine
        + "Zoo;Tierpark;Heideweg;1;24850;;;ja;;\n"  # line 3: unknown type
        + "schon da;Kita;Heideweg;2;24850;;;ja;;\n"  # line 4: exists
        + "Irgendwo;Schule;Nirgendweg;1;24850;;;ja;;\n"  # line 5: not in the directory
        + "Halb;Schule;Heideweg;3;24850;;;ja;9,5;\n"  # line 6: one coordinate
        + "Kurz;Kita\n"  # line 7: columns
        + "Kita Heide;Kita;Heideweg;14;24850;;;ja;;\n"  # line 8: twice in the file
    ).encode()
    with pytest.raises(ImportInvalid) as raised:
        partners_import(data=data)
    errors = {error.line: error.reason for error in raised.value.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "Art „Tierpark“ ist unbekannt" in errors[3]
    assert "gibt es schon" in errors[4]
    assert "steht nicht im Straßenverzeichnis" in errors[5]
    assert "zusammen" in errors[6]
    assert "2 statt 10 Spalten" in errors[7]
    assert "steht schon in Zeile 2" in errors[8]
    assert Partner.objects.count() == 1


def test_offer_file_with_errors_and_the_command(streets, tmp_path):
    PartnerFactory(name="Kita Heide", sozialraum=streets["N1"])
    ProviderFactory(short_name="KJH")
    header = (
        "titel;partner;traeger;sozialraum;zielgruppe;alter_von;alter_bis;kostenfrei;gueltig_ab\n"
    )
    good = (
        header + "Elterncafé;Kita Heide;;;Eltern;;;ja;\nGruppe;;KJH;N1;Kinder;8;12;ja;01.01.2026\n"
    )
    path = tmp_path / "angebote.csv"
    path.write_text(
        good
        + "Kaputt;Kita Heide;KJH;;Kinder;12;8;vielleicht;2026-13-01\n"
        + "Ohne Ort;;KJH;;Senioren;;;ja;\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 fehlerhafte Zeile"):
        call_command("import_offers", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Zeile 4: Bitte genau eines angeben: partner oder traeger.")
    assert "alter_bis (8) liegt unter alter_von (12)" in lines[0]
    assert "kostenfrei „vielleicht“" in lines[0] and "kein Datum" in lines[0]
    assert lines[1].startswith("Zeile 5:") and "Zielgruppe „Senioren“" in lines[1]
    assert "Sozialraum angeben" in lines[1]
    assert not Offer.objects.exists()
    assert offers_import(data=good.encode()) == 2
    assert Offer.objects.get(title="Gruppe").sozialraum == streets["N1"]


def test_header_and_encoding_errors(db):
    with pytest.raises(ImportInvalid, match="es fehlen die Spalten art"):
        partners_import(data=b"name;farbe\nX;blau\n")
    with pytest.raises(ImportInvalid, match="nicht UTF-8"):
        offers_import(data="titel;zielgruppe\nCafé;Eltern\n".encode("latin-1"))


def test_upload_page_shows_line_errors_and_imports_nothing(client, users, streets):
    client.force_login(users["planner"])
    upload = SimpleUploadedFile(
        "partner.csv", (PARTNER_HEADER + "Zoo;Tierpark;Heideweg;1;24850;;;ja;;\n").encode()
    )
    response = client.post(reverse("network:partner_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 2: Art „Tierpark“ ist unbekannt" in html
    assert not Partner.objects.exists()
    client.force_login(users["provider_staff"])
    assert client.get(reverse("network:partner_import")).status_code == 403
