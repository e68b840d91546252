"""The § 8a survey: one record per child and completed assessment, its tables, its plausibility
report, and the page where a caseworker completes the items."""

import pytest
from django.urls import reverse

from cases.models import PersonRole, RiskAssessment, RiskLevel
from cases.protection_items import RiskItems
from kjhstat.survey import SURVEYS
from kjhstat.surveys import assessments  # noqa: F401  registers the survey
from tests.kjhstat.protection_world import COMPLETE, assess, at, child, custody, family

YEAR = 2025


@pytest.fixture
def mia(users, sozialraum_nord):
    return family(
        user=users["caseworker"], sozialraum=sozialraum_nord, children=[child("Mia", "2015-03-14")]
    )


@pytest.fixture
def siblings(users, sozialraum_nord):
    return family(
        user=users["caseworker"],
        sozialraum=sozialraum_nord,
        children=[child("Lea", "2023-05-01"), child("Tom", "2011-09-09")],
    )


def _children(case):
    return list(case.persons.filter(role=PersonRole.CHILD).order_by("birth_date"))


def _rows(year=YEAR):
    return list(SURVEYS["8a"].rows(year))


def test_two_assessments_of_one_child_in_a_year_are_two_records(users, mia):
    user = users["caseworker"]
    assess(
        user=user,
        case=mia,
        children=_children(mia),
        level=RiskLevel.LATENT,
        completed=at("2025-02-10"),
    )
    assess(
        user=user,
        case=mia,
        children=_children(mia),
        level=RiskLevel.ACUTE,
        completed=at("2025-11-20"),
    )
    rows = _rows()
    assert [(r["lfd_nr"], r["abschluss_monat"], r["ergebnis"], r["alter"]) for r in rows] == [
        ("1", "2", "2", "9"),
        ("2", "11", "1", "10"),
    ]


def test_one_assessment_of_a_family_with_two_children_is_two_records(users, siblings):
    assess(
        user=users["caseworker"],
        case=siblings,
        children=_children(siblings),
        level=RiskLevel.ACUTE,
        completed=at("2025-06-03"),
    )
    rows = _rows()
    assert len(rows) == 2
    assert rows[0] == {
        "lfd_nr": "1",
        "berichtsjahr": "2025",
        "abschluss_monat": "6",
        "geschlecht": "2",
        "geburtsmonat": "9",
        "geburtsjahr": "2011",
        "alter": "13",
        "auslaendische_herkunft": "2",
        "deutsch_zuhause": "1",
        "situation_eltern": "2",
        "aufenthalt": "3",
        "bekannt_durch": "2",
        "leistung_bei_beginn": "4",
        "ergebnis": "1",
        "art_1": "1",
        "art_2": "2",
        "art_3": "2",
        "art_4": "2",
        "konsequenz_1": "1",
        "konsequenz_2": "2",
        "konsequenz_3": "2",
        "konsequenz_4": "2",
        "konsequenz_5": "2",
        "konsequenz_6": "2",
    }
    assert (rows[1]["geburtsjahr"], rows[1]["alter"]) == ("2023", "2")
    assert list(rows[0]) == [column.key for column in SURVEYS["8a"].columns]


def test_no_birth_day_and_no_name_in_the_delivery(users, siblings):
    assess(
        user=users["caseworker"],
        case=siblings,
        children=_children(siblings),
        level=RiskLevel.NONE,
        completed=at("2025-06-03"),
        items=RiskItems(
            **{**COMPLETE.__dict__, "endangerment": [], "consequences": ["consequence_none"]}
        ),
    )
    text = repr(_rows())
    assert "Lea" not in text and "Statistik" not in text and "2011-09-09" not in text


def test_an_assessment_counts_in_the_year_its_result_was_recorded(users, mia):
    assess(
        user=users["caseworker"],
        case=mia,
        children=_children(mia),
        level=RiskLevel.LATENT,
        completed=at("2024-12-31", hour=23),
    )
    assert _rows(2025) == []
    assert len(_rows(2024)) == 1


def test_family_court_and_inobhutnahme_are_read_from_their_records(users, mia):
    risk = assess(
        user=users["caseworker"],
        case=mia,
        children=_children(mia),
        level=RiskLevel.ACUTE,
        completed=at("2025-03-01"),
    )[0]
    RiskAssessment.objects.filter(pk=risk.pk).update(
        family_court_on="2025-03-02", family_court="AG Lindenau 1 F 2/25"
    )
    custody(user=users["caseworker"], case=mia, started_on="2025-03-01", assessment=risk)
    row = _rows()[0]
    assert (row["konsequenz_4"], row["konsequenz_5"]) == ("1", "1")


