"""Setting a deputy in a real browser: the team lead reaches the page from the start page, a
period ending before it starts is refused in German, the right one is listed; axe-core finds
no violation on the page, with and without the error."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_violations(page: Page, axe_source: str) -> list:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
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


@pytest.fixture
def page(browser):
    # bypass_csp: axe is injected as a script tag, which the Content-Security-Policy forbids.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_team_lead_sets_a_deputy(live_server, page, users, axe_source):
    lead = users["team_lead"]
    absent = users["caseworker"]
    absent.first_name, absent.last_name = "Anna", "Abwesend"
    absent.save()
    UserFactory(
        role="caseworker",
        asd_team=lead.asd_team,
        first_name="Vera",
        last_name="Vertretung",
        is_demo_account=True,
    )
    today = datetime.date.today()
    log_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Vertretungen im Team").click()
    expect(page.get_by_role("heading", name="Vertretungen", exact=True)).to_be_visible()
    assert _axe_violations(page, axe_source) == []

    _field(page, "Vertreten wird").select_option(label="Anna Abwesend")
    _field(page, "Vertretung durch").select_option(label="Vera Vertretung (ASD Nord)")
    _field(page, "von").fill((today + datetime.timedelta(days=7)).isoformat())
    _field(page, "bis einschließlich").fill(today.isoformat())
    page.get_by_role("button", name="Vertretung eintragen").click()
    expect(
        page.get_by_text("Das Ende der Vertretung liegt vor ihrem Beginn.").first
    ).to_be_visible()
    assert _axe_violations(page, axe_source) == []

    _field(page, "von").fill(today.isoformat())
    _field(page, "bis einschließlich").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Vertretung eintragen").click()
    expect(page.get_by_text("Die Vertretung ist eingetragen.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Anna Abwesend"))
    expect(row).to_contain_text("Vera Vertretung")
    expect(row).to_contain_text("läuft")
    assert _axe_violations(page, axe_source) == []
