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
    response = client.post(
        reverse("address_lookup"), {"street": "Hauptstraße", "house_number": "12", "on": ""}
    )
    html = response.content.decode()
    assert "Bahnhofsviertel" in html
    assert "ASD Süd" in html


def test_address_lookup_page_explains_an_ambiguous_address(demo_town, client):
    client.force_login(User.objects.get(username="asd-nord"))
    html = client.post(
        reverse("address_lookup"), {"street": "Parkweg", "house_number": "3"}
    ).content.decode()
    assert "mehreren Sozialräumen" in html
    assert "Postleitzahl" in html
    assert 'value="Parkweg"' in html  # what the person typed stays in the form


def test_address_lookup_page_with_bad_date_keeps_input_and_says_why(demo_town, client):
    client.force_login(User.objects.get(username="asd-nord"))
    response = client.post(
        reverse("address_lookup"),
        {"street": "Heideweg", "house_number": "4", "on": "kein-datum"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "gültiges Datum" in html
    assert 'value="Heideweg"' in html


def test_sozialraum_page_shows_years_without_thousands_separator(demo_town, client):
    client.force_login(User.objects.get(username="planung"))
    html = client.get(reverse("sozialraum_list")).content.decode()
    assert ">2026<" in html
    assert "2.026" not in html
    assert "2.230" in html  # population figures do get the German separator


def test_sozialraum_page_lists_former_boundaries_with_successor(demo_town, client):
    client.force_login(User.objects.get(username="planung"))
    html = client.get(reverse("sozialraum_list")).content.decode()
    assert "Frühere Zuschnitte" in html
    assert "Südstadt" in html
    assert "Bahnhofsviertel (ab 01.01.2024)" in html


def test_street_directory_search_filters_by_street_spelling(demo_town, client):
    client.force_login(User.objects.get(username="asd-nord"))
    html = client.get(reverse("street_directory"), {"query": "Schulstr."}).content.decode()
    assert "Schulstraße" in html
    assert "Heideweg" not in html


UPLOAD_GOOD = "strasse;plz;hausnummer_von;hausnummer_bis;seite;sozialraum;gueltig_ab;gueltig_bis\n"
UPLOAD_GOOD += "Neue Gasse;24850;;;alle;N1;01.01.2026;\n"


def _upload(client, text: str, dry_run: bool = False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile("strassen.csv", text.encode(), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("street_directory_upload"), data, follow=True)


def test_admin_uploads_a_street_directory_file(demo_town, client):
    client.force_login(User.objects.get(username="admin"))
    response = _upload(client, UPLOAD_GOOD)
    assert "1 Straßenabschnitt(e) importiert" in response.content.decode()
    assert StreetSegment.objects.filter(street="Neue Gasse").count() == 1


def test_upload_with_bad_lines_imports_nothing_and_names_each_line(demo_town, client):
    client.force_login(User.objects.get(username="admin"))
    before = StreetSegment.objects.count()
    bad = UPLOAD_GOOD + "Andere Gasse;2485;;;alle;N1;;\nDritte Gasse;24850;;;links;XX;;\n"
    html = _upload(client, bad).content.decode()
    assert "Es wurde nichts importiert: 2 fehlerhafte Zeile(n)" in html
    assert "Zeile 3:" in html and "fünf Ziffern" in html
    assert "Zeile 4:" in html and "XX" in html
    assert StreetSegment.objects.count() == before


def test_upload_dry_run_checks_without_storing(demo_town, client):
    client.force_login(User.objects.get(username="admin"))
    before = StreetSegment.objects.count()
    html = _upload(client, UPLOAD_GOOD, dry_run=True).content.decode()
    assert "Die Datei ist fehlerfrei" in html
    assert StreetSegment.objects.count() == before


def test_upload_without_a_file_says_so(demo_town, client):
    client.force_login(User.objects.get(username="admin"))
    response = client.post(reverse("street_directory_upload"), {})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()


def test_provider_staff_of_an_inactive_provider_still_see_their_start_page(client, users):
    provider = users["provider_staff"].provider
    provider.is_active = False
    provider.save()
    client.force_login(users["provider_staff"])
    response = client.get(reverse("provider_home"))
    assert response.status_code == 200
    assert provider.name in response.content.decode()


def test_address_lookup_keeps_the_address_out_of_the_url(demo_town, client):
    client.force_login(User.objects.get(username="asd-nord"))
    html = client.get(reverse("address_lookup")).content.decode()
    assert 'method="post"' in html
    ignored = client.get(reverse("address_lookup"), {"street": "Heideweg", "house_number": "4"})
    assert "Zuständig:" not in ignored.content.decode()


def test_stale_form_token_gives_german_explanation_not_a_bare_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Bitte laden Sie die Seite neu" in html


def test_admin_start_page_counts_active_accounts_per_role(client, users):
    users["caseworker_sued"].is_active = False
    users["caseworker_sued"].save()
    client.force_login(users["admin"])
    counts = client.get(reverse("admin_home")).context["users_by_role"]
    assert counts["ASD-Fachkraft"] == 1
    assert counts["Fachkraft eines Trägers"] == 2
    assert counts["Administration"] == 1
