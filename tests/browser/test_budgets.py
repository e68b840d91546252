"""A planner sets up a fiscal year in a real browser; a caseworker's commitment lowers the free
budget on the region overview."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from cases.models import Case, CaseStatus
from cases.services import help_types_ensure
from sozialraum.demo import DEMO_PASSWORD, demo_town_build
from sozialraum.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _free_of(page, region_code):
    text = page.locator(f'tr[data-budget="{region_code}"] td[data-figure="free"]').inner_text()
    return text


def test_planner_sets_up_a_year_and_a_caseworker_commitment_lowers_the_free_budget(
    live_server, page
):
    demo_town_build()  # the ground floor only: regions, population figures, accounts

    _login(page, live_server, "planung")
    page.get_by_role("link", name="Budgets", exact=True).click()
    assert "noch kein Haushaltsjahr" in page.locator("main").inner_text()
    page.get_by_role("link", name="Haushaltsjahr anlegen").click()
    page.get_by_label("Haushaltsjahr").fill("2026")
    page.get_by_label("Jugendhilfebudget gesamt").fill("2.000.000,00")
    page.get_by_label("Prozent des Gesamtbudgets").check()
    page.locator("input[name=reserve_value]").fill("5")
    page.get_by_role("button", name="Haushaltsjahr anlegen").click()

    page.wait_for_url("**/budget/2026/aufteilung/")
    main = page.locator("main")
    assert "1.900.000,00\u00a0€" in main.inner_text()  # distributable after 5 % Vorwegabzug
    page.locator("tr", has_text="nach Minderjährigen").get_by_role(
        "link", name="Übernehmen"
    ).click()
    page.get_by_label("Begründung").fill("Nach Minderjährigen, wie im JHA vereinbart.")
    page.get_by_role("button", name="Aufteilung festlegen").click()

    page.wait_for_url(re.compile(r".*/budget/\?jahr=2026$"))
    # Minors 2026: Nord 2,230 + 1,611 = 3,841; Süd 1,950 + 2,520 = 4,470
    # → Nord 1,900,000 × 3,841 / 8,311 = 878,101.31 € (the odd cent goes to Süd)
    assert _free_of(page, "N") == "878.101,31\u00a0€"
    assert _free_of(page, "reserve") == "100.000,00\u00a0€"
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden/")

    _login(page, live_server, "asd-nord")
    page.get_by_role("link", name="Budgets", exact=True).click()
    assert _free_of(page, "N") == "878.101,31\u00a0€"
    assert page.locator('tr[data-budget="S"]').count() == 0  # only the own region
    page.get_by_role("link", name="Budget Region Nord").click()
    page.get_by_role("link", name="Projekt bewilligen").click()
    page.get_by_label("Art der Arbeit").select_option(label="fallübergreifend")
    page.get_by_label("Titel").fill("Elterncafé Lindenau-Heide")
    page.get_by_label("Betrag (€)").fill("18.400,50")
    page.get_by_label("Beginn").fill("2026-03-01")
    page.get_by_label("Sozialraum").select_option(label="Lindenau-Heide")
    page.get_by_role("button", name="Bewilligung buchen").click()

    page.wait_for_load_state()
    assert "ist gebucht" in page.locator("main").inner_text()
    assert page.locator("#frei").inner_text() == "859.700,81\u00a0€"
    page.get_by_role("link", name="Budgets", exact=True).click()
    assert _free_of(page, "N") == "859.700,81\u00a0€"


def test_commissioning_a_provider_binds_its_cost_in_the_region_budget(live_server, page):
    help_types_ensure()  # an earlier transactional test's flush removed the seeded catalogue
    call_command("demo_town", verbosity=0)
    case = Case.objects.get(status=CaseStatus.HELP_DECIDED)
    help_ = case.helps.get()
    region = case.region.code

    _login(page, live_server, case.steering_caseworker.username)
    page.get_by_role("link", name="Budgets", exact=True).click()
    free_before = _free_of(page, region)

    page.goto(f"{live_server.url}/faelle/{case.pk}/")
    page.get_by_role("link", name="Träger beauftragen").click()
    provider_pk = page.locator("select[name=provider] option").nth(1).get_attribute("value")
    page.locator("select[name=provider]").select_option(value=provider_pk)
    page.get_by_role("button", name="Träger beauftragen").click()
    page.wait_for_load_state()
    assert "Bewilligt:" in page.locator("main").inner_text()

    # Independently: hours a week × agreed rate × days to 31 December / 7.
    rate = Agreement.objects.filter(provider_id=provider_pk, region=case.region).get().hourly_rate
    last = min(help_.planned_end_on, help_.starts_on.replace(month=12, day=31))
    days = (last - help_.starts_on).days + 1
    bound = (help_.hours_per_week * rate * days / 7).quantize(Decimal("0.01"))

    page.get_by_role("link", name="Budgets", exact=True).click()
    assert _money(_free_of(page, region)) == _money(free_before) - bound


def _money(text: str) -> Decimal:
    return Decimal(text.replace("\u00a0€", "").replace(".", "").replace(",", "."))
