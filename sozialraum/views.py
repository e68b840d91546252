"""The ground floor's pages: responsibility for an address, Sozialräume, streets, providers."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sozialraum.access import ALL_ROLES, OFFICE, AuthenticatedHttpRequest, role_required
from sozialraum.forms import AddressLookupForm, StreetDirectoryFilterForm
from sozialraum.import_page import csv_import_page
from sozialraum.models import Role
from sozialraum.selectors import (
    address_resolve,
    providers_with_roles,
    regions_with_sozialraeume,
    sozialraeume_former,
    sozialraeume_valid_on,
    street_segments_search,
)
from sozialraum.services import street_directory_import
from sozialraum.street_directory import COLUMNS


@role_required(*OFFICE)
def address_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    # POST, not GET: a family's address must not end up in URLs, browser history or access logs.
    result = None
    form = AddressLookupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = address_resolve(
            street=form.cleaned_data["street"],
            house_number=form.cleaned_data["house_number"],
            postcode=form.cleaned_data["postcode"],
            on=form.cleaned_data["on"],
        )
    return render(request, "sozialraum/address_lookup.html", {"form": form, "result": result})


@role_required(*ALL_ROLES)
def sozialraum_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "sozialraum/sozialraum_list.html",
        {
            "regions": regions_with_sozialraeume(),
            "former": sozialraeume_former(),
            "today": timezone.localdate(),
        },
    )


@role_required(*OFFICE)
def street_directory(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StreetDirectoryFilterForm(
        request.GET or None, sozialraeume=sozialraeume_valid_on().order_by("name")
    )
    filters = form.cleaned_data if form.is_valid() else {}
    segments = street_segments_search(
        query=filters.get("query", ""),
        sozialraum=filters.get("sozialraum"),
        on=filters.get("on"),
    )
    page = Paginator(segments, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "sozialraum/street_directory.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


@role_required(Role.ADMIN)
def street_directory_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    return csv_import_page(
        request,
        service=street_directory_import,
        noun="Straßenabschnitt(e)",
        back="street_directory",
        template="sozialraum/street_directory_upload.html",
        context={"title": "Straßenverzeichnis importieren", "columns": COLUMNS},
    )


@role_required(*OFFICE)
def provider_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "sozialraum/provider_list.html", {"providers": providers_with_roles()})
