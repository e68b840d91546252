"""A committee report's title is limited (issue 24): the form says so, the service refuses a
longer one instead of cutting it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reports.forms import ReportRequestForm
from reports.models import ReportRequest
from reports.services import REPORT_TITLE_MAX_LENGTH, report_request
from sozialraum.models import Region

pytestmark = pytest.mark.django_db


def test_a_title_longer_than_the_limit_is_refused_by_the_service(users, team_nord):
    with pytest.raises(ValidationError) as refused:
        report_request(
            user=users["planner"],
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            regions=Region.objects.all(),
            title="x" * 10_000,
        )
    assert refused.value.message_dict["title"] == [
        "Der Titel darf höchstens 120 Zeichen lang sein (jetzt 10000)."
    ]
    assert not ReportRequest.objects.exists()


def test_the_form_states_the_limit_before_it_is_reached():
    form = ReportRequestForm()
    assert REPORT_TITLE_MAX_LENGTH == 120
    assert "Höchstens 120 Zeichen" in str(form["title"].help_text)
    assert 'maxlength="120"' in str(form["title"])


def test_the_form_refuses_a_longer_title_in_german(team_nord):
    form = ReportRequestForm(
        {
            "title": "x" * 121,
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "regions": [team_nord.region.pk],
        }
    )
    assert not form.is_valid()
    assert "höchstens 120 Zeichen" in form.errors["title"][0]
