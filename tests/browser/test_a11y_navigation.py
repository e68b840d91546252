"""The main navigation fits at 1280 px and reflows at 320 px (WCAG 1.4.10), with and without script.

For every demo account the bar is checked at both widths: nothing sticks out of the window (no
sideways scrolling), every entry is visible, at 1280 px the bar is a single row. The menus open
by keyboard, close with Escape (focus back on the menu's button) and work with scripts switched
off, because they are <details> elements. Screenshots of both widths go to test-artifacts/.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.context_processors import NAVIGATION, nav_entries
from sozialraum.demo import DEMO_PASSWORD
from tests.browser.conftest import DEMO_ACCOUNT_OF_ROLE, log_in


def browser_test(test):
    return pytest.mark.browser(pytest.mark.django_db(transaction=True)(test))


WIDE, NARROW = 1280, 320
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The bar's entries (top-level links and menu buttons) with their boxes, and the page's width.
LAYOUT = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    entries: [...document.querySelectorAll(
        '.portal-menu > li > a, .portal-menu > li > details > summary')].map(el => {
        const b = el.getBoundingClientRect();
        return {name: el.textContent.trim(), left: b.left, right: b.right, top: b.top,
                visible: b.width > 0 && b.height > 0};
    }),
})"""


def test_every_navigation_entry_is_reachable_for_its_roles():
    """Each entry is in the bar or in a menu for every role that may open it."""
    for item in NAVIGATION:
        for role in item.roles:
            names = []
            for entry in nav_entries(role, ""):
                names.extend([link["label"] for link in entry.get("links", [])] or [entry["label"]])
            assert item.label in names, (item.label, role)


@browser_test
@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_navigation_fits_and_reflows(live_server, browser, width):
    call_command("demo_town", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    for role, username in DEMO_ACCOUNT_OF_ROLE.items():
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            log_in(page, live_server.url, username, DEMO_PASSWORD)
            layout = page.evaluate(LAYOUT)
            page.screenshot(path=str(ARTIFACTS / f"navigation-{width}-{role}.png"))
            assert layout["scrollWidth"] <= width, (role, layout["scrollWidth"])
            assert layout["entries"], role
            for entry in layout["entries"]:
                assert entry["visible"] and entry["left"] >= 0 and entry["right"] <= width, (
                    role,
                    entry,
                )
            if width == WIDE:
                assert len({entry["top"] for entry in layout["entries"]}) == 1, (role, layout)
        finally:
            context.close()


@browser_test
@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_menus_work_by_keyboard(live_server, browser, width):
    call_command("demo_town", verbosity=0)
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        log_in(page, live_server.url, "admin", DEMO_PASSWORD)
        menu = page.locator("details[data-nav-menu]", has_text="Verwaltung")
        button = menu.locator("summary")
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        link = nav.get_by_role("link", name="Betrieb", exact=True)
        expect(link).to_be_hidden()

        button.focus()
        page.keyboard.press("Enter")
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        page.screenshot(path=str(ARTIFACTS / f"navigation-{width}-menu-open.png"))

        page.keyboard.press("Escape")
        expect(link).to_be_hidden()
        expect(button).to_be_focused()

        # One menu at a time: opening "Netzwerk" closes "Verwaltung".
        page.keyboard.press("Space")
        expect(link).to_be_visible()
        other = page.locator("details[data-nav-menu]", has_text="Netzwerk").locator("summary")
        other.click()
        expect(nav.get_by_role("link", name="Konferenzen")).to_be_visible()
        expect(link).to_be_hidden()

        # Into the menu by Tab, then follow the link with Enter.
        other.focus()
        page.keyboard.press("Tab")
        expect(nav.get_by_role("link", name="Netzwerkpartner")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url("**/netzwerk/partner/")
        current = page.locator("details[data-nav-menu]", has_text="Netzwerk").locator("summary")
        expect(current).to_contain_text("enthält die aktuelle Seite")
    finally:
        context.close()


@browser_test
def test_menus_work_without_javascript(live_server, browser):
    call_command("demo_town", verbosity=0)
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "planung", DEMO_PASSWORD)
        page.locator("details[data-nav-menu]", has_text="Verzeichnisse").locator("summary").focus()
        page.keyboard.press("Enter")
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        nav.get_by_role("link", name="Straßenverzeichnis").click()
        page.wait_for_url("**/strassenverzeichnis/")
    finally:
        context.close()
