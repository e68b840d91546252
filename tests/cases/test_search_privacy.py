"""A name searched for in the case list never travels in a URL."""

import datetime

import pytest
from django.urls import reverse

from cases.services import PersonInput, case_intake

pytestmark = pytest.mark.django_db


def _case_with_child(*, user, sozialraum, first: str, last: str):
    return case_intake(
        user=user,
        sozialraum=sozialraum,
        steering_caseworker=user,
        opened_on=datetime.date(2026, 3, 1),
        street="Heideweg",
        house_number="1",
        postcode="",
        concern="Wir möchten Unterstützung.",
        will="",
        persons=[
            PersonInput(
                role="child", first_name=first, last_name=last, birth_date=datetime.date(2015, 1, 2)
            )
        ],
        resources=[],
        goals=[],
    )


def test_name_search_is_posted_and_the_url_holds_only_a_random_key(client, users, sozialraum_nord):
    wanted = _case_with_child(
        user=users["caseworker"], sozialraum=sozialraum_nord, first="Greta", last="Sommerfeld"
    )
    other = _case_with_child(
        user=users["caseworker"], sozialraum=sozialraum_nord, first="Paul", last="Winter"
    )
    client.force_login(users["caseworker"])

    response = client.post(reverse("cases:list"), {"q": "Sommerfeld"})

    assert response.status_code == 302
    assert "Sommerfeld" not in response.url.lower() and "sommerfeld" not in response.url
    assert "suche=" in response.url
    html = client.get(response.url).content.decode()
    assert wanted.number in html
    assert other.number not in html
    assert 'value="Sommerfeld"' in html  # the search box keeps what was typed


def test_a_name_in_the_query_string_is_ignored(client, users, sozialraum_nord):
    first = _case_with_child(
        user=users["caseworker"], sozialraum=sozialraum_nord, first="Greta", last="Sommerfeld"
    )
    second = _case_with_child(
        user=users["caseworker"], sozialraum=sozialraum_nord, first="Paul", last="Winter"
    )
    client.force_login(users["caseworker"])

    html = client.get(reverse("cases:list") + "?q=Sommerfeld").content.decode()

    assert first.number in html and second.number in html


def test_another_users_search_key_shows_nothing_of_their_search(client, users, sozialraum_nord):
    _case_with_child(
        user=users["caseworker"], sozialraum=sozialraum_nord, first="Greta", last="Sommerfeld"
    )
    client.force_login(users["caseworker"])
    url = client.post(reverse("cases:list"), {"q": "Sommerfeld"}).url

    client.force_login(users["team_lead"])  # a new session: the key means nothing there
    html = client.get(url).content.decode()

    assert 'value="Sommerfeld"' not in html
