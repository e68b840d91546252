"""Sessions end after 30 idle minutes and after 10 hours in any case; nothing typed is lost."""

import datetime
import re
from importlib import import_module
from unittest import mock
from urllib.parse import unquote

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.security import DRAFT_SAVED_COOKIE, LAST_ACTIVITY
from cases.models import Case, CaseStatus, Note
from tests.cases.factories import CaseFactory
from tests.cases.test_intake import intake_post
from tests.factories import StreetSegmentFactory

IDLE_END = "Sie wurden nach 30 Minuten ohne Aktivität abgemeldet."


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture
def clock():
    """A clock the test moves; the session stamps and the database's expiry both follow it."""
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def caseworker(client, clock, users):
    client.force_login(users["caseworker"])
    return users["caseworker"]


@pytest.fixture
def case(caseworker, sozialraum_nord):
    return CaseFactory(
        sozialraum=sozialraum_nord, steering_caseworker=caseworker, status=CaseStatus.RUNNING
    )


def test_activity_keeps_the_session_and_30_idle_minutes_end_it(client, clock, caseworker):
    url = reverse("asd_home")
    clock.shift(minutes(29))
    assert client.get(url).status_code == 200
    clock.shift(minutes(29))  # 58 minutes after login, 29 after the last page
    assert client.get(url).status_code == 200
    clock.shift(minutes(31))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/asd/"
    html = client.get(response.url).content.decode()
    assert IDLE_END in html
    assert "bleibt in diesem Browser als Entwurf erhalten" in html
    assert client.get(url).url.startswith(reverse("login"))  # the session is gone


def test_a_form_sent_after_the_timeout_saves_nothing_and_leads_back_to_the_form(
    client, clock, caseworker, case
):
    url = reverse("cases:note_add", args=[case.pk])
    assert client.get(url).status_code == 200
    clock.shift(minutes(45))
    response = client.post(url, {"text": "Gespräch mit der Mutter", "internal": "on"})
    assert response.url == f"{reverse('login')}?next={url}"
    assert not Note.objects.exists()
    assert DRAFT_SAVED_COOKIE not in response.cookies  # the browser keeps its draft


def test_the_idle_time_is_configurable(client, clock, caseworker, settings):
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    clock.shift(minutes(11))
    response = client.get(reverse("asd_home"), follow=True)
    assert "nach 10 Minuten ohne Aktivität abgemeldet" in response.content.decode()


def test_a_whole_day_of_work_still_ends_after_ten_hours(client, clock, caseworker):
    url = reverse("asd_home")
    for _ in range(10 * 3 - 1):  # a page every 20 minutes
        clock.shift(minutes(20))
        assert client.get(url).status_code == 200
    clock.shift(minutes(21))
    response = client.get(url, follow=True)
    assert "Ihre Anmeldung endet spätestens nach 10 Stunden." in response.content.decode()


def test_extending_the_session_keeps_the_page_and_restarts_the_idle_time(client, clock, caseworker):
    clock.shift(minutes(26))
    response = client.post(reverse("session_extend"))
    assert response.json() == {"verbleibend": 30 * 60}
    clock.shift(minutes(26))
    assert client.get(reverse("asd_home")).status_code == 200
    assert client.get(reverse("session_extend")).status_code == 405


