"""Erklärung zur Barrierefreiheit: public, linked from every page, with what BITV 2.0 asks for."""

import re

from django.test import Client
from django.urls import reverse

from tests.conftest import totp_device

STATEMENT = reverse("accessibility_statement")


def test_statement_is_public_and_has_the_bitv_contents(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrieren@jugendamt.example.de"
    settings.ACCESSIBILITY_CONTACT_PHONE = "0431 988-0"
    settings.ACCESSIBILITY_ENFORCEMENT_NAME = "Ombudsstelle des Landes"
    settings.ACCESSIBILITY_ENFORCEMENT_URL = "https://ombudsstelle.example.de"
    response = client.get(STATEMENT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Erklärung zur Barrierefreiheit" in html
    for section in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Barrieren melden: Kontakt",
        "Schlichtungsverfahren",
    ):
        assert section in html, section
    assert "teilweise vereinbar" in html
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)  # date of preparation
    assert 'href="mailto:barrieren@jugendamt.example.de"' in html
    assert 'href="tel:0431988-0"' in html
    assert '<a href="https://ombudsstelle.example.de">Ombudsstelle des Landes</a>' in html


def test_statement_without_contact_settings_points_to_the_office(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    settings.ACCESSIBILITY_CONTACT_PHONE = ""
    settings.OFFICE_NAME = "Jugendamt Musterkreis"
    html = client.get(STATEMENT).content.decode()
    assert "mailto:" not in html
    assert "Bitte wenden Sie sich an das Jugendamt Musterkreis." in html


def test_every_page_links_to_the_statement_in_its_footer(client, users):
    link = f'<a href="{STATEMENT}">Erklärung zur Barrierefreiheit</a>'
    assert link in client.get(reverse("login")).content.decode()
    assert link in client.get("/gibt-es-nicht/").content.decode()
    client.force_login(users["planner"])
    response = client.get(reverse("planning_home"))
    assert response.status_code == 200
    assert link in response.content.decode()
    assert client.get(STATEMENT).status_code == 200  # logged in, too


def test_the_login_steps_link_to_the_statement_and_it_opens_between_them(users):
    """Between the password and the second factor the statement is reachable: the link on the
    second-factor pages opens it instead of sending the person back to the code."""
    link = f'<a href="{STATEMENT}">Erklärung zur Barrierefreiheit</a>'
    totp_device(users["caseworker"])
    client = Client()  # Django's own: its force_login leaves the second factor to do
    for user, step in (
        (users["caseworker"], "two_factor_verify"),
        (users["planner"], "two_factor_setup"),
    ):
        client.force_login(user)  # the password step done, the second factor not
        response = client.get(reverse(step))
        assert response.status_code == 200, step
        assert link in response.content.decode(), step
        response = client.get(STATEMENT)
        assert response.status_code == 200
        assert link in response.content.decode()
        assert client.get(reverse("home")).status_code == 302  # every other page still waits
        client.logout()
