"""Consent in a real browser: the ASD records the family's consent for Träger A, the Träger's
staff see the address and resources it covers with the basis stated, the ASD withdraws it and
the Träger no longer sees them. axe-core finds no violation on any of the pages."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import CaseStatus, HelpType
from cases.services import assignment_create, case_transition, help_types_ensure
from tests.browser.conftest import log_in
from tests.cases.conftest import decide, intake
from tests.factories import PASSWORD, RegionProviderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ADDRESS = "Lindenweg 3"
RESOURCE = "Die Oma hilft."
GOAL = "Mia schläft um acht."


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


def _field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _new_page(browser) -> Page:
    # bypass_csp: axe is injected as a script tag, which the Content-Security-Policy forbids.
    page = browser.new_context(locale="de-DE", bypass_csp=True).new_page()
    page.set_default_timeout(10_000)
    return page


def test_consent_recorded_seen_by_the_provider_and_withdrawn(
    live_server, browser, users, sozialraum_nord, axe_source
):
    help_types_ensure()  # transactional tests empty the seeded catalogue
    caseworker, provider_staff = users["caseworker"], users["provider_staff"]
    RegionProviderFactory(region=sozialraum_nord.region, provider=provider_staff.provider)
    case = intake(user=caseworker, sozialraum=sozialraum_nord)
    case = case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(user=caseworker, case=case, help_type=HelpType.objects.get(code="31"))
    assignment = assignment_create(
        user=caseworker,
        help_=help_,
        provider=provider_staff.provider,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    )
    base = live_server.url
    today = datetime.date.today()
    asd, provider = _new_page(browser), _new_page(browser)
    try:
        # --- Before any consent the commission covers the goals only ------------------------
        log_in(provider, base, provider_staff.username, PASSWORD)
        provider.goto(f"{base}/auftraege/{assignment.pk}/")
        work = provider.locator("main")
        expect(work).to_contain_text(GOAL)
        expect(work).to_contain_text("Grundlage: Auftrag nach § 36 SGB VIII")
        expect(work).not_to_contain_text(ADDRESS)
        expect(work).not_to_contain_text(RESOURCE)

        # --- The caseworker records the consent, first without a scope ----------------------
        log_in(asd, base, caseworker.username, PASSWORD)
        asd.goto(f"{base}/faelle/{case.pk}/")
        expect(
            asd.get_by_role("heading", name="Datenweitergaben und Einwilligungen")
        ).to_be_visible()
        asd.get_by_role("link", name="Weitergabe oder Einwilligung erfassen").click()
        assert _axe_violations(asd, axe_source) == []

        _field(asd, "Empfänger: Träger").select_option(label=provider_staff.provider.name)
        _field(asd, "Zweck").fill("Hausbesuche und Einbezug der Großmutter")
        _field(asd, "Einwilligung erteilt von").select_option(
            label="Sandra Beispielkind (Sorgeberechtigte(r))"
        )
        asd.get_by_role("button", name="Weitergabe speichern").click()
        expect(
            asd.get_by_text("Bitte wählen Sie mindestens eine Art von Daten.", exact=True)
        ).to_be_visible()
        expect(_field(asd, "Zweck")).to_have_value("Hausbesuche und Einbezug der Großmutter")
        assert _axe_violations(asd, axe_source) == []

        asd.get_by_label("Adresse und Kontaktdaten").check()
        asd.get_by_label("Ressourcen", exact=True).check()
        asd.get_by_role("button", name="Weitergabe speichern").click()
        expect(asd.locator(".messages")).to_contain_text(
            "Die Weitergabe (Einwilligung) ist erfasst."
        )
        row = asd.locator("#weitergaben").get_by_role("row", name=re.compile("Einwilligung"))
        expect(row).to_contain_text("gültig")
        expect(row).to_contain_text("Adresse und Kontaktdaten, Ressourcen")
        assert _axe_violations(asd, axe_source) == []

        # --- The provider's staff see what it covers, with the basis ------------------------
        provider.reload()
        expect(work).to_contain_text(ADDRESS)
        expect(work).to_contain_text(RESOURCE)
        expect(work).to_contain_text(
            f"Grundlage: Einwilligung von Sandra Beispielkind vom {today:%d.%m.%Y}, unbefristet"
        )
        assert _axe_violations(provider, axe_source) == []

        # --- The caseworker records the withdrawal, confirmed -------------------------------
        asd.locator("#weitergaben").get_by_role("link", name=re.compile("widerrufen")).click()
        expect(asd.locator("h1")).to_have_text("Einwilligung widerrufen")
        assert _axe_violations(asd, axe_source) == []
        asd.get_by_label("Ja, die Familie hat diese Einwilligung widerrufen.").check()
        asd.get_by_role("button", name="Widerruf speichern").click()
        expect(asd.locator(".messages")).to_contain_text("Der Widerruf ist erfasst.")
        expect(row).to_contain_text("widerrufen")
        expect(row).to_contain_text(f"Widerruf vom {today:%d.%m.%Y}")

        # --- At once the provider no longer sees it; the goals stay (commission) ------------
        provider.reload()
        expect(work).not_to_contain_text(ADDRESS)
        expect(work).not_to_contain_text(RESOURCE)
        expect(work).to_contain_text(GOAL)
        assert _axe_violations(provider, axe_source) == []
    finally:
        asd.context.close()
        provider.context.close()
