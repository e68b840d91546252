"""Address → Sozialraum: who is responsible for a street and house number on a given day."""

import datetime

import pytest

from sozialraum.models import Parity
from sozialraum.selectors import AddressStatus, address_resolve
from tests.factories import SozialraumFactory, StreetSegmentFactory, sozialraum_redrawn

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 6, 1)


@pytest.fixture
def nord_1(team_nord):
    return SozialraumFactory(
        region=team_nord.region, asd_team=team_nord, code="N1", name="Altstadt"
    )


@pytest.fixture
def nord_2(team_nord):
    return SozialraumFactory(
        region=team_nord.region, asd_team=team_nord, code="N2", name="Hafenviertel"
    )


@pytest.fixture
def sued_1(team_sued):
    return SozialraumFactory(
        region=team_sued.region, asd_team=team_sued, code="S1", name="Gartenstadt"
    )


def resolve(street, house_number, postcode="", on=DAY):
    return address_resolve(street=street, house_number=house_number, postcode=postcode, on=on)


# --- house-number ranges -----------------------------------------------------------------


def test_address_inside_range_names_sozialraum_region_and_asd_team(nord_1, team_nord):
    StreetSegmentFactory(street="Hauptstraße", number_from=1, number_to=20, sozialraum=nord_1)

    result = resolve("Hauptstraße", "10")

    assert result.status == AddressStatus.FOUND
    assert result.found
    assert result.sozialraum == nord_1
    assert result.region == team_nord.region
    assert result.asd_team == team_nord
    assert result.candidates == (nord_1,)
    assert result.message == "Zuständig: Sozialraum Altstadt, Region Nord, ASD Nord."


@pytest.mark.parametrize("number", ["1", "20"])
def test_range_bounds_are_inclusive(nord_1, number):
    StreetSegmentFactory(street="Hauptstraße", number_from=1, number_to=20, sozialraum=nord_1)

    assert resolve("Hauptstraße", number).sozialraum == nord_1


def test_number_beyond_range_is_unknown_number_with_german_message(nord_1):
    StreetSegmentFactory(street="Hauptstraße", number_from=1, number_to=20, sozialraum=nord_1)

    result = resolve("Hauptstraße", "21")

    assert result.status == AddressStatus.UNKNOWN_NUMBER
    assert not result.found
    assert result.sozialraum is None
    assert result.region is None
    assert result.asd_team is None
    assert result.message == (
        "Die Hausnummer 21 der Straße „Hauptstraße“ ist am 1. Juni 2025 "
        "keinem Sozialraum zugeordnet."
    )


def test_number_below_range_start_is_unknown_number(nord_1):
    StreetSegmentFactory(street="Hauptstraße", number_from=5, number_to=20, sozialraum=nord_1)

    assert resolve("Hauptstraße", "4").status == AddressStatus.UNKNOWN_NUMBER


def test_odd_and_even_sides_of_one_street_go_to_different_sozialraeume(nord_1, nord_2):
    StreetSegmentFactory(
        street="Lindenallee", number_from=1, number_to=99, parity=Parity.ODD, sozialraum=nord_1
    )
    StreetSegmentFactory(
        street="Lindenallee", number_from=2, number_to=98, parity=Parity.EVEN, sozialraum=nord_2
    )

    assert resolve("Lindenallee", "7").sozialraum == nord_1
    assert resolve("Lindenallee", "99").sozialraum == nord_1
    assert resolve("Lindenallee", "8").sozialraum == nord_2
    assert resolve("Lindenallee", "8a").sozialraum == nord_2
    assert resolve("Lindenallee", "100").status == AddressStatus.UNKNOWN_NUMBER


def test_open_ended_ranges_reach_from_the_first_and_to_the_last_number(nord_1, nord_2):
    StreetSegmentFactory(street="Ringstraße", number_from=None, number_to=49, sozialraum=nord_1)
    StreetSegmentFactory(street="Ringstraße", number_from=50, number_to=None, sozialraum=nord_2)

    assert resolve("Ringstraße", "1").sozialraum == nord_1
    assert resolve("Ringstraße", "49").sozialraum == nord_1
    assert resolve("Ringstraße", "50").sozialraum == nord_2
    assert resolve("Ringstraße", "9999").sozialraum == nord_2


def test_segment_without_numbers_covers_every_house(nord_1):
    StreetSegmentFactory(street="Kirchgasse", sozialraum=nord_1)

    assert resolve("Kirchgasse", "1").sozialraum == nord_1
    assert resolve("Kirchgasse", "777").sozialraum == nord_1


