"""Cross-case and case-independent work is kept up to date without personal data."""

import datetime

import pytest
from django.urls import reverse

from cases.models import AuditEntry, CaseKind
from cases.services import case_project_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(users, sozialraum_nord):
    return case_project_open(
        user=users["caseworker"],
        kind=CaseKind.CROSS_CASE,
        title="Gruppe für Alleinerziehende",
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        opened_on=datetime.date(2026, 2, 1),
        participants_count=9,
    )


def test_steering_caseworker_records_participants_and_outcome(client, users, project):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:project_edit", args=[project.pk]),
        {
            "title": "Gruppe für Alleinerziehende",
            "participants_count": "12",
            "outcome": "Trifft sich weiter.",
        },
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "Trifft sich weiter." in html and ">12<" in html
    assert AuditEntry.objects.filter(object_id=project.pk, detail="Projektangaben").count() == 1


def test_an_empty_title_is_refused_and_the_typed_outcome_stays(client, users, project):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:project_edit", args=[project.pk]),
        {"title": "", "outcome": "Noch nicht gespeichert"},
    )
    assert response.status_code == 422
    assert "Noch nicht gespeichert" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Gruppe für Alleinerziehende" and project.outcome == ""


def test_individual_cases_have_no_project_page(client, users, sozialraum_nord):
    from tests.cases.conftest import intake

    case = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:project_edit", args=[case.pk])).status_code == 404
