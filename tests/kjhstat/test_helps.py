"""Teil I: the delivery rows and table counts of small known situations, and the plausibility
report: each seeded implausibility found, nothing in a clean set."""

import datetime

from cases.models import PlacementLocation
from kjhstat.survey import SURVEYS
from kjhstat.surveys import helps
from tests.cases.factories import CaseFactory
from tests.factories import ProviderFactory
from tests.kjhstat.conftest import child, help_build

TEIL1 = helps.SURVEY


def table(year: int, title_start: str):
    return next(t for t in TEIL1.tables(year) if t.title.startswith(title_start))


def cell(t, row_code: str, column_label: str) -> int:
    row = list(helps.HelpKind.values).index(row_code)
    return t.cells[row][t.column_labels.index(column_label)]


def test_the_survey_is_registered_with_one_column_per_item():
    assert SURVEYS["teil1"] is TEIL1
    keys = [column.key for column in TEIL1.columns]
    assert len(keys) == len(set(keys))
    assert "geburtsmonat" in keys and "geburtstag" not in keys


def test_a_help_begun_last_year_and_ended_this_year_gives_one_exact_row_each_year():
    free = ProviderFactory(is_public=False)
    help_ = help_build(
        code="34",
        starts_on=datetime.date(2024, 3, 15),
        ended_on=datetime.date(2025, 6, 30),
        born=datetime.date(2010, 7, 1),
        provider=free,
        placement_location=PlacementLocation.OUTSIDE,
    )
    [row_2025] = list(TEIL1.rows(2025))
    assert row_2025 == {
        "kennnummer": str(help_.pk),
        "berichtsjahr": "2025",
        "art_der_hilfe": "8",
        "status": "1",
        "begonnen_im_jahr": "2",
        "beginn_monat": "03",
        "beginn_jahr": "2024",
        "ende_monat": "06",
        "ende_jahr": "2025",
        "geschlecht": "2",
        "geburtsmonat": "07",
        "geburtsjahr": "2010",
        "anzahl_junge_menschen": "1",
        "aufenthalt_vorher": "1",
        "herkunftsfamilie": "2",
        "transferleistungen": "1",
        "auslaendische_herkunft": "2",
        "deutsch_zuhause": "1",
        "anregung": "2",
        "grund_1": "4",
        "grund_2": "6",
        "grund_3": "",
        "vorherige_hilfe": "2",
        "ort_der_hilfe": "2",
        "traeger": "2",
        "beendigungsgrund": "1",
        "beendet_planmaessig": "1",
    }
    [row_2024] = list(TEIL1.rows(2024))
    assert (row_2024["status"], row_2024["begonnen_im_jahr"], row_2024["ende_jahr"]) == (
        "2",
        "1",
        "",
    )
    assert row_2024["beendigungsgrund"] == ""  # not yet ended on 31 Dec 2024
    assert list(TEIL1.rows(2023)) == [] and list(TEIL1.rows(2026)) == []

    overview = table(2025, "Hilfen nach Art")
    assert overview.cells[list(helps.HelpKind.values).index("8")] == [0, 1, 0, 1]
    assert (
        cell(table(2025, "Junge Menschen nach Art der Hilfe und Alter"), "8", "12 bis unter 15")
        == 1
    )
    assert (
        cell(table(2025, "Junge Menschen nach Art der Hilfe und Geschlecht"), "8", "weiblich") == 1
    )
    assert cell(table(2024, "Hilfen nach Art"), "8", "begonnen") == 1
    assert cell(table(2024, "Hilfen nach Art"), "8", "andauernd am 31.12.") == 1
    assert list(TEIL1.plausibility(2025)) == []


