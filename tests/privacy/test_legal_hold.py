"""Legal holds: the team lead of the case's region or the administration places and lifts them,
with a reason, audited; nobody else reaches the page."""

import pytest
from django.urls import reverse

from cases.models import AuditAction, AuditEntry
from privacy.models import LegalHold
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory


@pytest.fixture
def nord_case(users, sozialraum_nord):
    return CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"])


@pytest.fixture
def sued_case(users):
    return CaseFactory(
        sozialraum__region=users["caseworker_sued"].asd_team.region,
        sozialraum__asd_team=users["caseworker_sued"].asd_team,
        steering_caseworker=users["caseworker_sued"],
    )


def place(client, number, reason="Beschwerde beim Landesjugendamt, Az. LJA-7/26"):
    return client.post(reverse("privacy:holds"), {"case_number": number, "reason": reason})


def test_team_lead_holds_a_case_of_the_region_with_an_audited_reason(client, users, nord_case):
    client.force_login(users["team_lead"])
    response = place(client, nord_case.number.lower())  # the number is found in any case
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.case, hold.placed_by, hold.is_active) == (nord_case, users["team_lead"], True)
    entry = AuditEntry.objects.get(object_type="case", object_id=nord_case.pk)
    assert (entry.action, entry.detail, entry.user) == (
        AuditAction.CHANGE,
        "Löschsperre gesetzt",
        users["team_lead"],
    )
    page = client.get(reverse("privacy:holds")).content.decode()
    assert nord_case.number in page and "LJA-7/26" in page


def test_team_lead_cannot_hold_another_regions_case(client, users, sued_case):
    client.force_login(users["team_lead"])
    response = place(client, sued_case.number)
    assert response.status_code == 422
    assert "in Ihrer Zuständigkeit nicht" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_administration_holds_any_case(client, users, sued_case):
    client.force_login(users["admin"])
    assert place(client, sued_case.number).status_code == 302
    assert LegalHold.objects.get().case == sued_case


def test_one_active_hold_per_case(client, users, nord_case):
    client.force_login(users["team_lead"])
    place(client, nord_case.number)
    again = place(client, nord_case.number, reason="Zweiter Grund")
    assert again.status_code == 422
    assert "bereits eine Löschsperre" in again.content.decode()
    assert LegalHold.objects.count() == 1


def test_missing_reason_is_refused_and_the_number_stays_in_the_form(client, users, nord_case):
    client.force_login(users["team_lead"])
    response = place(client, nord_case.number, reason="")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Dieses Feld ist zwingend erforderlich" in html
    assert f'value="{nord_case.number}"' in html
    assert not LegalHold.objects.exists()


def test_lifting_needs_a_reason_and_is_audited(client, users, nord_case):
    client.force_login(users["team_lead"])
    place(client, nord_case.number)
    hold = LegalHold.objects.get()
    url = reverse("privacy:hold_lift", args=[hold.pk])
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "Verfahren abgeschlossen"}).status_code == 302
    hold.refresh_from_db()
    assert not hold.is_active and hold.lifted_by == users["team_lead"]
    assert AuditEntry.objects.filter(detail="Löschsperre aufgehoben").count() == 1
    # A lifted hold cannot be lifted again: it is no longer found.
    assert client.get(url).status_code == 404


def test_team_lead_of_another_region_does_not_find_the_hold(client, users, nord_case, team_sued):
    client.force_login(users["admin"])
    place(client, nord_case.number)
    hold = LegalHold.objects.get()
    lead_sued = UserFactory(role="team_lead", asd_team=team_sued)
    client.force_login(lead_sued)
    assert client.get(reverse("privacy:hold_lift", args=[hold.pk])).status_code == 404
    assert nord_case.number not in client.get(reverse("privacy:holds")).content.decode()
