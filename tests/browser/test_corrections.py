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


def test_correction_and_decision_pages_pass_axe(
    live_server, browser, users, sozialraum_nord, provider_a, axe_source
):
    """The pages of part 1 and 4 beyond the note: a help's and a commission's correction, the
    consequences of ending a help, the withdrawal of a case (team lead)."""
    from cases.models import CaseStatus, HelpType
    from cases.services import assignment_create, case_transition, help_types_ensure
    from tests.cases.conftest import decide
    from tests.factories import RegionProviderFactory

    help_types_ensure()  # a transactional test before may have emptied the catalogue
    spfh = HelpType.objects.get(code="31")
    RegionProviderFactory(region=sozialraum_nord.region, provider=provider_a)
    caseworker = users["caseworker"]
    case = intake(user=caseworker, sozialraum=sozialraum_nord)
    case = case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(user=caseworker, case=case, help_type=spfh)
    assignment = assignment_create(
        user=caseworker,
        help_=help_,
        provider=provider_a,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    )
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    log_in(page, base, caseworker.username, PASSWORD)
    for path in (
        f"/faelle/{case.pk}/hilfen/{help_.pk}/berichtigen/",
        f"/faelle/{case.pk}/falldurchfuehrung/{assignment.pk}/berichtigen/",
    ):
        page.goto(base + path)
        expect(page.locator("h1")).to_contain_text("berichtigen")
        assert _axe_violations(page, axe_source) == [], path
    page.goto(f"{base}/faelle/{case.pk}/hilfen/{help_.pk}/beenden/")
    _field(page, "Begründung").fill("Ziele erreicht")
    page.get_by_role("button", name="Weiter: Folgen prüfen").click()
    expect(page.get_by_role("heading", name="Was dann geschieht")).to_be_visible()
    assert _axe_violations(page, axe_source) == []
    context.close()

    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, base, users["team_lead"].username, PASSWORD)
    page.goto(f"{base}/faelle/{case.pk}/")
    page.get_by_role("link", name="Irrtümlich angelegt: zurücknehmen").click()
    expect(page.get_by_role("heading", name="Was dann geschieht")).to_be_visible()
    assert _axe_violations(page, axe_source) == []
    page.get_by_role("button", name="Fall zurücknehmen").click()
    expect(page.get_by_text("Bitte geben Sie den Grund an.").first).to_be_visible()
    assert _axe_violations(page, axe_source) == []
    context.close()
