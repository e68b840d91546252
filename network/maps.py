"""Maps without external services: boundaries and partners drawn as inline SVG.

`map_build()` turns stored boundaries into an `SvgMap` (plain data); the partial
`templates/network/partials/map.html` draws it, and `map_svg()` renders that partial to a string
for places without a request (the committee report PDF). Colours are SVG presentation attributes,
not inline styles, so the page's Content-Security-Policy has nothing to object to.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from network.geo import rings_of
from network.models import Partner, RegionBoundary, SozialraumBoundary
from sozialraum.models import Sozialraum

WIDTH = 600
PADDING = 12
# Light to dark (ColorBrewer "Blues"): readable steps for shading by a figure.
SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")
PLAIN_FILL = "#e9ecef"
HIGHLIGHT_FILL = "#ffbf47"
NO_VALUE_FILL = "#ffffff"


@dataclass(frozen=True)
class MapFigure:
    """A figure per Sozialraum (by id) to shade the map with; None where it is unknown."""

    label: str
    values: dict[int, Decimal | int | None]


@dataclass(frozen=True)
class MapShape:
    sozialraum: Sozialraum
    d: str
    fill: str
    highlighted: bool
    label_x: float
    label_y: float
    url: str = ""
    value: Decimal | int | None = None

    @property
    def title(self) -> str:
        text = f"Sozialraum {self.sozialraum.name} ({self.sozialraum.code})"
        return text + (" – dieser Sozialraum" if self.highlighted else "")


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class LegendEntry:
    fill: str
    label: str


@dataclass
class SvgMap:
    title: str
    width: float
    height: float
    shapes: list[MapShape] = field(default_factory=list)
    outlines: list[str] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    figure_label: str = ""
    dom_id: str = "karte"

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:.0f} {self.height:.0f}"

    @property
    def is_empty(self) -> bool:
        return not self.shapes

    @property
    def points_text(self) -> str:
        return "; ".join(p.title for p in self.points)


class _Projection:
    """Equirectangular projection fitted to the bounding box (fine for a town)."""

    def __init__(self, rings: Sequence[Sequence[Sequence[float]]]):
        lons = [p[0] for ring in rings for p in ring]
        lats = [p[1] for ring in rings for p in ring]
        self.lon_min, self.lat_max = min(lons), max(lats)
        self.x_factor = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - self.lon_min) * self.x_factor or 1e-9
        span_y = (self.lat_max - min(lats)) or 1e-9
        self.scale = (WIDTH - 2 * PADDING) / span_x
        self.height = span_y * self.scale + 2 * PADDING

    def __call__(self, lon: float | Decimal, lat: float | Decimal) -> tuple[float, float]:
        x = PADDING + (float(lon) - self.lon_min) * self.x_factor * self.scale
        y = PADDING + (self.lat_max - float(lat)) * self.scale
        return round(x, 1), round(y, 1)


def _path(rings: Iterable[Sequence[Sequence[float]]], project: _Projection) -> str:
    parts = []
    for ring in rings:
        points = [project(p[0], p[1]) for p in ring[:-1]]
        parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in points) + " Z")
    return " ".join(parts)


def _shade(value: Decimal | int | None, low: float, high: float) -> str:
    if value is None:
        return NO_VALUE_FILL
    if high <= low:
        return SHADES[-1]
    step = (float(value) - low) / (high - low)
    return SHADES[min(int(step * len(SHADES)), len(SHADES) - 1)]


def _legend(low: float, high: float, integral: bool) -> list[LegendEntry]:
    def fmt(number: float) -> str:
        text = f"{number:.0f}" if integral else f"{number:.1f}"
        return text.replace(".", ",")

    if high <= low:
        return [LegendEntry(SHADES[-1], fmt(high))]
    width = (high - low) / len(SHADES)
    return [
        LegendEntry(shade, f"{fmt(low + index * width)} bis {fmt(low + (index + 1) * width)}")
        for index, shade in enumerate(SHADES)
    ]


def map_build(
    *,
    boundaries: Iterable[SozialraumBoundary],
    title: str,
    highlight: Sozialraum | None = None,
    partners: Iterable[Partner] = (),
    figure: MapFigure | None = None,
    regions: Iterable[RegionBoundary] = (),
    link: Callable[[Sozialraum], str] | None = None,
    dom_id: str = "karte",
) -> SvgMap:
    """Project boundaries (and partner points that have coordinates) into one SVG map."""
    boundaries = list(boundaries)
    regions = list(regions)
    all_rings = [ring for b in boundaries for ring in rings_of(b.geometry)]
    all_rings += [ring for r in regions for ring in rings_of(r.geometry)]
    if not all_rings:
        return SvgMap(title=title, width=WIDTH, height=0, dom_id=dom_id)
    project = _Projection(all_rings)
    svg_map = SvgMap(title=title, width=WIDTH, height=round(project.height), dom_id=dom_id)

    values = [v for v in (figure.values.values() if figure else []) if v is not None]
    low, high = (float(min(values)), float(max(values))) if values else (0.0, 0.0)
    for boundary in boundaries:
        sozialraum = boundary.sozialraum
        highlighted = highlight is not None and sozialraum.pk == highlight.pk
        value = figure.values.get(sozialraum.pk) if figure else None
        fill = _shade(value, low, high) if figure else HIGHLIGHT_FILL if highlighted else PLAIN_FILL
        outer = rings_of(boundary.geometry)[0]
        centre = [project(p[0], p[1]) for p in outer[:-1]]
        svg_map.shapes.append(
            MapShape(
                sozialraum=sozialraum,
                d=_path(rings_of(boundary.geometry), project),
                fill=fill,
                highlighted=highlighted,
                label_x=round(sum(x for x, _ in centre) / len(centre), 1),
                label_y=round(sum(y for _, y in centre) / len(centre), 1),
                url=link(sozialraum) if link else "",
                value=value,
            )
        )
    svg_map.outlines = [_path(rings_of(r.geometry), project) for r in regions]
    for partner in partners:
        if partner.longitude is None or partner.latitude is None:
            continue
        x, y = project(partner.longitude, partner.latitude)
        svg_map.points.append(
            MapPoint(x, y, f"{partner.name} ({partner.get_partner_type_display()})")
        )
    if figure:
        svg_map.figure_label = figure.label
        integral = all(isinstance(v, int) for v in values)
        svg_map.legend = [*_legend(low, high, integral)]
        if any(figure.values.get(b.sozialraum.pk) is None for b in boundaries):
            svg_map.legend.append(LegendEntry(NO_VALUE_FILL, "keine Angabe"))
    return svg_map


def map_svg(svg_map: SvgMap) -> SafeString:
    """The map as HTML (SVG, legend and text alternative) for pages and PDF reports."""
    return render_to_string("network/partials/map.html", {"map": svg_map})
