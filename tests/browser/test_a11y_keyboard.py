"""Journeys by keyboard alone: Tab, Shift+Tab, Enter and Space, no mouse and no typed URLs.

Each Tab stop must show a visible focus indicator and lie inside the window; reaching a link or
button in a bounded number of stops shows that the order leads there. One journey per family of
roles: the ASD (log in, filter the case list, open a case, write a note after a rejected first
try) and a provider (log in, open a commission, write a progress note).
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from sozialraum.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# What a Tab stop looks like: its accessible name as a person hears it, where it leads, whether
# the focus can be seen (an outline of at least 2 px) and whether it lies in the window.
FOCUSED = """() => {
    const el = document.activeElement;
    const labelled = el.labels && el.labels.length ? el.labels[0].textContent : '';
    const name = el.getAttribute('aria-label') || labelled || el.innerText || el.value || '';
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        name: name.replace(/\\s+/g, ' ').trim().replace(/\\s*\\*$/, ''),
        tag: el.tagName.toLowerCase(),
        href: el.getAttribute('href') || '',
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        inWindow: box.width > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0
            && box.left < innerWidth,
    };
}"""


def tab_to(page: Page, name: str | None = None, *, href: str = "", limit: int = 120) -> dict:
    """Press Tab until the focus is on the element with this name (or a link matching href)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        seen.append(stop["name"])
        assert stop["outline"], f"no visible focus on {stop}"
        assert stop["inWindow"], f"the focused element is outside the window: {stop}"
        if (name is not None and stop["name"] == name) or (href and re.search(href, stop["href"])):
            return stop
    raise AssertionError(f"{name or href!r} not reached by Tab; stops: {seen}")


def press_enter_and_load(page: Page) -> None:
    """Enter on a link or button that leads to another page; wait until it is there."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def page(browser):
    # Reduced motion switches Bootstrap's smooth scrolling off, so a focused element is in
    # the window as soon as it has the focus, not after an animation.
    context = browser.new_context(locale="de-DE", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in_by_keyboard(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/anmelden/")
    # The skip link is the first stop and takes the focus to the content.
    stop = tab_to(page, "Zum Inhalt springen", limit=1)
    assert stop["tag"] == "a"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhalt"
    tab_to(page, "Benutzername")
    page.keyboard.type(username)
    tab_to(page, "Passwort", limit=1)
    page.keyboard.type(DEMO_PASSWORD)
    press_enter_and_load(page)
    assert "/anmelden/" not in page.url


def test_asd_journey_by_keyboard(live_server, page):
    call_command("demo_town", verbosity=0)
    log_in_by_keyboard(page, live_server.url, "asd-nord")
    expect(page.locator("h1")).to_contain_text("Guten Tag, Anna")

    tab_to(page, "Fälle")
    press_enter_and_load(page)
    expect(page.locator("h1")).to_have_text("Fälle")

    tab_to(page, "nur meine Fälle")
    page.keyboard.press("Space")
    tab_to(page, "Filtern")
    press_enter_and_load(page)
    expect(page.get_by_label("nur meine Fälle")).to_be_checked()

    tab_to(page, href=r"^/faelle/\d+/$")
    press_enter_and_load(page)
    page.wait_for_url(re.compile(r"/faelle/\d+/$"))
    case_url = page.url

    tab_to(page, "Vermerk schreiben", limit=300)
    press_enter_and_load(page)
    expect(page.locator("h1")).to_contain_text("Vermerk schreiben")

    # Sent empty: the summary takes the focus and leads to the field.
    tab_to(page, "Vermerk speichern")
    press_enter_and_load(page)
    summary = page.locator("#fehleruebersicht")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fehler:")
    tab_to(page, href="#id_text", limit=1)
    page.keyboard.press("Enter")
    field = page.get_by_role("textbox", name="Vermerk")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("Pflichtfeld|erforderlich"))

    page.keyboard.type("Telefonat mit der Mutter: Termin in der Schule steht.")
    tab_to(page, "Vermerk speichern")
    press_enter_and_load(page)
    page.wait_for_url(f"{case_url}**")
    expect(page.locator(".messages")).to_contain_text("Der Vermerk ist gespeichert.")
    expect(page.locator("main")).to_contain_text("Termin in der Schule steht.")


def test_provider_journey_by_keyboard(live_server, page):
    call_command("demo_town", verbosity=0)
    log_in_by_keyboard(page, live_server.url, "traeger-a")

    tab_to(page, "Falldurchführungen")
    press_enter_and_load(page)
    expect(page.locator("h1")).to_contain_text("Falldurchführungen")

    tab_to(page, href=r"^/auftraege/\d+/$")
    press_enter_and_load(page)
    page.wait_for_url(re.compile(r"/auftraege/\d+/$"))
    assignment_url = page.url

    tab_to(page, "Verlaufsnotiz oder Bericht schreiben")
    press_enter_and_load(page)
    # "Verlaufsnotiz" is preselected; the radio group is one Tab stop. Then the contact: the
    # date (day, month, year and the calendar button), its kind, the persons present and others;
    # then the text.
    tab_to(page, "Verlaufsnotiz")
    tab_to(page, "Text", limit=25)
    page.keyboard.type("Erstes Treffen mit der Familie, Ziele besprochen.")
    tab_to(page, "Speichern")
    press_enter_and_load(page)
    page.wait_for_url(f"{assignment_url}**")
    expect(page.locator("main")).to_contain_text("Erstes Treffen mit der Familie")
