"""A person logs in as each role in a real browser and lands on their start page."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNTS = {
    "asd-nord": ("Guten Tag, Anna", "ASD Nord"),
    "asd-sued": ("Guten Tag, Murat", "ASD Süd"),
    "leitung-nord": ("Guten Tag, Katrin", "Teamleitung"),
    "traeger-a": ("Guten Tag, Jonas", "Kinder- und Jugendhilfe Lindenau"),
    "traeger-b": ("Guten Tag, Lea", "Diakonisches Werk Lindenau-Süd"),
    "planung": ("Jugendhilfeplanung", "Region Nord"),
    "admin": ("Administration", "Aktive Benutzerkonten"),
}


def test_each_role_logs_in_and_sees_its_start_page(live_server, page):
    call_command("demo_town", verbosity=0)
    for username, (heading, detail) in ACCOUNTS.items():
        page.goto(f"{live_server.url}/")
        assert page.url.endswith("/anmelden/?next=/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill("demo-passwort")
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_load_state()
        assert heading in page.locator("h1").inner_text(), username
        assert detail in page.locator("main").inner_text(), username
        page.get_by_role("button", name="Abmelden").click()
        page.wait_for_url("**/anmelden/")


def test_wrong_password_is_explained_in_the_page(live_server, page):
    call_command("demo_town", verbosity=0)
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill("asd-nord")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert "Benutzername oder Passwort stimmen nicht" in page.locator("main").inner_text()
    assert page.get_by_label("Benutzername").input_value() == "asd-nord"


def test_skip_link_is_the_first_keyboard_stop_and_moves_focus_to_content(live_server, page):
    call_command("demo_town", verbosity=0)
    page.goto(f"{live_server.url}/anmelden/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_navigation_and_logout_work_by_keyboard(live_server, page):
    call_command("demo_town", verbosity=0)
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill("planung")
    page.get_by_label("Passwort").fill("demo-passwort")
    page.keyboard.press("Enter")
    page.wait_for_url("**/planung/")
    page.get_by_role("link", name="Sozialräume").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sozialraeume/")
    assert page.locator("h1").inner_text() == "Sozialräume"
