"""Issue 21 (2, 3) in a real browser: a caseworker opens the Hilfeplan, writes the invitation to
the next Hilfeplangespräch, reads it in the preview and sends it; it appears in the case's
documents. The family's view of the plan and the administrators' template editor (a forbidden
tag refused in German, naming the line) pass axe-core without violations."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import CaseStatus, HelpType
from cases.services import case_transition, help_types_ensure
from tests.browser.conftest import log_in
from tests.browser.test_help_plan import _axe_violations
from tests.cases.conftest import decide, intake
from tests.documents.letters_helpers import plan_with_steps
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # bypass_csp: axe is injected as a script tag, which the Content-Security-Policy forbids.
    context = browser.new_context(locale="de-DE", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_caseworker_previews_and_sends_an_invitation(
    live_server, page, users, sozialraum_nord, axe_source
):
    help_types_ensure()  # the flush of a transactional test empties the seeded catalogue
    caseworker = users["caseworker"]
    case = intake(user=caseworker, sozialraum=sozialraum_nord)
    case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(user=caseworker, case=case, help_type=HelpType.objects.get(code="31"))
    _plan, _review = plan_with_steps(caseworker, help_)

    log_in(page, live_server.url, caseworker.username, PASSWORD)
    page.goto(live_server.url + reverse("cases:help_plan", args=[case.pk, help_.pk]))
    page.get_by_role("link", name=re.compile(r"Einladung schreiben.*15\.09\.2030")).click()
    expect(
        page.get_by_role("heading", name="Einladung zum Hilfeplangespräch: Vorschau")
    ).to_be_visible()
    expect(page.get_by_text("Termin: Sonntag, 15.09.2030 um 10:00 Uhr")).to_be_visible()
    assert _axe_violations(page, axe_source) == []

    page.get_by_role("button", name="Brief als PDF erstellen und ablegen").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "ist erstellt und in der Fallakte abgelegt"
    )
    expect(
        page.get_by_role("cell", name="Einladung zum Hilfeplangespräch am 15.09.2030", exact=True)
    ).to_be_visible()
    assert _axe_violations(page, axe_source) == []

    page.goto(live_server.url + reverse("documents:case_documents", args=[case.pk]))
    expect(page.get_by_text("Einladung zum Hilfeplangespräch am 15.09.2030").first).to_be_visible()

    page.goto(live_server.url + reverse("documents:help_plan_family", args=[case.pk, help_.pk]))
    expect(page.get_by_text("„Mia schläft um acht.“").first).to_be_visible()
    assert _axe_violations(page, axe_source) == []


def test_administrator_is_refused_a_forbidden_tag_with_its_line(
    live_server, page, users, axe_source
):
    admin = users["admin"]
    log_in(page, live_server.url, admin.username, PASSWORD)
    page.goto(live_server.url + reverse("documents:letter_templates"))
    page.get_by_role(
        "link", name=re.compile(r"Bearbeiten.*Einladung zum Hilfeplangespräch")
    ).click()
    body = page.get_by_label("Brieftext")
    body.fill("<p>{{ salutation }}</p>\n<p>Hallo</p>\n{% include 'base.html' %}")
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_text("Brieftext, Zeile 3:").first).to_be_visible()
    expect(body).to_have_value("<p>{{ salutation }}</p>\n<p>Hallo</p>\n{% include 'base.html' %}")
    assert _axe_violations(page, axe_source) == []

    body.fill("<p>{{ salutation }}</p>\n<p>Wir sehen uns am {{ review.date|date:'d.m.Y' }}.</p>")
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.get_by_text("Wir sehen uns am 01.09.2026.")).to_be_visible()
    assert _axe_violations(page, axe_source) == []
