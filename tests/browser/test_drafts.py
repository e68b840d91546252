"""No lost work, in a real browser: a note typed while the session ended comes back after the
next login (with the second factor), and is gone from the browser once saved.

Also the warning before the idle timeout (with the browser's clock moved forward) and that
none of these pages breaks the Content-Security-Policy.
"""

import datetime
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from playwright.sync_api import Page, expect

from cases.models import CaseStatus, Note
from tests.browser.conftest import log_in
from tests.cases.factories import CaseFactory
from tests.conftest import totp_code, totp_device
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Gespräch mit der Mutter: Jonas geht wieder gern zur Schule, der Bus fährt um 7.10 Uhr."
DRAFTS = "() => Object.keys(localStorage).filter(k => k.startsWith('sozialraum.entwurf.'))"


def _end_all_sessions() -> None:
    """End every login through the session store, as the server would: with Redis the sessions
    are cached (cached_db), so deleting the rows alone would leave them working."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()


@pytest.fixture
def caseworker(team_nord):
    """A caseworker who is no demo account: every login needs the app's code."""
    user = UserFactory(role="caseworker", asd_team=team_nord, first_name="Anna")
    totp_device(user)
    return user


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def _running_case(caseworker, sozialraum):
    with transaction.atomic():  # the case number is drawn under a row lock
        return CaseFactory(
            sozialraum=sozialraum, steering_caseworker=caseworker, status=CaseStatus.RUNNING
        )


def _note(page: Page):
    return page.get_by_role("textbox", name=re.compile(r"^Vermerk"))


def _drafts(page: Page) -> list[str]:
    return page.evaluate(DRAFTS)


def _wait_for_draft(page: Page) -> None:
    page.wait_for_function(f"() => ({DRAFTS})().length > 0")


def _log_in_with_code(page: Page, base_url: str, user) -> None:
    log_in(page, base_url, user.username, PASSWORD, totp_device=totp_device(user))


