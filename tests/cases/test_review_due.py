"""The case carries the due day of its earliest open Hilfeplangespräch (`Case.review_due_on`),
kept by every service that plans, moves, holds or cancels a review; the case list's
"HPG überfällig" reads it; `manage.py reconcile_cases` finds a case where it is wrong."""

import datetime
from datetime import time as T
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Case
from cases.services import add_months, help_end, review_record, review_schedule

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _due(case) -> datetime.date | None:
    return Case.all_objects.values_list("review_due_on", flat=True).get(pk=case.pk)


def _open(help_):
    return help_.help_plan.reviews.get(held_on__isnull=True, cancelled_on__isnull=True)


def test_the_case_follows_its_reviews_from_decision_to_the_end_of_the_help(users, help_nord, today):
    case = help_nord.case
    first = _open(help_nord)
    assert _due(case) == first.due_on  # deciding the help planned its first review

    on = today + 10 * DAY
    review_schedule(user=users["caseworker"], review=first, on=on, time=T(10), place="ASD")
    assert _due(case) == on
    review_schedule(
        user=users["caseworker"],
        review=first,
        on=on + DAY,
        time=T(9),
        place="ASD",
        reason="Die Mutter ist krank.",
    )
    assert _due(case) == on + DAY

    review_record(
        user=users["caseworker"],
        review=first,
        held_on=today,
        participants="Familie, ASD",
        summary="Es geht voran.",
    )
    assert _due(case) == add_months(today, 6) == _open(help_nord).due_on

    help_end(user=users["caseworker"], help_=help_nord, ended_on=today)
    assert _due(case) is None  # the open appointment was cancelled with the help


def test_the_case_list_marks_and_filters_by_the_stored_day(client, users, help_nord, today):
    case = help_nord.case
    due = _open(help_nord).due_on
    client.force_login(users["caseworker"])
    url = reverse("cases:list")
    assert case.number not in client.get(url, {"review_overdue": "on"}).content.decode()
    with time_machine.travel(due + DAY, tick=False):
        client.force_login(users["caseworker"])
        listed = client.get(url, {"review_overdue": "on"}).content.decode()
        assert case.number in listed and "HPG überfällig" in listed
        # Held on its day: no longer overdue, neither filtered nor marked.
        review_record(
            user=users["caseworker"],
            review=_open(help_nord),
            held_on=due,
            participants="",
            summary="Gut.",
        )
        assert case.number not in client.get(url, {"review_overdue": "on"}).content.decode()
        assert "HPG überfällig" not in client.get(url).content.decode()


def test_reconcile_finds_a_case_whose_day_is_wrong(users, help_nord):
    out = StringIO()
    call_command("reconcile_cases", stdout=out)
    assert "Keine Abweichungen" in out.getvalue()

    right = _due(help_nord.case)
    Case.all_objects.filter(pk=help_nord.case_id).update(review_due_on=None)
    out = StringIO()
    with pytest.raises(CommandError, match="1 Abweichung"):
        call_command("reconcile_cases", stdout=out)
    assert (
        f"Fall {help_nord.case.number}: gespeichert keines, "
        f"laut offenen Gesprächen {right:%d.%m.%Y}" in out.getvalue()
    )