def test_extension_cannot_revive_an_ended_session(client, clock, caseworker):
    clock.shift(minutes(31))
    response = client.post(reverse("session_extend"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def _idle_left(html: str) -> int:
    return int(re.search(r'data-idle-left-seconds="(\d+)"', html).group(1))


def test_pages_within_a_minute_do_not_write_the_session(client, clock, caseworker):
    """The idle stamp is written at most once a minute: no session write on most pages."""
    url = reverse("asd_home")
    assert client.get(url).status_code == 200  # stamps (login was a moment ago: within the minute)
    clock.shift(datetime.timedelta(seconds=61))
    client.get(url)
    stamped = client.session[LAST_ACTIVITY]
    clock.shift(datetime.timedelta(seconds=40))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    assert not [q for q in captured if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    assert client.session[LAST_ACTIVITY] == stamped
    # The page's countdown starts from the stamp, not from this request.
    assert _idle_left(html) == 30 * 60 - 40


def test_the_idle_time_counts_from_the_last_stamp_and_the_page_says_so(client, clock, caseworker):
    url = reverse("asd_home")
    clock.shift(minutes(5))
    client.get(url)  # stamped at 5 min
    clock.shift(datetime.timedelta(seconds=50))
    html = client.get(url).content.decode()  # within the minute: not stamped
    assert _idle_left(html) == 30 * 60 - 50
    clock.shift(minutes(30) - datetime.timedelta(seconds=50) + datetime.timedelta(seconds=1))
    response = client.get(url, follow=True)  # 30 min 1 s after the stamp: ended, as announced
    assert IDLE_END in response.content.decode()


def test_extending_within_the_minute_still_restarts_the_full_idle_time(client, clock, caseworker):
    url = reverse("asd_home")
    clock.shift(minutes(2))
    client.get(url)  # stamped
    clock.shift(datetime.timedelta(seconds=30))
    assert client.post(reverse("session_extend")).json() == {"verbleibend": 30 * 60}
    assert _idle_left(client.get(url).content.decode()) == 30 * 60
    clock.shift(minutes(29) + datetime.timedelta(seconds=50))  # 30 min 20 s after the first stamp
    assert client.get(url).status_code == 200


def test_every_page_carries_the_warning_and_the_draft_keeper_as_static_files(client, caseworker):
    html = client.get(reverse("asd_home")).content.decode()
    assert 'data-idle-seconds="1800"' in html
    assert 'data-warning-seconds="300"' in html
    assert "Sitzung verlängern" in html
    assert re.search(r'<script src="/static/js/session-timeout\.js" defer></script>', html)
    assert re.search(r'<script src="/static/js/drafts\.js" defer></script>', html)


def test_the_login_page_carries_no_draft_key(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'id="entwuerfe"' not in html


def test_each_person_gets_their_own_draft_key(client, users):
    keys = set()
    for role in ("caseworker", "team_lead"):
        client.force_login(users[role])
        html = client.get(reverse("asd_home")).content.decode()
        keys.add(re.search(r'id="entwuerfe" hidden data-key="([^"]+)"', html).group(1))
    assert len(keys) == 2


# No lost work -------------------------------------------------------------------------------


def test_a_saved_form_tells_the_browser_to_drop_its_draft(client, caseworker, case):
    url = reverse("cases:note_add", args=[case.pk])
    response = client.post(url, {"text": "Gespräch mit der Mutter", "internal": "on"})
    assert response.status_code == 302
    assert unquote(response.cookies[DRAFT_SAVED_COOKIE].value) == url
    assert '"' not in response.cookies[DRAFT_SAVED_COOKIE].coded_value  # readable by the script
    assert response.cookies[DRAFT_SAVED_COOKIE]["max-age"] == 60


def test_a_rejected_note_comes_back_with_the_text_and_no_draft_drop(client, caseworker, case):
    url = reverse("cases:note_add", args=[case.pk])
    typed = "Gespräch mit der Mutter über den Schulweg\x00"
    response = client.post(url, {"text": typed})  # "internal" unticked
    html = response.content.decode()
    assert response.status_code == 422
    assert "Gespräch mit der Mutter über den Schulweg" in html
    assert re.search(r'<input type="checkbox" name="internal"(?![^>]*checked)[^>]*>', html)
    assert DRAFT_SAVED_COOKIE not in response.cookies
    assert not Note.objects.exists()


def test_a_rejected_intake_comes_back_with_everything_typed(client, caseworker, sozialraum_nord):
    StreetSegmentFactory(street="Lindenweg", postcode="24850", sozialraum=sozialraum_nord)
    data = intake_post(
        caseworker=caseworker,
        persons=[
            {"role": "child", "first_name": "Jonas", "last_name": "Schulz", "birth_date": "31.02."},
            {"role": "guardian", "first_name": "Petra", "last_name": "Schulz", "phone": "0461 1"},
        ],
    )
    response = client.post(reverse("cases:intake"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Der Fall ist noch nicht gespeichert" in html
    for typed in (
        "Lindenweg",
        'value="7"',
        "Wir möchten, dass Jonas morgens wieder gern zur Schule geht.",
        "Wir wollen morgens früher aufstehen.",
        'value="Jonas"',
        'value="Petra"',
        'value="0461 1"',
        'value="31.02."',
        "Jonas spielt gern Fußball.",
        "Der Sportverein am Lindenweg.",
        "Jonas geht jeden Tag zur Schule.",
    ):
        assert typed in html, typed
    assert not Case.objects.exists()
    assert DRAFT_SAVED_COOKIE not in response.cookies


def test_ten_page_views_write_the_session_at_most_once(client, clock, caseworker, case):
    """Ten pages, ten seconds apart: the idle stamp is renewed once (after the minute), and
    nothing else on these pages writes the session (a database or Redis write per view)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    pages = [reverse("asd_home"), reverse("cases:list"), reverse("cases:detail", args=[case.pk])]
    client.get(pages[0])  # the login's own stamps settle
    writes = []
    original = store.save

    def counting_save(self, *args, **kwargs):
        writes.append(self.session_key)
        return original(self, *args, **kwargs)

    with mock.patch.object(store, "save", counting_save):
        for i in range(10):
            clock.shift(datetime.timedelta(seconds=10))
            assert client.get(pages[i % len(pages)]).status_code == 200
    assert len(writes) <= 1, writes
