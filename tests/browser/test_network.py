"""In a real browser: the Sozialraum page of the demo town with its map, and the resource search."""

import pytest

from network.demo import demo_build
from sozialraum.demo import demo_town_build
from sozialraum.models import Sozialraum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_network() -> None:
    """The demo town's ground floor and network only: independent of the other apps' demos."""
    demo_town_build()
    demo_build()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill("demo-passwort")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def test_sozialraum_page_with_map_and_screenshot(live_server, page, tmp_path):
    demo_network()
    north = Sozialraum.objects.get(code="N1", valid_until__isnull=True)
    log_in(page, live_server, "planung")
    page.get_by_role("link", name="Sozialräume", exact=True).click()
    page.get_by_role("link", name="Lindenau-Heide (N1)").click()
    page.wait_for_url(f"**/sozialraeume/{north.pk}/")
    assert page.locator("h1").inner_text().startswith("Sozialraum Lindenau-Heide")
    # A group of links, not an image: each Sozialraum on the map leads to its page.
    svg = page.locator("figure.network-map svg[role=group]")
    assert svg.count() == 1
    box = svg.bounding_box()
    assert box["width"] > 200 and box["height"] > 100  # really drawn, not collapsed
    assert page.locator("svg g[data-layer=sozialraeume] path").count() == 4
    shot = tmp_path / "sozialraum.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000
    # Shading by a figure shows a legend.
    page.get_by_label("Karte einfärben nach").select_option(label="Minderjährige")
    page.get_by_role("button", name="Anzeigen").click()
    assert "Einfärbung: Minderjährige" in page.locator("figcaption").inner_text()


def test_resource_search_with_neighbours_and_age(live_server, page):
    demo_network()
    log_in(page, live_server, "asd-nord")
    assert "Raumnutzung Gemeindehaus" in page.locator("main").inner_text()  # own open agreement
    page.get_by_role("link", name="Angebote", exact=True).click()
    page.get_by_label("Suchbegriff").fill("Eltern")
    page.get_by_label("Sozialraum", exact=True).select_option(label="Lindenau-Heide")
    page.get_by_role("button", name="Angebote suchen").click()
    results = page.locator("main table").inner_text()
    assert "Elterncafé Heidezwerge" in results
    assert "Internationales Elterncafé" not in results  # Bahnhofsviertel is not N1
    page.get_by_label("und benachbarte Sozialräume").check()
    page.get_by_role("button", name="Angebote suchen").click()
    results = page.locator("main table").inner_text()
    assert "Elterncafé Altstadtspatzen" in results  # S1 borders N1
    assert "Internationales Elterncafé" not in results  # S2 does not
    page.get_by_label("Alter von").fill("14")
    page.get_by_label("Alter bis").fill("10")
    page.get_by_role("button", name="Angebote suchen").click()
    assert "„Alter bis“ liegt unter „Alter von“." in page.locator("main").inner_text()
    assert page.get_by_label("Suchbegriff").input_value() == "Eltern"
