"""Issue 25 (3) in a real browser: a caseworker decides a help with its initial Hilfeplan (goals,
a first step, the first review date), is told in German when the date lies before the help
starts, then schedules the first Hilfeplangespräch with invitations. axe-core finds no
violation on the decision form (with and without errors), the scheduling form and the plan."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cases.models import CaseStatus
from cases.services import case_transition, help_types_ensure
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
    """A form field by its whole label; required fields carry an asterisk after it."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


@pytest.fixture
def page(browser):
    # bypass_csp: axe is injected as a script tag, which the Content-Security-Policy forbids.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_decide_a_help_with_its_plan_and_schedule_the_first_review(
    live_server, page, users, sozialraum_nord, axe_source
):
    help_types_ensure()  # the flush of a transactional test empties the seeded catalogue
    caseworker = users["caseworker"]
    case = intake(user=caseworker, sozialraum=sozialraum_nord)
    case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    today = datetime.date.today()
    starts = today + datetime.timedelta(days=7)
    review_on = starts + datetime.timedelta(days=90)

    log_in(page, live_server.url, caseworker.username, PASSWORD)
    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    page.get_by_role("link", name="Hilfe entscheiden").click()
    expect(page.get_by_role("group", name="Hilfeplan")).to_be_visible()
    assert _axe_violations(page, axe_source) == []

    _field(page, "Hilfeart").select_option(label="§ 31 SGB VIII Sozialpädagogische Familienhilfe")
    _field(page, "Fachleistungsstunden pro Woche").fill("5")
    _field(page, "Beginn").fill(starts.isoformat())
    _field(page, "geplantes Ende").fill((starts + datetime.timedelta(days=365)).isoformat())
    expect(page.get_by_role("checkbox", name="Mia schläft um acht.")).to_be_checked()
    _field(page, "Neues Ziel 1 (in den Worten der Familie)").fill("Wir essen zusammen zu Abend.")
    first_step = page.get_by_role("group", name="Erster Schritt 1")
    _field(first_step, "Was").fill("Essensplan für die Woche schreiben")
    _field(first_step, "Zu welchem Ziel").select_option(label="Neues Ziel 1")
    _field(first_step, "Wer").select_option(label="Familie")
    _field(first_step, "Bis wann").fill((starts + datetime.timedelta(days=14)).isoformat())
    _field(page, "Erstes Hilfeplangespräch am").fill(
        (starts - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="Hilfe entscheiden").click()
    expect(
        page.get_by_text(
            f"Das Gespräch kann nicht vor dem Beginn der Hilfe ({starts:%d.%m.%Y}) liegen.",
            exact=True,
        )
    ).to_be_visible()
    expect(_field(page, "Neues Ziel 1 (in den Worten der Familie)")).to_have_value(
        "Wir essen zusammen zu Abend."
    )
    assert _axe_violations(page, axe_source) == []

    _field(page, "Erstes Hilfeplangespräch am").fill(review_on.isoformat())
    page.get_by_role("button", name="Hilfe entscheiden").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Das erste Hilfeplangespräch ist am {review_on:%d.%m.%Y} fällig."
    )

    # The first Hilfeplangespräch becomes an appointment, a week after the help starts.
    meeting_on = starts + datetime.timedelta(days=7)
    page.get_by_role("link", name=re.compile("^Termin planen")).click()
    assert _axe_violations(page, axe_source) == []
    _field(page, "Datum").fill(meeting_on.isoformat())
    _field(page, "Uhrzeit").fill("10:30")
    _field(page, "Ort").fill("ASD Nord, Raum 2.14")
    page.get_by_role("checkbox", name=re.compile("Mia Beispielkind")).check()
    page.get_by_role("checkbox", name=re.compile("Sandra Beispielkind")).check()
    _field(page, "Weitere Eingeladene").fill("Klassenlehrerin")
    page.get_by_role("button", name="Termin planen").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Das Hilfeplangespräch ist geplant am {meeting_on:%d.%m.%Y} um 10:30 Uhr."
    )
    plan_section = page.locator("#hilfeplan")
    expect(plan_section).to_contain_text("ASD Nord, Raum 2.14")
    expect(plan_section).to_contain_text("Termin vereinbart")

    plan_section.get_by_role(
        "link", name="§ 31 SGB VIII Sozialpädagogische Familienhilfe"
    ).first.click()
    main = page.locator("main")
    expect(main).to_contain_text("Wir essen zusammen zu Abend.")
    expect(main).to_contain_text("Essensplan für die Woche schreiben")
    expect(main).to_contain_text("Mia Beispielkind, Sandra Beispielkind, Klassenlehrerin")
    assert _axe_violations(page, axe_source) == []

    page.goto(live_server.url + reverse("asd_home"))
    expect(page.locator("main")).to_contain_text(f"{meeting_on:%d.%m.%Y}, 10:30 Uhr")
