"""The statistics page (role-checked, audited), delivery files (identical twice, preview marked,
pseudonymous), the help's statistics page and the forms' refusals of bad input."""

import datetime
import re

import pytest
from django.urls import reverse

from cases.models import AuditEntry, CaseStatus
from cases.services import help_decide
from cases.services_kjh import HelpItems
from kjhstat import services
from kjhstat.models import Delivery, DeliveryState
from kjhstat.survey import SURVEYS
from kjhstat.surveys import helps
from tests.cases.factories import CaseFactory, help_type
from tests.kjhstat.conftest import child, help_build


def survey_url(key="teil1", year=2025):
    return reverse("kjhstat:survey", kwargs={"key": key, "year": year})


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "provider_staff"])
def test_only_planners_and_admins_see_the_statistics(client, users, role):
    client.force_login(users[role])
    assert client.get(survey_url()).status_code == 403
    assert client.get(reverse("kjhstat:home")).status_code == 403


def test_planner_sees_tables_count_and_report_and_the_look_is_audited(client, users):
    help_build(code="30", starts_on=datetime.date(2025, 3, 1))
    broken = help_build(code="30", starts_on=datetime.date(2025, 3, 1), reason_main="")
    client.force_login(users["planner"])
    assert "KJH-Statistik" in client.get(reverse("kjhstat:home")).content.decode()
    page = client.get(survey_url()).content.decode()
    assert 'data-testid="record-count">2<' in page
    assert "Es fehlt der Hauptgrund der Hilfe." in page
    assert reverse("kjhstat:help_items", args=[broken.case_id, broken.pk]) in page
    assert "Vorschau" not in page.split("<h1")[1].split("</h1>")[0]
    assert AuditEntry.objects.filter(
        user=users["planner"], object_type="kjhstatistik", object_id=2025
    ).exists()


def test_every_registered_survey_has_a_page(client, users):
    client.force_login(users["admin"])
    for key in SURVEYS:
        assert client.get(survey_url(key)).status_code == 200, key
    assert client.get(survey_url("gibt-es-nicht")).status_code == 404


def test_committee_version_hides_small_counts(client, users):
    help_build(code="30", starts_on=datetime.date(2025, 3, 1))
    client.force_login(users["planner"])
    exact = client.get(survey_url()).content.decode()
    committee = client.get(survey_url() + "?ausschuss=1").content.decode()
    assert "&lt; 3" not in exact
    assert "&lt; 3" in committee


def test_delivery_built_twice_is_identical_and_pseudonymous(
    users, django_capture_on_commit_callbacks, tasks_in_process
):
    help_ = help_build(
        code="34", starts_on=datetime.date(2025, 3, 1), born=datetime.date(2011, 2, 17)
    )
    person = help_.young_person
    contents = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            delivery = services.delivery_request(
                user=users["planner"], survey_key="teil1", year=2025
            )
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.DONE and delivery.progress == 100
        assert delivery.record_count == 1
        assert delivery.download_name == "kjh_teil1_2025.csv"
        with delivery.file.open("rb") as handle:
            contents.append(handle.read())
    assert contents[0] == contents[1]
    text = contents[0].decode("utf-8")
    header, line, end = text.split("\r\n")
    assert end == ""
    assert header.split(";") == [column.key for column in helps.COLUMNS]
    for secret in (person.first_name, person.last_name, "17", "2011-02", help_.case.street):
        assert secret not in line.split(";")
    assert ";02;2011;" in line  # birth month and year only


def test_a_year_not_ended_gives_a_preview(
    client, users, django_capture_on_commit_callbacks, tasks_in_process
):
    year = datetime.date.today().year
    client.force_login(users["planner"])
    page = client.get(survey_url(year=year)).content.decode()
    assert "Vorschau" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(survey_url(year=year))
    delivery = Delivery.objects.get()
    assert response.url == reverse("kjhstat:delivery", args=[delivery.public_id])
    assert delivery.is_preview and delivery.download_name == f"kjh_teil1_{year}_VORSCHAU.csv"
    download = client.get(reverse("kjhstat:download", args=[delivery.public_id]))
    assert download.status_code == 200
    assert "_VORSCHAU.csv" in download["Content-Disposition"]
    client.force_login(users["caseworker"])
    assert client.get(reverse("kjhstat:download", args=[delivery.public_id])).status_code == 403


def test_a_delivery_for_a_future_year_is_refused(users):
    with pytest.raises(Exception, match="Berichtsjahr"):
        services.delivery_request(
            user=users["planner"], survey_key="teil1", year=datetime.date.today().year + 1
        )


def test_help_statistics_page_saves_and_refuses(client, users, sozialraum_nord):
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.RUNNING,
    )
    help_ = help_build(code="30", starts_on=datetime.date(2025, 3, 1), case=case, reason_main="")
    url = reverse("kjhstat:help_items", args=[case.pk, help_.pk])
    client.force_login(users["caseworker"])
    assert client.get(url).status_code == 200
    data = {
        "young_person": help_.young_person_id,
        "residence_before": "1",
        "family_situation": "2",
        "transfer_payments": "9",
        "suggested_by": "3",
        "reason_main": "99",  # not in the list
        "reason_second": "6",
        "previous_help": "2",
        "sex": "1",
        "parent_foreign_origin": "9",
        "german_at_home": "1",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "Hauptgrund der Hilfe: Bitte eine gültige Auswahl treffen." in re.sub(
        r"<[^>]+>", "", body
    )
    assert 'value="3" selected' in body  # what was typed stays
    data["reason_main"] = "6"  # same as the second reason
    body = client.post(url, data).content.decode()
    assert "Der zweite Grund ist derselbe wie der Hauptgrund." in body
    data["reason_main"] = "7"
    assert client.post(url, data).status_code == 302
    help_.refresh_from_db()
    help_.young_person.refresh_from_db()
    assert (help_.reason_main, help_.transfer_payments, help_.young_person.sex) == ("7", "9", "1")
    client.force_login(users["caseworker_sued"])
    assert client.get(url).status_code == 404
    client.force_login(users["provider_staff"])
    assert client.get(url).status_code == 403


def test_help_decision_refuses_41_for_a_minor(users, sozialraum_nord):
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.CLARIFICATION,
        opened_on=datetime.date(2025, 1, 2),
    )
    minor = child(case, born=datetime.date(2012, 1, 1))
    with pytest.raises(Exception) as refused:
        help_decide(
            user=users["caseworker"],
            case=case,
            help_type=help_type("41"),
            starts_on=datetime.date(2025, 5, 1),
            planned_end_on=datetime.date(2025, 12, 31),
            hours_per_week=5,
            new_goals=["Selbstständig wohnen"],
            statistics=HelpItems(young_person=minor),
        )
    assert "erst ab 18 Jahren" in str(refused.value)
    help_ = help_decide(
        user=users["caseworker"],
        case=case,
        help_type=help_type("30"),
        starts_on=datetime.date(2025, 5, 1),
        planned_end_on=datetime.date(2025, 12, 31),
        hours_per_week=5,
        new_goals=["Schule schaffen"],
    )
    assert help_.young_person == minor  # the case's only child, by default


def test_ending_a_help_with_an_unknown_end_reason_is_refused(users):
    from budgets.decisions import help_end_decide

    help_ = help_build(code="30", starts_on=datetime.date(2025, 3, 1))
    with pytest.raises(Exception, match="nicht in der Liste"):
        help_end_decide(
            user=users["caseworker"],
            help_=help_,
            ended_on=datetime.date(2025, 9, 1),
            reason="Ziele erreicht",
            end_reason="42",
        )
