"""The overview pages: one page per Sozialraum and per region (no personal case data).

Their figures and map are the same for every reader and are rendered into parts kept in the
shared cache until the data they count change (`sozialraum.figures_cache`); the conferences and
open agreements are read live, since the page lets people mark agreements done.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from network.selectors import conferences_openable
from overview.selectors import (
    MAP_FIGURES,
    AreaMeetings,
    area_meetings,
    region_figures,
    region_for_page,
    sozialraum_figures,
    sozialraum_for_page,
    sozialraum_successors,
)
from sozialraum.access import ALL_ROLES, role_required
from sozialraum.figures_cache import cached_figures


def _figure(request: HttpRequest) -> str:
    figure = request.GET.get("einfaerben", "")
    return figure if figure in MAP_FIGURES else ""


def _meetings(request: HttpRequest, meetings: AreaMeetings) -> dict:
    """The area's conferences and open agreements, and which conferences the reader may open:
    the lists show them all, links only where the conference page would not answer 404."""
    return {
        "meetings": meetings,
        "openable": conferences_openable(request.user, meetings.conference_ids()),
    }


def _render_parts(templates: dict[str, str], context: dict) -> dict[str, str]:
    return {name: render_to_string(template, context) for name, template in templates.items()}


@role_required(*ALL_ROLES)
def sozialraum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure(request)
    sozialraum = sozialraum_for_page(pk)
    day = timezone.localdate()

    def render_parts() -> dict[str, str]:
        figures = sozialraum_figures(sozialraum=sozialraum, on=day, figure=figure)
        return _render_parts(
            {
                "figures": "overview/partials/sozialraum_figures.html",
                "partners": "overview/partials/sozialraum_partners.html",
            },
            {"page": figures, "figures": MAP_FIGURES, "figure": figure},
        )

    return render(
        request,
        "overview/sozialraum_detail.html",
        {
            "sozialraum": sozialraum,
            "on": day,
            "parts": cached_figures(("sozialraum", pk, day.isoformat(), figure), render_parts),
            **_meetings(request, area_meetings(sozialraum=sozialraum, on=day)),
            "successors": sozialraum_successors(sozialraum, day),
            "user": request.user,
        },
    )


@role_required(*ALL_ROLES)
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure(request)
    region = region_for_page(pk)
    day = timezone.localdate()

    def render_parts() -> dict[str, str]:
        figures = region_figures(region=region, on=day, figure=figure)
        return _render_parts(
            {"figures": "overview/partials/region_figures.html"},
            {"page": figures, "figures": MAP_FIGURES, "figure": figure},
        )

    return render(
        request,
        "overview/region_detail.html",
        {
            "region": region,
            "on": day,
            "parts": cached_figures(("region", pk, day.isoformat(), figure), render_parts),
            **_meetings(request, area_meetings(region=region, on=day)),
        },
    )
