"""§ 8a as a process in a real browser: a school reports a concern about two siblings, each child
is assessed by two staff, acute for one; a Schutzplan with a review date; the team lead sees it
on the start page until acknowledging; the family court is called. Every new page passes axe.

Links and buttons by their names, fields by their labels; only the start page, the login page
and the case page (the case is taken in through the service) are typed.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import PersonRole
from cases.services import PersonInput, help_types_ensure
from tests.cases.conftest import GUARDIAN, intake
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # as tests/browser/test_accessibility


def _log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _field(scope, label: str):
    """A form field by its whole label; required fields carry an asterisk after it."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def _axe(page: Page, axe_source: str, seen: list[str]) -> None:
    """axe-core on the page as it is: no violation of WCAG 2.0/2.1 A and AA."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
        })).violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        WCAG_TAGS,
    )
    assert violations == [], (page.url, violations)
    seen.append(page.url)


def _child(first: str, born: str) -> PersonInput:
    return PersonInput(
        role=PersonRole.CHILD,
        first_name=first,
        last_name="Krause",
        birth_date=datetime.date.fromisoformat(born),
    )


def test_school_concern_for_two_siblings_to_family_court(
    live_server, browser, users, sozialraum_nord, axe_source
):
    help_types_ensure()  # a transactional test before may have flushed the catalogue
    caseworker, lead = users["caseworker"], users["team_lead"]
    caseworker.first_name, caseworker.last_name = "Anna", "Roth"
    caseworker.save()
    lead.first_name, lead.last_name = "Katrin", "Vogel"
    lead.save()
    colleague = UserFactory(
        role="caseworker", asd_team=caseworker.asd_team, first_name="Bert", last_name="Lang"
    )
    colleague.is_demo_account = True
    colleague.save()
    case = intake(
        user=caseworker,
        sozialraum=sozialraum_nord,
        persons=[_child("Lea", "2014-05-01"), _child("Tom", "2017-09-09"), GUARDIAN],
    )
    today = datetime.date.today()
    base = live_server.url
    audited: list[str] = []

    # bypass_csp: axe is injected as a script tag, which the Content-Security-Policy forbids.
    asd_context = browser.new_context(locale="de-DE", bypass_csp=True)
    lead_context = browser.new_context(locale="de-DE", bypass_csp=True)
    asd, boss = asd_context.new_page(), lead_context.new_page()
    for page in (asd, boss):
        page.set_default_timeout(10_000)
    try:
        # --- The school calls: one concern, two children ------------------------------------
        _log_in(asd, base, caseworker.username)
        asd.goto(f"{base}/faelle/{case.pk}/")
        asd.get_by_role("link", name="Gefährdung melden oder einschätzen").click()
        _axe(asd, axe_source, audited)
        # Posted empty first: every message at once, German, and the page still passes axe.
        asd.get_by_role("button", name="Einschätzung speichern").click()
        form = asd.locator("main form")
        expect(form).to_contain_text("Bitte wählen Sie mindestens ein Kind.")
        expect(form).to_contain_text("Bitte beschreiben Sie die Anhaltspunkte.")
        expect(form).to_contain_text("Bitte wählen Sie, von wem der Hinweis kam.")
        _axe(asd, axe_source, audited)

        _field(asd, "Lea Krause (geb. 01.05.2014)").check()
        _field(asd, "Tom Krause (geb. 09.09.2017)").check()
        _field(asd, "Wie bekannt geworden").select_option(label="telefonisch")
        _field(asd, "Hinweis von").select_option(label="Schule")
        _field(asd, "Hinweisgebende Stelle oder Person").fill("Grundschule am Park, Frau Ohm")
        _field(asd, "Gewichtige Anhaltspunkte / Sachverhalt").fill(
            "Beide Kinder kamen diese Woche ohne Frühstück; Lea hat blaue Flecken am Arm."
        )
        asd.get_by_role("button", name="Einschätzung speichern").click()
        expect(asd.locator(".messages")).to_contain_text(
            "2 Gefährdungseinschätzungen sind gespeichert, eine je Kind."
        )
        section = asd.locator("#gefaehrdung")
        expect(section).to_contain_text("Lea Krause: Ergebnis steht aus")
        expect(section).to_contain_text("Tom Krause: Ergebnis steht aus")

        # --- Each child assessed by two staff: acute for Lea, help needed for Tom ------------
        for child, level in (
            ("Lea", "akute Gefährdung"),
            ("Tom", "keine Gefährdung, aber Hilfebedarf"),
        ):
            asd.get_by_role("link", name=f"{child} Krause: Ergebnis steht aus").click()
            expect(asd.locator("h1")).to_have_text(
                f"Gefährdungseinschätzung (§ 8a SGB VIII): {child} Krause"
            )
            _axe(asd, axe_source, audited)
            asd.get_by_role("link", name="Ergebnis erfassen").click()
            _field(asd, level).check()
            _field(asd, "Bert Lang").check()  # Anna Roth is ticked already
            if child == "Lea":
                # One colleague only would be refused: the page says so (tested in pytest).
                _field(asd, "Das Kind wurde gesehen.").check()
                _field(asd, "Kind gesehen am").fill(today.isoformat())
                _field(asd, "Kind gesehen von").fill("Anna Roth und Bert Lang")
                _axe(asd, axe_source, audited)
            asd.get_by_role("button", name="Ergebnis speichern").click()
            expect(asd.locator(".messages")).to_contain_text(
                "Das Ergebnis der Einschätzung ist gespeichert."
            )
            expect(asd.locator("#ergebnis")).to_contain_text("Bert Lang, Anna Roth")
            asd.get_by_role("link", name="Zurück zum Fall").click()
        expect(section).to_contain_text("Lea Krause: akute Gefährdung")
        expect(section).to_contain_text("Tom Krause: keine Gefährdung, aber Hilfebedarf")

        # --- The author sees why she does not acknowledge; the Schutzplan -------------------
        asd.get_by_role("link", name="Lea Krause: akute Gefährdung").click()
        acknowledgement = asd.locator("#kenntnisnahme")
        expect(acknowledgement).to_contain_text("nicht nötig (hat die Einschätzung selbst erfasst)")
        expect(acknowledgement).to_contain_text("Teamleitung: steht aus")
        expect(asd.get_by_role("button", name=re.compile("zur Kenntnis genommen"))).to_have_count(0)

        asd.get_by_role("link", name="Maßnahme ergänzen").click()
        _axe(asd, axe_source, audited)
        _field(asd, "Maßnahme").fill("Lea frühstückt in der Offenen Ganztagsschule.")
        _field(asd, "Wer").fill("Schule und Mutter")
        _field(asd, "Bis").fill((today + datetime.timedelta(days=7)).isoformat())
        asd.get_by_role("button", name="Maßnahme speichern").click()
        expect(asd.locator("#schutzplan")).to_contain_text("Lea frühstückt")

        asd.get_by_role("link", name="Überprüfung festlegen").click()
        _field(asd, "Überprüfung am").fill((today - datetime.timedelta(days=1)).isoformat())
        asd.get_by_role("button", name="Schutzplan speichern").click()
        expect(asd.locator("main form")).to_contain_text(
            "Die Überprüfung kann nicht in der Vergangenheit liegen."
        )
        _axe(asd, axe_source, audited)
        review_on = today + datetime.timedelta(days=14)
        _field(asd, "Überprüfung am").fill(review_on.isoformat())
        asd.get_by_role("button", name="Schutzplan speichern").click()
        expect(asd.locator("#schutzplan")).to_contain_text(f"Überprüfung am: {review_on:%d.%m.%Y}")
        _axe(asd, axe_source, audited)

        # --- The team lead sees it on the start page until she acknowledges -----------------
        _log_in(boss, base, lead.username)
        boss.goto(f"{base}/asd/")
        alert = boss.get_by_role("alert").filter(has_text="Gefährdungseinschätzungen (§ 8a)")
        expect(alert).to_contain_text(f"Akute Gefährdung in Fall {case.number}")
        _axe(boss, axe_source, audited)
        alert.get_by_role("link", name=case.number).click()
        expect(boss.locator("h1")).to_have_text(
            "Gefährdungseinschätzung (§ 8a SGB VIII): Lea Krause"
        )
        boss.goto(f"{base}/asd/")
        expect(boss.locator("#gefaehrdungen")).to_contain_text(case.number)  # seen ≠ acknowledged
        boss.get_by_role("alert").get_by_role("link", name=case.number).click()
        boss.get_by_role("button", name="Als Teamleitung zur Kenntnis genommen").click()
        expect(boss.locator(".messages")).to_contain_text("Die Kenntnisnahme ist vermerkt.")
        expect(boss.locator("#kenntnisnahme")).to_contain_text(
            "Teamleitung: zur Kenntnis genommen am"
        )
        boss.goto(f"{base}/asd/")
        expect(boss.locator("#gefaehrdungen")).to_have_count(0)

        # --- The family court is called (§ 8a Abs. 2) ----------------------------------------
        asd.reload()
        asd.get_by_role("link", name="Anrufung des Familiengerichts erfassen").click()
        _axe(asd, axe_source, audited)
        _field(asd, "Familiengericht angerufen am").fill(today.isoformat())
        _field(asd, "Gericht und Aktenzeichen").fill("Amtsgericht Lindenau, 12 F 345/26")
        asd.get_by_role("button", name="Anrufung speichern").click()
        expect(asd.locator(".messages")).to_contain_text(
            "Die Anrufung des Familiengerichts ist vermerkt."
        )
        expect(asd.locator("#schritte")).to_contain_text(
            f"angerufen am {today:%d.%m.%Y} – Amtsgericht Lindenau, 12 F 345/26"
        )
        asd.get_by_role("link", name="Inobhutnahme erfassen").click()
        _axe(asd, axe_source, audited)
    finally:
        asd_context.close()
        lead_context.close()
    assert len(audited) >= 10
