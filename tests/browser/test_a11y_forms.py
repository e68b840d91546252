"""A rejected form is announced and each mistake leads to its field (WCAG 3.3.1, 3.3.3, 4.1.2).

The error summary (templates/partials/error_summary.html) comes first in the content and takes
the focus; the page title starts with "Fehler:"; every entry is a link to its field, which is
marked invalid and described by its message; what was typed stays in the form.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from sozialraum.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each link of the summary: the field it leads to, whether that field is marked invalid and
# the text of the elements that describe it (aria-describedby).
SUMMARY_TARGETS = """() => [...document.querySelectorAll('#fehleruebersicht a')].map(a => {
    const field = document.querySelector(a.getAttribute('href'));
    const described = ((field && field.getAttribute('aria-describedby')) || '').split(' ')
        .map(id => document.getElementById(id)).filter(Boolean).map(el => el.textContent.trim());
    return {link: a.textContent.trim(), found: Boolean(field),
            invalid: field ? field.getAttribute('aria-invalid') : null, described};
})"""


def _assert_summary_leads_to_invalid_fields(page: Page) -> list[dict]:
    targets = page.evaluate(SUMMARY_TARGETS)
    assert targets, "the summary links to no field"
    for target in targets:
        assert target["found"] and target["invalid"] == "true", target
        message = target["link"].split(": ", 1)[1]
        assert any(message in text for text in target["described"]), target
    return targets


def test_rejected_intake_summarises_errors_of_form_and_formset(live_server, page):
    call_command("demo_town", verbosity=0)
    log_in(page, live_server.url, "asd-nord", DEMO_PASSWORD)
    page.get_by_role("link", name="Neuer Falleingang").click()
    person = page.get_by_role("group", name="Person 1")
    person.get_by_label("Rolle").select_option(label="Kind / Jugendliche(r)")
    person.get_by_label("Vorname").fill("Mila")
    page.get_by_role("button", name="Fall anlegen").click()

    summary = page.locator("#fehleruebersicht")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fehler: Falleingang")
    # The summary is the first thing in the content, before the heading.
    assert page.evaluate("document.querySelector('main > *:not(.messages)').id") == (
        "fehleruebersicht"
    )
    links = [target["link"] for target in _assert_summary_leads_to_invalid_fields(page)]
    assert any(link.startswith("Straße:") for link in links), links
    assert any(link.startswith("Nachname:") for link in links), links

    # The person's missing last name: the link takes the focus to that very field.
    summary.get_by_role("link", name=re.compile("^Nachname:")).click()
    expect(person.get_by_label("Nachname")).to_be_focused()
    expect(person.get_by_label("Vorname")).to_have_value("Mila")  # nothing typed is lost


def test_rejected_offer_form_names_the_field_and_keeps_the_input(live_server, page):
    call_command("demo_town", verbosity=0)
    log_in(page, live_server.url, "planung", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/netzwerk/angebote/neu/")
    page.get_by_role("button", name=re.compile("speichern|anlegen", re.I)).click()
    expect(page.locator("#fehleruebersicht")).to_be_focused()
    targets = _assert_summary_leads_to_invalid_fields(page)
    first = page.locator("#fehleruebersicht a").first
    first.focus()
    page.keyboard.press("Enter")
    field_id = page.evaluate("document.activeElement.id")
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
    assert first.get_attribute("href") == f"#{field_id}", targets


def test_wrong_password_is_summarised_without_a_field_link(live_server, page):
    call_command("demo_town", verbosity=0)
    log_in(page, live_server.url, "asd-nord", "falsch")
    summary = page.locator("#fehleruebersicht")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Benutzername oder Passwort stimmen nicht")
    assert page.get_by_label("Benutzername").input_value() == "asd-nord"