def test_a_note_typed_when_the_session_ended_comes_back_after_login_and_goes_once_saved(
    live_server, page, caseworker, sozialraum_nord, csp_violations
):
    case = _running_case(caseworker, sozialraum_nord)
    base = live_server.url
    _log_in_with_code(page, base, caseworker)
    expect(page.locator("h1")).to_contain_text("Guten Tag, Anna")
    page.goto(f"{base}/faelle/{case.pk}/vermerke/neu/")
    _note(page).fill(NOTE)
    page.get_by_label(re.compile("Nur für den ASD")).uncheck()
    _wait_for_draft(page)
    stored = page.evaluate(f"() => localStorage.getItem(({DRAFTS})()[0])")
    assert "Jonas" not in stored  # encrypted at rest in the browser

    _end_all_sessions()  # the session ends while the person types
    page.get_by_role("button", name="Vermerk speichern").click()
    page.wait_for_url(re.compile(r"/anmelden/\?next="))
    assert not Note.objects.exists()

    page.get_by_label("Benutzername").fill(caseworker.username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/zwei-faktor/\?next="))
    page.get_by_label("Bestätigungscode").fill(totp_code(totp_device(caseworker)))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(f"**/faelle/{case.pk}/vermerke/neu/")
    expect(page.get_by_role("status").filter(has_text="Entwurf")).to_contain_text(
        "nicht gespeicherter Entwurf"
    )
    expect(_note(page)).to_have_value(NOTE)
    expect(page.get_by_label(re.compile("Nur für den ASD"))).not_to_be_checked()

    page.get_by_role("button", name="Vermerk speichern").click()
    page.wait_for_url(f"**/faelle/{case.pk}/**")
    expect(page.locator(".messages")).to_contain_text("Der Vermerk ist gespeichert.")
    note = Note.objects.get()
    assert (note.text, note.internal) == (NOTE, False)
    assert _drafts(page) == []
    page.goto(f"{base}/faelle/{case.pk}/vermerke/neu/")
    expect(_note(page)).to_have_value("")
    assert csp_violations == []


def test_a_draft_can_be_discarded_and_logging_out_takes_the_drafts_along(
    live_server, page, caseworker, sozialraum_nord, csp_violations
):
    case = _running_case(caseworker, sozialraum_nord)
    form = f"{live_server.url}/faelle/{case.pk}/vermerke/neu/"
    _log_in_with_code(page, live_server.url, caseworker)
    page.goto(form)
    _note(page).fill("Erster Gedanke")
    _wait_for_draft(page)
    page.get_by_role("link", name="Zurück ohne zu speichern").click()
    page.goto(form)
    expect(_note(page)).to_have_value("Erster Gedanke")
    page.get_by_role("button", name="Entwurf verwerfen").click()
    expect(_note(page)).to_have_value("")
    expect(page.get_by_role("status").filter(has_text="verworfen")).to_be_visible()
    assert _drafts(page) == []

    _note(page).fill("Zweiter Gedanke")
    _wait_for_draft(page)
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden/")
    assert _drafts(page) == []
    assert csp_violations == []


def test_another_person_at_the_same_pc_does_not_get_the_draft(
    live_server, browser, caseworker, team_nord
):
    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _log_in_with_code(page, live_server.url, caseworker)
        page.goto(f"{live_server.url}/faelle/neu/")
        page.get_by_label(re.compile(r"^\s*Anliegen\s*\*?\s*$")).fill("Streit zu Hause")
        _wait_for_draft(page)
        _end_all_sessions()
        _log_in_with_code(page, live_server.url, colleague)
        page.goto(f"{live_server.url}/faelle/neu/")
        expect(page.get_by_label(re.compile(r"^\s*Anliegen\s*\*?\s*$"))).to_have_value("")
        expect(page.get_by_text("nicht gespeicherter Entwurf")).to_have_count(0)
        assert len(_drafts(page)) == 1  # still there for its author, unreadable for others
    finally:
        context.close()


def test_the_page_warns_before_the_idle_timeout_and_the_session_can_be_extended(
    live_server, page, caseworker, csp_violations
):
    page.clock.install()
    _log_in_with_code(page, live_server.url, caseworker)
    notice = page.locator("#sitzungshinweis")
    expect(notice).to_be_hidden()
    page.clock.fast_forward("26:00")
    expect(notice).to_be_visible()
    end = (datetime.datetime.now() + datetime.timedelta(minutes=30)).strftime("%H:%M")
    expect(notice.get_by_text("Ihre Sitzung endet um")).to_be_visible()
    assert notice.locator("[data-session-end]").inner_text() in {end, _minus_one(end)}
    page.get_by_role("button", name="Sitzung verlängern").click()
    # The visible state, not the notice's text: that holds all three states, hidden or not, so
    # waiting for it would not wait for the server's answer, and a late answer would renew the
    # session after the clock had moved on.
    expect(notice.get_by_text("Ihre Sitzung ist verlängert.")).to_be_visible()
    page.clock.fast_forward("31:00")
    expect(notice.get_by_text("Ihre Sitzung ist abgelaufen.")).to_be_visible()
    expect(notice.get_by_role("link", name="Erneut anmelden")).to_have_attribute(
        "href", re.compile(r"/anmelden/\?next=%2Fasd%2F")
    )
    assert csp_violations == []


def _minus_one(hhmm: str) -> str:
    """The minute before: the browser's clock and this one may straddle a minute."""
    moment = datetime.datetime.strptime(hhmm, "%H:%M") - datetime.timedelta(minutes=1)
    return moment.strftime("%H:%M")


def test_the_admin_site_works_under_the_content_security_policy(
    live_server, page, db, csp_violations
):
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True, is_demo_account=True)
    log_in(page, live_server.url, admin.username, PASSWORD)  # demo mode: a demo account
    for path in (
        "/admin/",
        "/admin/sozialraum/user/",
        f"/admin/sozialraum/user/{admin.pk}/change/",
        "/admin/axes/accessattempt/",
        "/admin/otp_totp/totpdevice/",
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        expect(page.locator("#content")).to_be_visible()
    assert csp_violations == []
