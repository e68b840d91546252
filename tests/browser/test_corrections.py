"""Correcting a note in a real browser: the caseworker follows "Berichtigen" on the case page,
a correction without a reason is refused in German with the text kept, with a reason the note
reads corrected and the earlier version shows in its history; axe-core finds no violation on the
correction page (with and without the error) nor on the case page with the history."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases.services import note_add
from tests.browser.conftest import log_in
from tests.cases.conftest import intake
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_violations(page: Page, axe_source: str) -> list:
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return result.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))]);
        }""",
        WCAG_TAGS,
    )


def _field(page: Page, label: str):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_caseworker_corrects_a_note_and_sees_the_earlier_version(
    live_server, browser, users, sozialraum_nord, axe_source
):
    # bypass_csp: axe is injected as a script tag, which the Content-Security-Policy forbids.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    caseworker = users["caseworker"]
    case = intake(user=caseworker, sozialraum=sozialraum_nord)
    note_add(user=caseworker, case=case, text="Hausbesuch am Montag, Mia schläft um neun.")
    log_in(page, live_server.url, caseworker.username, PASSWORD)
    page.goto(f"{live_server.url}/faelle/{case.pk}/#notizen")

    page.get_by_role("link", name=re.compile("^Berichtigen")).first.click()
    expect(page.locator("h1")).to_contain_text("berichtigen")
    assert _axe_violations(page, axe_source) == []

    _field(page, "Text").fill("Hausbesuch am Montag, Mia schläft um acht.")
    page.get_by_role("button", name="Berichtigung speichern").click()
    expect(page.get_by_text("Bitte geben Sie den Grund an.").first).to_be_visible()
    expect(_field(page, "Text")).to_have_value("Hausbesuch am Montag, Mia schläft um acht.")
    assert _axe_violations(page, axe_source) == []

    _field(page, "Grund der Berichtigung").fill("Uhrzeit vertippt")
    page.get_by_role("button", name="Berichtigung speichern").click()
    notes = page.locator("#notizen")
    expect(notes).to_contain_text("Mia schläft um acht.")
    expect(notes).to_contain_text("Grund: Uhrzeit vertippt")
    expect(notes).to_contain_text("„Hausbesuch am Montag, Mia schläft um neun.“")
    assert _axe_violations(page, axe_source) == []
    context.close()
