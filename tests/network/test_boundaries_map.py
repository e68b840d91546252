"""GeoJSON boundaries (all or nothing, clear errors) and the SVG map drawn from them."""

import copy
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from network.demo import demo_build
from network.maps import map_build, map_svg
from network.models import SozialraumBoundary
from network.selectors import boundaries_valid_on
from network.services import BoundariesInvalid, boundaries_import
from sozialraum.demo import demo_town_build
from sozialraum.models import Sozialraum, User
from tests.town import GEOJSON

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def document() -> dict:
    return json.loads(GEOJSON.read_text())


def feature(doc: dict, code: str) -> dict:
    return next(f for f in doc["features"] if f["properties"].get("sozialraum") == code)


def svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg xmlns=.*?</svg>", html, re.S)
    assert match, "no SVG map in the page"
    return ET.fromstring(match.group(0))  # noqa: S314 (our own rendered page)


def test_valid_file_imports_all_boundaries(town, tmp_path):
    assert SozialraumBoundary.objects.count() == 4
    path = tmp_path / "grenzen.geojson"
    path.write_bytes(GEOJSON.read_bytes())
    out = io.StringIO()
    call_command("import_boundaries", str(path), stdout=out)
    assert "4 Sozialraumgrenze(n) und 2 Regionsgrenze(n) importiert" in out.getvalue()


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda g: g["coordinates"][0].pop(), "nicht geschlossen"),
        (lambda g: g.update(coordinates=[g["coordinates"][0][:3]]), "mindestens 4 Punkte"),
        (lambda g: g.update(type="LineString"), "„LineString“ ist keine Fläche"),
        (
            lambda g: g.update(coordinates=[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]),
            "schneidet sich selbst",
        ),
    ],
)
def test_broken_polygon_is_named_and_nothing_is_imported(town, break_it, message):
    before = {b.pk: b.geometry for b in SozialraumBoundary.objects.all()}
    doc = document()
    # Change an intact feature too: it must not be stored either.
    feature(doc, "N1")["geometry"]["coordinates"][0][1] = [9.511, 54.021]
    break_it(feature(doc, "S2")["geometry"])
    with pytest.raises(BoundariesInvalid) as raised:
        boundaries_import(data=json.dumps(doc).encode())
    assert len(raised.value.errors) == 1
    error = raised.value.errors[0]
    assert error.startswith("Feature 6 (Sozialraum S2 Bahnhofsviertel)")
    assert message in error
    assert {b.pk: b.geometry for b in SozialraumBoundary.objects.all()} == before


def test_unknown_sozialraum_code_and_bad_json_are_explained(town, tmp_path):
    doc = document()
    feature(doc, "S1")["properties"]["sozialraum"] = "X9"
    with pytest.raises(BoundariesInvalid, match="Kürzel „X9“ gibt es nicht"):
        boundaries_import(data=json.dumps(doc).encode())
    path = tmp_path / "kaputt.geojson"
    path.write_text('{"type": "FeatureCollection", ')
    err = io.StringIO()
    with pytest.raises(CommandError, match="nichts importiert"):
        call_command("import_boundaries", str(path), stderr=err)
    assert "kein gültiges JSON" in err.getvalue()


def test_map_has_one_titled_shape_per_sozialraum(town):
    svg_map = map_build(boundaries=boundaries_valid_on(), title="Lindenau", highlight=town["N2"])
    root = svg_of(str(map_svg(svg_map)))
    assert root.get("role") == "img"
    shapes = root.findall(f".//{SVG}g[@data-layer='sozialraeume']//{SVG}path")
    titles = sorted(shape.find(f"{SVG}title").text for shape in shapes)
    assert titles == [
        "Sozialraum Quartier N1 (N1)",
        "Sozialraum Quartier N2 (N2) – dieser Sozialraum",
        "Sozialraum Quartier S1 (S1)",
        "Sozialraum Quartier S2 (S2)",
    ]
    for shape in shapes:  # every path is drawn inside the view box
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d"))]
        width, height = (float(v) for v in root.get("viewBox").split()[2:])
        assert all(0 <= n <= max(width, height) for n in numbers)


def test_demo_town_map_on_the_sozialraum_page(client, db):
    demo_town_build()
    demo_build()
    current = Sozialraum.objects.filter(valid_until__isnull=True).order_by("code")
    client.force_login(User.objects.get(username="planung"))
    north = current.get(code="N1")
    html = client.get(reverse("overview:sozialraum_detail", args=[north.pk])).content.decode()
    root = svg_of(html)
    shapes = root.findall(f".//{SVG}g[@data-layer='sozialraeume']//{SVG}path")
    assert {s.get("data-code"): s.find(f"{SVG}title").text for s in shapes} == {
        "N1": "Sozialraum Lindenau-Heide (N1) – dieser Sozialraum",
        "N2": "Sozialraum Am Mühlenteich (N2)",
        "S1": "Sozialraum Altstadt (S1)",
        "S2": "Sozialraum Bahnhofsviertel (S2)",
    }
    points = root.findall(f".//{SVG}g[@data-layer='partner']/{SVG}circle")
    assert len(points) == north.partners.filter(is_active=True).count() >= 8
    assert "Karte als Tabelle" in html


def test_shading_by_a_figure_has_a_legend(client, users, town):
    client.force_login(users["caseworker"])
    url = reverse("overview:region_detail", args=[town["N1"].region_id])
    html = client.get(url, {"einfaerben": "minderjaehrige"}).content.decode()
    assert "Einfärbung: Minderjährige" in html
    root = svg_of(html)
    fills = {
        p.get("fill") for p in root.findall(f".//{SVG}g[@data-layer='sozialraeume']//{SVG}path")
    }
    assert fills == {"#08519c"}  # both have 2,000 minors: one class
    assert client.get(url, {"einfaerben": "<script>"}).status_code == 200


def test_copy_is_not_mutated(town):
    doc = document()
    snapshot = copy.deepcopy(doc)
    boundaries_import(data=json.dumps(doc).encode())
    assert doc == snapshot
