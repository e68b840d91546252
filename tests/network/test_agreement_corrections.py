"""Berichtigung of a conference agreement (issue 24): the person who recorded it corrects it
within the office's period, the team lead of the conference's region after it, with a reason;
the earlier version shows on the conference page; anyone else gets 403 with the reason."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from corrections.selectors import corrections_of, record_key
from network.corrections import agreement_correct
from network.models import ConferenceAgreement
from network.services import agreement_add
from tests.factories import UserFactory
from tests.network.factories import ConferenceFactory


@pytest.fixture
def agreement(users, sozialraum_nord):
    conference = ConferenceFactory(sozialraum=sozialraum_nord, date=datetime.date(2026, 3, 1))
    return agreement_add(
        conference=conference,
        text="Spielplatzfest planen",
        owner=users["caseworker"],
        due_on=datetime.date(2026, 5, 1),
        user=users["caseworker"],
    )


def _correct(user, agreement, **changes):
    args = {
        "text": agreement.text,
        "owner": agreement.owner,
        "due_on": agreement.due_on,
        "reason": "Datum vertippt",
    }
    return agreement_correct(user=user, agreement=agreement, **{**args, **changes})


def test_the_recorder_corrects_and_the_earlier_version_stays(users, agreement):
    correction = _correct(users["caseworker"], agreement, due_on=datetime.date(2026, 6, 1))
    agreement.refresh_from_db()
    assert agreement.due_on == datetime.date(2026, 6, 1)
    assert corrections_of([agreement])[record_key(agreement)] == [correction]
    assert correction.changes == [
        {"field": "due_on", "label": "fällig am", "before": "01.05.2026", "after": "01.06.2026"}
    ]


def test_a_due_date_before_the_conference_is_refused_in_german(users, agreement):
    with pytest.raises(ValidationError) as refused:
        _correct(users["caseworker"], agreement, due_on=datetime.date(2026, 1, 1))
    assert "vor der Konferenz" in refused.value.message_dict["due_on"][0]


def test_after_the_period_only_the_team_lead_of_the_region_corrects(users, agreement, team_sued):
    ConferenceAgreement.objects.filter(pk=agreement.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=30)
    )
    agreement.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Teamleitung nach 14 Tagen"):
        _correct(users["caseworker"], agreement, text="Sommerfest planen")
    with pytest.raises(PermissionDenied):
        _correct(UserFactory(role="team_lead", asd_team=team_sued), agreement, text="x")
    _correct(users["team_lead"], agreement, text="Sommerfest planen")


def test_the_page_links_correction_for_the_recorder_and_says_why_not_to_others(
    client, users, agreement
):
    url = reverse("network:agreement_correct", args=[agreement.pk])
    page = reverse("network:conference_detail", args=[agreement.conference_id])
    client.force_login(users["caseworker"])
    assert url in client.get(page).content.decode()
    response = client.post(
        url,
        {
            "text": "Sommerfest planen",
            "owner": users["caseworker"].pk,
            "due_on": "2026-05-01",
            "reason": "",
        },
    )
    assert response.status_code == 422
    assert "Bitte geben Sie den Grund an." in response.content.decode()
    client.force_login(users["planner"])
    assert client.get(url).status_code == 403
    assert "Berichtigen nicht möglich" in client.get(page).content.decode()
