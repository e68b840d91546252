"""GeoJSON boundaries: checking the geometry before anything is stored.

Plain Python, no GIS library: the boundaries are a few dozen polygons with at most some thousand
points. A feature names its area in `properties` — `{"sozialraum": "N1"}` or `{"region": "N"}` —
and has a Polygon or MultiPolygon geometry in WGS 84 (longitude, latitude).
"""

import itertools
import json
import math
from dataclasses import dataclass, field
from typing import Any

# Above this many points a ring is not checked for self-intersection (quadratic cost).
SELF_INTERSECTION_LIMIT = 2000
_ROUND = 6  # ~10 cm: vertices equal to six decimals are the same point


class BoundariesInvalid(Exception):
    """The file has errors; nothing was imported."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class ImportResult:
    sozialraum_count: int
    region_count: int


@dataclass
class ParsedFeatures:
    sozialraeume: list[tuple[Any, dict]] = field(default_factory=list)
    regions: list[tuple[Any, dict]] = field(default_factory=list)


def features_parse(data: bytes, *, sozialraeume: dict, regions: dict) -> ParsedFeatures:
    """Check every feature; raise BoundariesInvalid naming each bad feature and the reason.

    `sozialraeume` / `regions` map the casefolded Kürzel to the area.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BoundariesInvalid(["Die Datei ist nicht UTF-8-kodiert."]) from None
    except json.JSONDecodeError as problem:
        raise BoundariesInvalid(
            [f"Die Datei ist kein gültiges JSON (Zeile {problem.lineno}: {problem.msg})."]
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundariesInvalid(["Die Datei ist keine GeoJSON-FeatureCollection."])
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundariesInvalid(["Die FeatureCollection enthält keine Features."])

    errors: list[str] = []
    parsed = ParsedFeatures()
    seen: set[tuple[str, str]] = set()
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        sozialraum_code = str(properties.get("sozialraum") or "").strip()
        region_code = str(properties.get("region") or "").strip()
        label = _feature_label(number, sozialraum_code, region_code, properties)
        if bool(sozialraum_code) == bool(region_code):
            errors.append(
                f"{label}: Bitte in den properties genau eines angeben: "
                "„sozialraum“ (Kürzel) oder „region“ (Kürzel)."
            )
            continue
        kind, code = ("sozialraum", sozialraum_code) if sozialraum_code else ("region", region_code)
        area = (sozialraeume if kind == "sozialraum" else regions).get(code.casefold())
        problems: list[str] = []
        if area is None:
            what = "Sozialraum" if kind == "sozialraum" else "Region"
            problems.append(f"Einen gültigen {what} mit dem Kürzel „{code}“ gibt es nicht.")
        if (kind, code.casefold()) in seen:
            problems.append("Dieses Gebiet kommt in der Datei mehrfach vor.")
        seen.add((kind, code.casefold()))
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        problems.extend(geometry_problems(geometry))
        if problems:
            errors.append(f"{label}: " + " ".join(problems))
            continue
        assert isinstance(geometry, dict)  # anything else is a problem (geometry_problems)
        target = parsed.sozialraeume if kind == "sozialraum" else parsed.regions
        target.append((area, _normalised(geometry)))
    if errors:
        raise BoundariesInvalid(errors)
    return parsed


def _feature_label(number: int, sozialraum: str, region: str, properties: dict) -> str:
    name = properties.get("name")
    if sozialraum:
        return f"Feature {number} (Sozialraum {sozialraum}{f' {name}' if name else ''})"
    if region:
        return f"Feature {number} (Region {region}{f' {name}' if name else ''})"
    return f"Feature {number}"


def geometry_problems(geometry: Any) -> list[str]:
    """German reasons why a geometry cannot be a boundary; empty when it is fine."""
    if not isinstance(geometry, dict):
        return ["Die Geometrie fehlt."]
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    polygons: list | None
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else None
    else:
        return [f"Geometrietyp „{kind}“ ist keine Fläche (erwartet: Polygon oder MultiPolygon)."]
    if not polygons or not all(isinstance(p, list) and p for p in polygons):
        return ["Die Koordinaten fehlen oder sind leer."]
    problems: list[str] = []
    for p_index, polygon in enumerate(polygons, start=1):
        for r_index, ring in enumerate(polygon, start=1):
            where = "Außenring" if r_index == 1 else f"Innenring {r_index - 1}"
            if len(polygons) > 1:
                where = f"Teilfläche {p_index}, {where}"
            problems.extend(f"{where}: {problem}" for problem in _ring_problems(ring))
    return problems


def _ring_problems(ring: Any) -> list[str]:
    if not isinstance(ring, list) or not all(_is_position(point) for point in ring):
        return ["Jeder Punkt braucht Längen- und Breitengrad als Zahlen."]
    for lon, lat, *_rest in ring:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return [f"Der Punkt ({lon}, {lat}) liegt außerhalb von Längen-/Breitengraden."]
    if len(ring) < 4:
        return [
            "Ein Ring braucht mindestens 4 Punkte (der letzte gleich dem ersten), "
            f"hier {len(ring)}."
        ]
    if _key(ring[0]) != _key(ring[-1]):
        return ["Der Ring ist nicht geschlossen: Der letzte Punkt muss dem ersten gleichen."]
    if len({_key(point) for point in ring[:-1]}) < 3:
        return ["Der Ring hat weniger als drei verschiedene Punkte."]
    if len(ring) <= SELF_INTERSECTION_LIMIT and _self_intersects(ring):
        return ["Der Ring schneidet sich selbst."]
    return []


def _is_position(point: Any) -> bool:
    return (
        isinstance(point, list | tuple)
        and len(point) >= 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in point[:2])
        and all(math.isfinite(v) for v in point[:2])
    )


def _key(point: Any) -> tuple[float, float]:
    return (round(float(point[0]), _ROUND), round(float(point[1]), _ROUND))


def _orientation(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _on_segment(a, b, c) -> bool:
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def _segments_cross(p1, p2, q1, q2) -> bool:
    d1, d2 = _orientation(q1, q2, p1), _orientation(q1, q2, p2)
    d3, d4 = _orientation(p1, p2, q1), _orientation(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return (
        (d1 == 0 and _on_segment(q1, q2, p1))
        or (d2 == 0 and _on_segment(q1, q2, p2))
        or (d3 == 0 and _on_segment(p1, p2, q1))
        or (d4 == 0 and _on_segment(p1, p2, q2))
    )


def _self_intersects(ring: list) -> bool:
    points = [_key(point) for point in ring]
    count = len(points) - 1  # segments
    for i in range(count):
        for j in range(i + 1, count):
            if j == i + 1 or (i == 0 and j == count - 1):
                continue  # neighbouring segments share a vertex by design
            if _segments_cross(points[i], points[i + 1], points[j], points[j + 1]):
                return True
    return False


def _normalised(geometry: dict) -> dict:
    """Store only type and 2D coordinates, rounded to six decimals."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [[list(_key(point)) for point in ring] for ring in polygon] for polygon in polygons
        ],
    }


def rings_of(geometry: dict) -> list[list[list[float]]]:
    """Every ring of a stored (Multi)Polygon, outer and inner."""
    polygons = (
        [geometry["coordinates"]] if geometry.get("type") == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]


def edges_of(geometry: dict) -> set[frozenset]:
    """The boundary's edges as unordered vertex pairs: two areas sharing one are neighbours."""
    edges: set[frozenset] = set()
    for ring in rings_of(geometry):
        keys = [_key(point) for point in ring]
        edges.update(frozenset(pair) for pair in itertools.pairwise(keys))
    return edges