def test_a_family_help_with_three_children_is_one_record_counting_three_young_people():
    case = CaseFactory(opened_on=datetime.date(2025, 1, 10))
    for born in (datetime.date(2012, 5, 4), datetime.date(2015, 5, 4), datetime.date(2020, 5, 4)):
        child(case, born=born)
    help_ = help_build(code="31", starts_on=datetime.date(2025, 2, 1), case=case, with_person=False)
    [row] = list(TEIL1.rows(2025))
    assert row["kennnummer"] == str(help_.pk)
    assert row["art_der_hilfe"] == "5"
    assert row["anzahl_junge_menschen"] == "3"
    assert (row["status"], row["begonnen_im_jahr"]) == ("2", "1")
    # The record's person items are the youngest child's; the help is carried by the office.
    assert (row["geburtsmonat"], row["geburtsjahr"], row["traeger"]) == ("05", "2020", "1")
    assert row["ort_der_hilfe"] == ""
    overview = table(2025, "Hilfen nach Art")
    assert cell(overview, "5", "begonnen") == 1
    assert cell(overview, "5", "junge Menschen") == 3
    ages = table(2025, "Junge Menschen nach Art der Hilfe und Alter")
    assert [cell(ages, "5", g) for g in ("12 bis unter 15", "9 bis unter 12", "3 bis unter 6")] == [
        1,
        1,
        1,
    ]
    assert sum(ages.cells[list(helps.HelpKind.values).index("5")]) == 3
    assert list(TEIL1.plausibility(2025)) == []


def test_a_public_provider_and_a_help_outside_teil_i():
    public = ProviderFactory(is_public=True)
    help_build(code="28", starts_on=datetime.date(2025, 4, 1), provider=public)
    help_build(code="SR-flex", starts_on=datetime.date(2025, 4, 1))  # own Sozialraum offer
    [row] = list(TEIL1.rows(2025))
    assert (row["art_der_hilfe"], row["traeger"]) == ("2", "1")


def test_plausibility_finds_each_seeded_problem_and_nothing_else():
    clean = help_build(code="30", starts_on=datetime.date(2025, 1, 5))
    no_reason = help_build(
        code="30", starts_on=datetime.date(2025, 1, 5), reason_main="", reason_second=""
    )
    minor_41 = help_build(
        code="41", starts_on=datetime.date(2025, 1, 5), born=datetime.date(2010, 1, 1)
    )
    no_place = help_build(code="33", starts_on=datetime.date(2025, 1, 5), placement_location="")
    no_end = help_build(
        code="30",
        starts_on=datetime.date(2025, 1, 5),
        ended_on=datetime.date(2025, 9, 1),
        end_reason="",
    )
    same_reasons = help_build(code="30", starts_on=datetime.date(2025, 1, 5), reason_second="4")
    no_sex = help_build(code="32", starts_on=datetime.date(2025, 1, 5))
    no_sex.young_person.sex = ""
    no_sex.young_person.save()
    adult_30 = help_build(
        code="30", starts_on=datetime.date(2025, 1, 5), born=datetime.date(2005, 1, 1)
    )
    nobody = help_build(code="35", starts_on=datetime.date(2025, 1, 5), with_person=False)

    findings = list(TEIL1.plausibility(2025))
    by_help: dict[str, list[str]] = {}
    for finding in findings:
        help_id = finding.record_label.split("Hilfe ")[1].split(" ")[0]
        by_help.setdefault(help_id, []).append(finding.problem)
        assert finding.fix_url.endswith(f"/hilfen/{help_id}/")
    assert str(clean.pk) not in by_help
    assert by_help[str(no_reason.pk)] == ["Es fehlt der Hauptgrund der Hilfe."]
    assert (
        len(by_help[str(minor_41.pk)]) == 1 and "erst ab 18 Jahren" in by_help[str(minor_41.pk)][0]
    )
    assert by_help[str(no_place.pk)] == ["Unterbringung ohne Ort der Unterbringung."]
    assert by_help[str(no_end.pk)] == [
        "Die Hilfe ist beendet, aber der Grund der Beendigung fehlt."
    ]
    assert by_help[str(same_reasons.pk)] == ["Der zweite Grund ist derselbe wie der Hauptgrund."]
    assert by_help[str(no_sex.pk)] == ["Es fehlt das Geschlecht des jungen Menschen."]
    assert len(by_help[str(adult_30.pk)]) == 1 and "§ 41" in by_help[str(adult_30.pk)][0]
    assert by_help[str(nobody.pk)] == [
        "Es ist nicht angegeben, für welchen jungen Menschen die Hilfe ist."
    ]
    assert len(by_help) == 8
    # Sorted for the page by caseworker: each case here has its own caseworker.
    assert len(findings) == 8
