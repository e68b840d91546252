"""Issue 22 in a real browser: the team lead plans a Sozialraumteam meeting and takes the
proposed agenda, the meeting is held, two ideas are linked to two network partners, a decision
is recorded; the caseworker confirms it on the case page, and the proposal with its Träger
appears there. Links and buttons by their names, fields by their labels."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import AllocationProposal, CaseStatus
from cases.services import case_transition, help_types_ensure
from tests.cases.conftest import intake
from tests.factories import PASSWORD, RegionProviderFactory
from tests.network.factories import OfferFactory, PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_meeting_from_agenda_to_confirmed_proposal(live_server, browser, users, sozialraum_nord):
    help_types_ensure()
    lead, caseworker = users["team_lead"], users["caseworker"]
    provider = users["provider_staff"].provider
    RegionProviderFactory(region=sozialraum_nord.region, provider=provider, is_lead=True)
    sport = PartnerFactory(name="Sportverein Lindenau", sozialraum=sozialraum_nord)
    family = PartnerFactory(name="Familienzentrum Heide", sozialraum=sozialraum_nord)
    OfferFactory(partner=family, title="Elterncafé", capacity=10, places_free=2)
    case = intake(
        user=caseworker,
        sozialraum=sozialraum_nord,
        opened_on=datetime.date.today() - datetime.timedelta(days=3),
    )
    case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    base = live_server.url

    lead_context = browser.new_context(locale="de-DE")
    asd_context = browser.new_context(locale="de-DE")
    try:
        page = lead_context.new_page()
        page.set_default_timeout(10_000)
        _log_in(page, base, lead.username)
        page.get_by_role("link", name="Sozialraumteam").first.click()
        page.get_by_role("link", name="Sitzung planen").click()
        _field(page, "Datum").fill(datetime.date.today().isoformat())
        _field(page, "Sozialraum").select_option(label=sozialraum_nord.name)
        page.get_by_role("button", name="Sitzung planen").click()

        # The portal proposes the case waiting for a decision; the lead takes it.
        expect(page.locator("h1")).to_have_text("Tagesordnung vorschlagen")
        proposed = page.get_by_role("checkbox", name=re.compile(case.number))
        expect(proposed).to_be_checked()
        page.get_by_role("button", name="Auf die Tagesordnung setzen").click()
        expect(page.locator("#tagesordnung")).to_contain_text("neuer Fall")

        page.get_by_role("button", name="Sitzung als durchgeführt vermerken").click()
        expect(page.locator(".messages")).to_contain_text("durchgeführt")

        page.get_by_role("link", name=re.compile("Zum Tagesordnungspunkt 1")).click()
        for partner, idea in ((sport, "Fußballtraining am Dienstag"), (family, "Elterncafé")):
            _field(page, "Idee für diese Familie").fill(idea)
            _field(page, "Netzwerkpartner").select_option(label=partner.name)
            page.get_by_role("button", name="Idee festhalten").click()
            expect(page.locator("#ideen")).to_contain_text(partner.name)

        page.get_by_role("link", name="Entscheidung festhalten").click()
        _field(page, "Entscheidung").select_option(label="Einzelhilfe mit vorgeschlagenem Träger")
        expect(_field(page, "verantwortliche Fachkraft")).to_have_value(str(caseworker.pk))
        _field(page, "vorgeschlagener Träger (bei Einzelhilfe)").select_option(label=provider.name)
        _field(page, "Begründung (ohne Namen)").fill("Sportverein und Elterncafé zuerst.")
        page.get_by_role("button", name="Entscheidung festhalten").click()
        expect(page.locator(".messages")).to_contain_text("als Vorschlag in der Fallakte")

        # The caseworker confirms the proposal on the case page.
        asd = asd_context.new_page()
        asd.set_default_timeout(10_000)
        _log_in(asd, base, caseworker.username)
        asd.goto(f"{base}/faelle/{case.pk}/")
        section = asd.locator("#sozialraumteam")
        expect(section).to_contain_text("noch nicht bestätigt")
        section.get_by_role("button", name="Vorschlag bestätigen").click()
        expect(asd.locator(".messages")).to_contain_text("ist bestätigt")
        expect(asd.locator("h1")).to_have_text("Hilfe entscheiden")  # the next step
        asd.goto(f"{base}/faelle/{case.pk}/")
        section = asd.locator("#sozialraumteam")
        expect(section).to_contain_text("Einzelhilfe mit vorgeschlagenem Träger")
        expect(section).to_contain_text(provider.short_name)
        expect(section).to_contain_text("bestätigt")
        proposal = AllocationProposal.objects.get(case=case)
        assert proposal.confirmed_by_id == caseworker.pk and proposal.provider_id == provider.pk
    finally:
        lead_context.close()
        asd_context.close()
