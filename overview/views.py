"""The overview pages: one page per Sozialraum and per region (no personal case data)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from overview.selectors import (
    MAP_FIGURES,
    region_for_page,
    region_page,
    sozialraum_for_page,
    sozialraum_page,
)
from sozialraum.access import ALL_ROLES, role_required


def _figure(request: HttpRequest) -> str:
    figure = request.GET.get("einfaerben", "")
    return figure if figure in MAP_FIGURES else ""


@role_required(*ALL_ROLES)
def sozialraum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure(request)
    page = sozialraum_page(sozialraum=sozialraum_for_page(pk), figure=figure)
    return render(
        request,
        "overview/sozialraum_detail.html",
        {"page": page, "figures": MAP_FIGURES, "figure": figure, "user": request.user},
    )


@role_required(*ALL_ROLES)
def region_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure(request)
    page = region_page(region=region_for_page(pk), figure=figure)
    return render(
        request,
        "overview/region_detail.html",
        {"page": page, "figures": MAP_FIGURES, "figure": figure},
    )