# --- spelling variants -------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        "Theodor-Heuss-Straße",
        "Theodor-Heuss-Str.",
        "Theodor-Heuss-Str",
        "theodor heuss strasse",
        "THEODOR-HEUSS-STRASSE",
        "  Theodor Heuss Str.  ",
    ],
)
def test_street_spelling_variants_find_the_same_street(nord_1, spelling):
    StreetSegmentFactory(street="Theodor-Heuss-Straße", sozialraum=nord_1)

    assert resolve(spelling, "3").sozialraum == nord_1


def test_abbreviated_stored_street_is_found_by_full_spelling(nord_1):
    StreetSegmentFactory(street="Bahnhofstr.", sozialraum=nord_1)

    assert resolve("Bahnhofstraße", "3").sozialraum == nord_1


def test_umlaut_and_its_transcription_are_the_same_street(nord_1):
    StreetSegmentFactory(street="Mühlenweg", sozialraum=nord_1)

    assert resolve("Muehlenweg", "3").sozialraum == nord_1


@pytest.mark.parametrize("house_number", ["12a", "12 b", "12A", "12-14", "12/1", " 12 "])
def test_house_number_with_letter_or_range_counts_as_its_number(nord_1, nord_2, house_number):
    StreetSegmentFactory(street="Hauptstraße", number_from=1, number_to=12, sozialraum=nord_1)
    StreetSegmentFactory(street="Hauptstraße", number_from=13, number_to=30, sozialraum=nord_2)

    assert resolve("Hauptstraße", house_number).sozialraum == nord_1


# --- validity dates ----------------------------------------------------------------------


def test_street_moved_to_another_sozialraum_answers_by_date(nord_1, sued_1):
    StreetSegmentFactory(
        street="Gartenweg",
        sozialraum=nord_1,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2024, 12, 31),
    )
    StreetSegmentFactory(
        street="Gartenweg", sozialraum=sued_1, valid_from=datetime.date(2025, 1, 1)
    )

    before = resolve("Gartenweg", "5", on=datetime.date(2024, 12, 31))
    after = resolve("Gartenweg", "5", on=datetime.date(2025, 1, 1))

    assert before.sozialraum == nord_1
    assert before.region.name == "Nord"
    assert before.asd_team.name == "ASD Nord"
    assert after.sozialraum == sued_1
    assert after.region.name == "Süd"
    assert after.asd_team.name == "ASD Süd"


def test_redrawn_sozialraum_replaces_its_predecessor_from_its_start(team_nord):
    old, new = sozialraum_redrawn(team_nord, "N7", datetime.date(2025, 1, 1))
    # The old segment was never closed: the end of its Sozialraum must end it too.
    StreetSegmentFactory(street="Amselweg", sozialraum=old, valid_until=None)
    StreetSegmentFactory(street="Amselweg", sozialraum=new)

    before = resolve("Amselweg", "1", on=datetime.date(2024, 12, 31))
    after = resolve("Amselweg", "1", on=datetime.date(2025, 1, 1))

    assert before.status == AddressStatus.FOUND
    assert before.sozialraum == old
    assert after.status == AddressStatus.FOUND
    assert after.sozialraum == new
    assert list(after.sozialraum.predecessors.all()) == [old]


@pytest.mark.parametrize(
    ("day", "when"),
    [
        (datetime.date(2024, 12, 31), "31. Dezember 2024"),
        (datetime.date(2026, 1, 1), "1. Januar 2026"),
    ],
)
def test_segment_outside_its_validity_is_not_assigned_that_day(nord_1, day, when):
    StreetSegmentFactory(
        street="Amselweg",
        sozialraum=nord_1,
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
    )

    result = resolve("Amselweg", "1", on=day)

    assert result.status == AddressStatus.UNKNOWN_STREET
    assert result.sozialraum is None
    assert result.message == f"„Amselweg“ ist am {when} keinem Sozialraum zugeordnet."


def test_segment_is_assigned_on_first_and_last_day_of_its_validity(nord_1):
    StreetSegmentFactory(
        street="Amselweg",
        sozialraum=nord_1,
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
    )

    assert resolve("Amselweg", "1", on=datetime.date(2025, 1, 1)).sozialraum == nord_1
    assert resolve("Amselweg", "1", on=datetime.date(2025, 12, 31)).sozialraum == nord_1


