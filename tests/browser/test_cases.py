"""The case journey in a real browser: intake, help, commission, the provider's § 8a, the alert.

Everything is reached the way a person would: links and buttons by their names, fields by their
labels, no URLs typed except the start page and the login page.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from cases.services import help_types_ensure
from tests.factories import PASSWORD, RegionProviderFactory, StreetSegmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD = ("Mila", "Brandt", "2015-04-12")
GUARDIAN = ("Sandra", "Brandt")


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _field(scope, label: str):
    """A form field by its whole label; required fields carry an asterisk after it."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _success(page: Page) -> str:
    return page.locator(".messages").inner_text()


def test_intake_commission_provider_risk_and_alert(live_server, browser, users, sozialraum_nord):
    # Transactional tests flush the database between tests (TRUNCATE on PostgreSQL), which also
    # removes the help catalogue the data migration seeded; put it back as the demo does.
    help_types_ensure()
    caseworker = users["caseworker"]
    caseworker.first_name = "Anna"
    caseworker.save()
    provider_staff = users["provider_staff"]
    provider_staff.first_name = "Jonas"
    provider_staff.save()
    # A second caseworker of the team, so the default "Fallsteuerung" is a real choice.
    UserFactory(role="caseworker", asd_team=caseworker.asd_team, first_name="Bert")
    StreetSegmentFactory(street="Lindenallee", sozialraum=sozialraum_nord)
    RegionProviderFactory(region=sozialraum_nord.region, provider=provider_staff.provider)
    today = datetime.date.today()
    base = live_server.url

    asd_context = browser.new_context(locale="de-DE")
    asd = asd_context.new_page()
    asd.set_default_timeout(10_000)
    provider_context = browser.new_context(locale="de-DE")
    provider = provider_context.new_page()
    provider.set_default_timeout(10_000)
    try:
        # --- The caseworker takes the intake -------------------------------------------------
        _log_in(asd, base, caseworker.username)
        expect(asd.locator("h1")).to_contain_text("Guten Tag, Anna")
        asd.get_by_role("link", name="Neuer Falleingang").click()
        expect(asd.locator("h1")).to_have_text("Falleingang")

        _field(asd, "Straße").fill("Lindenallee")
        _field(asd, "Hausnummer").fill("7")
        expect(_field(asd, "Fallsteuerung")).to_have_value(str(caseworker.pk))

        child = asd.get_by_role("group", name="Person 1")
        _field(child, "Rolle").select_option(label="Kind / Jugendliche(r)")
        _field(child, "Vorname").fill(CHILD[0])
        _field(child, "Nachname").fill(CHILD[1])
        _field(child, "Geburtsdatum").fill(CHILD[2])
        guardian = asd.get_by_role("group", name="Person 2")
        _field(guardian, "Rolle").select_option(label="Sorgeberechtigte(r)")
        _field(guardian, "Vorname").fill(GUARDIAN[0])
        _field(guardian, "Nachname").fill(GUARDIAN[1])
        _field(guardian, "Beziehung").fill("Mutter")

        _field(asd, "Anliegen").fill("Wir wollen, dass Mila wieder gern zur Schule geht.")
        _field(asd, "Wille").fill("Ich will morgens ruhiger mit ihr starten.")
        _field(asd, "Beschreibung").first.fill("Die Großmutter holt Mila zweimal pro Woche ab.")
        _field(asd, "Grobziel (in den Worten der Familie)").first.fill(
            "Mila geht jeden Tag in die Schule."
        )
        asd.get_by_role("button", name="Fall anlegen").click()

        expect(asd.locator(".messages")).to_contain_text(
            re.compile(r"Fall N-\d{4}-\d{4} ist angelegt")
        )
        number = re.search(r"N-\d{4}-\d{4}", _success(asd)).group(0)
        expect(asd.locator("h1")).to_have_text(f"Fall {number}")
        main = asd.locator("main")
        expect(main).to_contain_text("Status Eingang")
        expect(main).to_contain_text("Mila Brandt")
        expect(main).to_contain_text("Die Großmutter holt Mila zweimal pro Woche ab.")

        # --- Klärung, decision, commission ---------------------------------------------------
        asd.get_by_role("link", name="Status ändern").click()
        _field(asd, "Neuer Status").select_option(label="Klärung")
        _field(asd, "Begründung").fill("Erstgespräch mit der Mutter geführt.")
        asd.get_by_role("button", name="Weiter: Folgen prüfen").click()
        expect(asd.locator("main")).to_contain_text("Der Fall wechselt von „Eingang“ zu „Klärung“.")
        asd.get_by_role("button", name="Ja, so entscheiden").click()
        expect(asd.locator(".messages")).to_contain_text("Der Fall ist jetzt im Status „Klärung“.")

        asd.get_by_role("link", name="Hilfe entscheiden").click()
        _field(asd, "Hilfeart").select_option(
            label="§ 31 SGB VIII Sozialpädagogische Familienhilfe"
        )
        _field(asd, "Fachleistungsstunden pro Woche").fill("4,5")
        _field(asd, "Beginn").fill(today.isoformat())
        _field(asd, "geplantes Ende").fill((today + datetime.timedelta(days=365)).isoformat())
        asd.get_by_role("button", name="Hilfe entscheiden").click()
        expect(asd.locator(".messages")).to_contain_text(
            "Die Hilfe „§ 31 SGB VIII Sozialpädagogische Familienhilfe“ ist entschieden."
        )
        expect(main).to_contain_text("Status Hilfe entschieden")

        asd.get_by_role("link", name="Träger beauftragen").click()
        _field(asd, "Träger").select_option(label="Träger A e.V.")
        _field(asd, "Ansprechperson beim Träger").fill("Jonas")
        asd.get_by_role("button", name="Träger beauftragen").click()
        expect(asd.locator(".messages")).to_contain_text(
            "Träger A ist mit der Falldurchführung beauftragt."
        )
        expect(main).to_contain_text("Status laufend")

        # --- Provider A's staff member works on the assignment -------------------------------
        _log_in(provider, base, provider_staff.username)
        expect(provider.locator("h1")).to_contain_text("Guten Tag, Jonas")
        provider.get_by_role("link", name=number).click()
        expect(provider.locator("h1")).to_have_text(f"Falldurchführung {number}")
        work = provider.locator("main")
        expect(work).to_contain_text("Sozialpädagogische Familienhilfe")
        expect(work).to_contain_text(re.compile(r"4,50? Fachleistungsstunden pro Woche"))
        expect(work).to_contain_text("Mila Brandt")
        expect(work).to_contain_text("Mila geht jeden Tag in die Schule.")

        provider.get_by_role("link", name="Verlaufsnotiz oder Bericht schreiben").click()
        _field(provider, "Verlaufsnotiz").check()
        _field(provider, "Text").fill("Erster Hausbesuch: Mila war müde, die Mutter offen.")
        provider.get_by_role("button", name="Speichern").click()
        expect(provider.locator(".messages")).to_contain_text("Der Eintrag ist gespeichert")
        expect(work).to_contain_text("Erster Hausbesuch: Mila war müde, die Mutter offen.")

        provider.get_by_role("link", name="Gefährdung einschätzen (§ 8a)").click()
        # The only child is chosen already, today is the day it became known, and the person
        # who reports is one of those who assessed; the insoweit erfahrene Fachkraft is the other.
        _field(provider, "Wie bekannt geworden").select_option(
            label="eigene Wahrnehmung (Hausbesuch, Termin)"
        )
        _field(provider, "Hinweis von").select_option(
            label="Träger oder Einrichtung der Jugendhilfe"
        )
        _field(provider, "Gewichtige Anhaltspunkte / Sachverhalt").fill(
            "Mila hat heute Hämatome am Arm gezeigt und will nicht nach Hause."
        )
        _field(provider, "akute Gefährdung").check()
        _field(provider, "Insoweit erfahrene Fachkraft (§ 8a Abs. 4)").fill(
            "Frau Albers, Kinderschutzzentrum"
        )
        provider.get_by_role("button", name="Einschätzung speichern").click()
        expect(provider.locator(".messages")).to_contain_text(
            "Die Gefährdungseinschätzung ist gespeichert."
        )
        expect(work).to_contain_text("akute Gefährdung – beim ASD noch nicht zur Kenntnis genommen")

        # --- The caseworker sees the alert at the top of the start page and acknowledges it ---
        asd.goto(f"{base}/asd/")
        alert = asd.get_by_role("alert").filter(has_text="Gefährdungseinschätzungen (§ 8a)")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text(f"Akute Gefährdung in Fall {number}")
        first_heading = asd.locator("main h2").first
        expect(first_heading).to_have_text("Gefährdungseinschätzungen (§ 8a) zur Kenntnisnahme")

        alert.get_by_role("link", name=number).click()
        expect(asd.locator("h1")).to_have_text(
            "Gefährdungseinschätzung (§ 8a SGB VIII): Mila Brandt"
        )
        risk = asd.locator("main")
        expect(risk).to_contain_text("akute Gefährdung")
        expect(risk).to_contain_text("Hämatome am Arm")
        expect(risk).to_contain_text("Träger A")
        expect(risk).to_contain_text("Frau Albers, Kinderschutzzentrum")
        acknowledge = asd.get_by_role(
            "button", name="Als fallsteuernde Fachkraft zur Kenntnis genommen"
        )
        acknowledge.click()
        expect(asd.locator(".messages")).to_contain_text("Die Kenntnisnahme ist vermerkt.")
        expect(asd.locator("#kenntnisnahme")).to_contain_text("zur Kenntnis genommen am")
        expect(acknowledge).to_have_count(0)

        asd.goto(f"{base}/asd/")
        expect(asd.locator("h1")).to_contain_text("Guten Tag, Anna")
        expect(asd.locator("#gefaehrdungen")).to_have_count(0)
        expect(asd.locator("main")).not_to_contain_text("Akute Gefährdung")

        # The provider sees that the ASD took note.
        provider.reload()
        expect(provider.locator("#gefaehrdung")).to_contain_text("vom ASD zur Kenntnis genommen")
    finally:
        asd_context.close()
        provider_context.close()
