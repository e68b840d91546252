"""The report's figures: against counts taken independently from the fixture data, protected
wherever they are per Sozialraum, and read in a number of queries that does not grow."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, CaseKind, Help
from reports.selectors import SECTIONS, report_content
from reports.suppression import HIDDEN, SMALL
from sozialraum.models import Region
from tests.cases.factories import HelpFactory
from tests.reports.conftest import END, INTAKES, START


def build(regions=None):
    return report_content(
        start=START,
        end=END,
        regions=list(regions or Region.objects.all()),
        title="Bericht an den Jugendhilfeausschuss",
        office="Jugendamt Lindenau",
        data_as_of=timezone.localtime(),
    )


def tables(content) -> dict:
    return {t["key"]: t for s in content["sections"] for t in s.get("tables", [])}


def by_label(table) -> dict:
    return {row[0]: row for row in table["rows"]}


def test_every_section_in_order(year_2025):
    content = build().content
    assert [s["title"] for s in content["sections"]] == list(SECTIONS.values())
    assert content["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert content["regions"] == ["Nord", "Süd"]


def test_case_figures_match_the_fixture_and_small_counts_are_protected(year_2025):
    table = tables(build().content)["fallzahlen"]
    rows = by_label(table)
    intakes = table["columns"].index({"label": "Falleingänge", "kind": "count"})
    running = intakes + 1
    # Counted independently: individual cases opened in 2025 per Sozialraum.
    opened = {
        code: Case.objects.filter(
            sozialraum__code=code, kind=CaseKind.INDIVIDUAL, opened_on__year=2025
        ).count()
        for code in INTAKES
    }
    assert opened == INTAKES
    assert rows["Quartier S1 (S1)"][intakes] == 7
    assert rows["Quartier N2 (N2)"][intakes] == SMALL
    # 13 − 7 − 0 would give N2 away if N1 were printed: N1 is hidden as well.
    assert rows["Quartier N1 (N1)"][intakes] == HIDDEN
    assert rows["Quartier S2 (S2)"][intakes] == 0
    assert table["foot"][0][intakes] == sum(INTAKES.values())
    # S1: seven SPFH and two placements run in 2025; 9 per 2,000 minors = 4.5 per 1,000.
    s1_running = Help.objects.filter(case__sozialraum__code="S1", starts_on__year=2025).count()
    assert rows["Quartier S1 (S1)"][running] == s1_running == 9
    assert rows["Quartier S1 (S1)"][-1] == "4.5"
    # No rate where the count behind it is hidden.
    assert rows["Quartier N2 (N2)"][-1] == "–"
    assert rows["Quartier N2 (N2)"][2] == 2000


def test_placements_near_home_and_8a_counts(year_2025):
    all_tables = tables(build().content)
    placements = by_label(all_tables["unterbringungen"])["Quartier S1 (S1)"]
    assert placements[2:] == [SMALL, SMALL, "–"]  # 2 running, 1 near home: both too small
    risks = by_label(all_tables["kinderschutz"])["Quartier S1 (S1)"]
    assert risks[2:] == [0, 0, 0, 3, 3]  # keine, Hilfebedarf, latente, akute, gesamt


def test_budget_and_spending_figures(year_2025):
    all_tables = tables(build().content)
    budget = all_tables["budget"]
    assert by_label(budget)["Nord"][1:4] == ["500000.00", "12345.67", "0.00"]
    assert budget["foot"][0][0] == "Summe der Regionen"
    assert budget["foot"][1][:2] == ["Vorwegabzug (zentral)", "100000.00"]
    kinds = by_label(all_tables["arten"])
    assert kinds["fallübergreifend"][1:5] == ["12345.67", "0.00", "10000.00", "23.5"]
    assert kinds["fallübergreifend"][5] == "100.0"
    help_types = by_label(all_tables["hilfearten"])
    cross_case = "fallübergreifende Arbeit: Gruppen und Projekte (keine Hilfeart)"
    assert help_types[cross_case][1] == "12345.67"
    assert "ohne Hilfeart" not in help_types


def test_network_and_projects(year_2025):
    all_tables = tables(build().content)
    network = by_label(all_tables["netzwerk"])["Quartier N1 (N1)"]
    assert network[2] == 4  # four active partners
    assert network[4] == SMALL  # one conference in May 2025
    projects = by_label(all_tables["projekte"])["Quartier N1 (N1)"]
    assert projects[2:4] == [SMALL, SMALL]


def test_only_the_chosen_regions(year_2025):
    content = build(Region.objects.filter(code="S")).content
    rows = by_label(tables(content)["fallzahlen"])
    assert set(rows) == {"Quartier S1 (S1)", "Quartier S2 (S2)"}
    assert [row[0] for row in tables(content)["budget"]["rows"]] == ["Süd"]


def _sozialraum_count_cells(content):
    for table in tables(content).values():
        if table["columns"][0]["label"] != "Sozialraum":
            continue
        for row in [*table["rows"], *table["foot"]]:
            for value, column in zip(row, table["columns"], strict=True):
                if column["kind"] == "count":
                    yield table["key"], row[0], column["label"], value


def test_no_count_of_one_or_two_is_printed_per_sozialraum(year_2025):
    cells = list(_sozialraum_count_cells(build().content))
    assert len(cells) > 50
    assert [cell for cell in cells if cell[3] in (1, 2)] == []
    assert any(cell[3] == SMALL for cell in cells)


def test_map_shades_the_sozialraeume_by_printable_rates(year_2025):
    svg = build().map_html
    assert svg.count("<path") >= 4
    assert "laufende Hilfen je 1.000 Minderjährige" in svg


def test_queries_do_not_grow_with_the_data(year_2025, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        build()
    for code in ("N1", "S2"):
        HelpFactory.create_batch(
            30,
            case__sozialraum=year_2025[code],
            starts_on=datetime.date(2025, 3, 1),
            planned_end_on=datetime.date(2026, 3, 1),
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        build()
    assert len(small.captured_queries) <= 30


@pytest.mark.parametrize("code", ["N1", "S1"])
def test_content_holds_no_names_or_case_numbers(year_2025, code):
    text = str(build().content)
    for case in Case.objects.filter(sozialraum__code=code):
        assert case.number not in text
        for person in case.persons.all():
            assert person.last_name not in text
