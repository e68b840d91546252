"""The pages themselves: German error pages, the responsibility check, the demo town."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sozialraum.models import Region, Sozialraum, StreetSegment, User


def test_unknown_page_gives_german_404(client, users):
    client.force_login(users["caseworker"])
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_server_error_gives_german_500_without_details(db, settings):
    from sozialraum import urls

    def broken(request):
        raise RuntimeError("geheimer Fehlertext")

    from django.urls import path

    urls.urlpatterns.append(path("kaputt/", broken))
    try:
        response = Client(raise_request_exception=False).get("/kaputt/")
    finally:
        urls.urlpatterns.pop()
    html = response.content.decode()
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in html
    assert "geheimer Fehlertext" not in html


@pytest.fixture
def demo_town(db):
    call_command("demo_town", verbosity=0)


def test_demo_town_has_regions_sozialraeume_streets_and_accounts(demo_town):
    assert set(Region.objects.values_list("name", flat=True)) == {"Nord", "Süd"}
    for region in Region.objects.all():
        assert region.sozialraeume.valid_on(datetime.date(2026, 11, 1)).count() == 2
    assert StreetSegment.objects.count() >= 20
    expected = {
        "asd-nord",
        "asd-sued",
        "leitung-nord",
        "traeger-a",
        "traeger-b",
        "planung",
        "admin",
    }
    assert expected <= set(User.objects.values_list("username", flat=True))
    assert (
        User.objects.get(username="traeger-a").provider
        != User.objects.get(username="traeger-b").provider
    )


def test_demo_town_build_is_idempotent(demo_town):
    counts = (Sozialraum.objects.count(), StreetSegment.objects.count(), User.objects.count())
    call_command("demo_town", verbosity=0)
    assert counts == (
        Sozialraum.objects.count(),
        StreetSegment.objects.count(),
        User.objects.count(),
    )


@pytest.mark.parametrize(
    ("username", "start_page"),
    [
        ("asd-nord", "asd_home"),
        ("asd-sued", "asd_home"),
        ("leitung-nord", "asd_home"),
        ("traeger-a", "provider_home"),
        ("traeger-b", "provider_home"),
        ("planung", "planning_home"),
        ("admin", "admin_home"),
    ],
)
def test_every_demo_account_logs_in_with_the_documented_password(
    demo_town, client, username, start_page
):
    response = client.post(
        reverse("login"), {"username": username, "password": "demo-passwort"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(start_page)
    assert response.status_code == 200


def test_address_lookup_page_shows_the_responsible_team(demo_town, client):
    client.force_login(User.objects.get(username="asd-sued"))
    response = client.get(
        reverse("address_lookup"), {"street": "Hauptstraße", "house_number": "12", "on": ""}
    )
    html = response.content.decode()
    assert "Bahnhofsviertel" in html
    assert "ASD Süd" in html


def test_address_lookup_page_explains_an_ambiguous_address(demo_town, client):
    client.force_login(User.objects.get(username="asd-nord"))
    html = client.get(
        reverse("address_lookup"), {"street": "Parkweg", "house_number": "3"}
    ).content.decode()
    assert "mehreren Sozialräumen" in html
    assert "Postleitzahl" in html
    assert 'value="Parkweg"' in html  # what the person typed stays in the form


def test_address_lookup_page_with_bad_date_keeps_input_and_says_why(demo_town, client):
    client.force_login(User.objects.get(username="asd-nord"))
    response = client.get(
        reverse("address_lookup"),
        {"street": "Heideweg", "house_number": "4", "on": "kein-datum"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "gültiges Datum" in html
    assert 'value="Heideweg"' in html