def test_tables_by_result_and_age_by_kind_and_by_source(users, mia, siblings):
    user = users["caseworker"]
    assess(
        user=user,
        case=siblings,
        children=_children(siblings),
        level=RiskLevel.ACUTE,
        completed=at("2025-06-03"),
        source="police",
    )
    assess(
        user=user,
        case=mia,
        children=_children(mia),
        level=RiskLevel.HELP_NEEDED,
        completed=at("2025-07-03"),
        items=RiskItems(**{**COMPLETE.__dict__, "endangerment": []}),
    )
    by_age, by_kind, by_source = SURVEYS["8a"].tables(YEAR)
    assert by_age.row_labels[0] == "unter 3"
    assert by_age.cells[0] == [1, 0, 0, 0, 1]  # Lea, 2: acute
    assert by_age.cells[3] == [1, 0, 1, 0, 2]  # Tom 13 acute, Mia 10 help needed
    assert by_age.cells[-1] == [2, 0, 1, 0, 3]
    assert by_kind.cells[0] == [2, 0, 2]  # neglect, both acute
    assert by_kind.cells[1] == [0, 0, 0]
    assert by_source.cells[0] == [2]  # police
    assert by_source.cells[1] == [1]  # school


def test_plausibility_finds_each_seeded_problem_and_nothing_in_a_clean_set(users, mia, siblings):
    user = users["caseworker"]
    assess(
        user=user,
        case=siblings,
        children=_children(siblings),
        level=RiskLevel.ACUTE,
        completed=at("2025-06-03"),
    )
    assert list(SURVEYS["8a"].plausibility(YEAR)) == []
    no_kind = assess(
        user=user,
        case=mia,
        children=_children(mia),
        level=RiskLevel.LATENT,
        completed=at("2025-08-03"),
        items=None,
    )[0]
    findings = list(SURVEYS["8a"].plausibility(YEAR))
    assert len(findings) == 1
    finding = findings[0]
    assert finding.fix_url == reverse("cases:risk_items", args=[no_kind.pk])
    assert "keine Art der Gefährdung" in finding.problem
    assert "Situation der Eltern" in finding.problem
    assert "Die Konsequenz der Einschätzung fehlt." in finding.problem
    assert mia.number in finding.record_label and "Mia" not in finding.record_label


def _items_post(**changes):
    data = {
        "sex": "2",
        "parent_foreign_origin": "2",
        "german_at_home": "1",
        "family_situation": "1",
        "usual_residence": "1",
        "prior_help": "9",
        "endangerment": ["endangerment_physical"],
        "consequences": ["consequence_new_help"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_items_page_saves_and_refuses_a_risk_without_kind_keeping_the_input(client, users, mia):
    risk = assess(
        user=users["caseworker"],
        case=mia,
        children=_children(mia),
        level=RiskLevel.ACUTE,
        completed=at("2025-06-03"),
        items=None,
    )[0]
    client.force_login(users["caseworker"])
    url = reverse("cases:risk_items", args=[risk.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, _items_post(endangerment=None, family_situation="3"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "mindestens eine Art der Gefährdung" in html
    assert 'value="3" selected' in html  # what was typed stays
    response = client.post(url, _items_post(prior_help="77"))
    assert response.status_code == 422
    assert "gültige" in response.content.decode() or "Liste" in response.content.decode()
    assert client.post(url, _items_post()).status_code == 302
    risk.refresh_from_db()
    assert risk.endangerment_physical and risk.consequence_new_help
    assert risk.child.sex == "2"


def test_items_page_refuses_a_kind_for_no_endangerment(client, users, mia):
    risk = assess(
        user=users["caseworker"],
        case=mia,
        children=_children(mia),
        level=RiskLevel.NONE,
        completed=at("2025-06-03"),
        items=None,
    )[0]
    client.force_login(users["caseworker"])
    response = client.post(reverse("cases:risk_items", args=[risk.pk]), _items_post())
    assert response.status_code == 422
    assert "nur bei akuter oder latenter" in response.content.decode()


def test_items_page_access(client, users, mia):
    risk = assess(
        user=users["caseworker"],
        case=mia,
        children=_children(mia),
        level=RiskLevel.ACUTE,
        completed=at("2025-06-03"),
    )[0]
    url = reverse("cases:risk_items", args=[risk.pk])
    for role, status in (("provider_staff", 403), ("caseworker_sued", 404), ("planner", 403)):
        client.force_login(users[role])
        assert client.get(url).status_code == status, role


def _report_post(case, level, **extra):
    from django.utils import timezone

    return {
        "children": [str(p.pk) for p in _children(case)],
        "known_on": timezone.localdate().isoformat(),
        "known_channel": "phone",
        "source": "school",
        "facts": "Das Kind kam mit Hämatomen in die Schule.",
        "level": level,
        **extra,
    }


def test_the_kind_is_asked_with_the_result_and_refused_for_no_endangerment(client, users, mia):
    client.force_login(users["caseworker"])
    url = reverse("cases:risk_add", args=[mia.pk])
    team = [users["caseworker"].pk, users["team_lead"].pk]
    response = client.post(
        url, _report_post(mia, "none", assessors=team, endangerment=["endangerment_sexual"])
    )
    assert response.status_code == 422
    assert "nur bei akuter oder latenter" in response.content.decode()
    response = client.post(
        url, _report_post(mia, "acute", assessors=team, endangerment=["endangerment_physical"])
    )
    assert response.status_code == 302
    risk = RiskAssessment.objects.get(case=mia)
    assert risk.endangerment_physical and not risk.endangerment_neglect