# --- unknown and ambiguous streets -------------------------------------------------------


def test_unknown_street_says_so_and_suggests_similar_streets_valid_that_day(nord_1):
    StreetSegmentFactory(street="Lindenallee", sozialraum=nord_1)
    StreetSegmentFactory(street="Lindenstraße", sozialraum=nord_1)
    StreetSegmentFactory(street="Ahornweg", sozialraum=nord_1)
    StreetSegmentFactory(
        street="Lindenhof", sozialraum=nord_1, valid_until=datetime.date(2021, 12, 31)
    )

    result = resolve("Lindenalle", "4")

    assert result.status == AddressStatus.UNKNOWN_STREET
    assert result.message == "„Lindenalle“ steht nicht im Straßenverzeichnis."
    assert result.suggestions == ("Lindenallee", "Lindenstraße")


def test_unknown_street_without_anything_similar_has_no_suggestions(nord_1):
    StreetSegmentFactory(street="Lindenallee", sozialraum=nord_1)

    result = resolve("Zypressenweg", "4")

    assert result.status == AddressStatus.UNKNOWN_STREET
    assert result.suggestions == ()


def test_same_street_in_two_postcodes_is_ambiguous_and_asks_for_the_postcode(nord_1, sued_1):
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24850", sozialraum=nord_1)
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24851", sozialraum=sued_1)

    result = resolve("Bahnhofstraße", "5")

    assert result.status == AddressStatus.AMBIGUOUS
    assert result.sozialraum is None
    assert result.candidates == (nord_1, sued_1)
    assert result.message == (
        "Die Adresse passt zu mehreren Sozialräumen (Altstadt, Gartenstadt). "
        "Bitte geben Sie die Postleitzahl an."
    )


@pytest.mark.parametrize(("postcode", "expected"), [("24850", "nord_1"), ("24851", "sued_1")])
def test_postcode_resolves_the_ambiguity(nord_1, sued_1, postcode, expected):
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24850", sozialraum=nord_1)
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24851", sozialraum=sued_1)

    result = resolve("Bahnhofstraße", "5", postcode=postcode)

    assert result.status == AddressStatus.FOUND
    assert result.sozialraum == {"nord_1": nord_1, "sued_1": sued_1}[expected]


def test_street_with_a_postcode_it_does_not_have_is_unknown(nord_1):
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24850", sozialraum=nord_1)

    result = resolve("Bahnhofstraße", "5", postcode="24999")

    assert result.status == AddressStatus.UNKNOWN_STREET
    assert result.message == "„Bahnhofstraße (24999)“ steht nicht im Straßenverzeichnis."


def test_conflicting_directory_with_postcode_asks_to_check_the_directory(nord_1, nord_2):
    # The import refuses overlaps, but the admin can still create them by hand.
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24850", sozialraum=nord_1)
    StreetSegmentFactory(street="Bahnhofstraße", postcode="24850", sozialraum=nord_2)

    result = resolve("Bahnhofstraße", "5", postcode="24850")

    assert result.status == AddressStatus.AMBIGUOUS
    assert result.message.endswith("Bitte prüfen Sie das Straßenverzeichnis.")


# --- invalid input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("street", "house_number", "postcode", "message"),
    [
        ("", "12", "", "Bitte geben Sie eine Straße an."),
        ("  - ", "12", "", "Bitte geben Sie eine Straße an."),
        ("Hauptstraße", "abc", "", "Bitte geben Sie eine Hausnummer an, zum Beispiel 12 oder 12a."),
        ("Hauptstraße", "", "", "Bitte geben Sie eine Hausnummer an, zum Beispiel 12 oder 12a."),
        ("Hauptstraße", "0", "", "Bitte geben Sie eine Hausnummer an, zum Beispiel 12 oder 12a."),
        ("Hauptstraße", "12", "2485", "Die Postleitzahl hat fünf Ziffern."),
        ("Hauptstraße", "12", "24850a", "Die Postleitzahl hat fünf Ziffern."),
    ],
)
def test_invalid_input_is_refused_with_german_message(
    nord_1, street, house_number, postcode, message
):
    StreetSegmentFactory(street="Hauptstraße", postcode="24850", sozialraum=nord_1)

    result = resolve(street, house_number, postcode=postcode)

    assert result.status == AddressStatus.INVALID
    assert result.message == message
    assert result.sozialraum is None
