"""The ground floor's pages: responsibility for an address, Sozialräume, streets, providers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sozialraum.access import ALL_ROLES, ASD, OFFICE, AuthenticatedHttpRequest, role_required
from sozialraum.deputy_forms import DeputyForm
from sozialraum.forms import AddressLookupForm, StreetDirectoryFilterForm, form_saved
from sozialraum.import_page import csv_import_page
from sozialraum.models import Role
from sozialraum.selectors import (
    address_resolve,
    deputy_absent_choices,
    deputy_candidates,
    deputyship_for_user,
    deputyships_visible_to,
    providers_with_roles,
    regions_with_sozialraeume,
    sozialraeume_former,
    sozialraeume_valid_on,
    street_segments_search,
)
from sozialraum.services import (
    deputies_manageable_by,
    deputy_end,
    deputy_set,
    street_directory_import,
)
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


@role_required(*ASD)
def deputy_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Vertretungen: the user's own (and a team lead's team's) deputyships, and the form to set
    one."""
    user = request.user
    form = DeputyForm(
        request.POST if request.method == "POST" else None,
        absent_choices=deputy_absent_choices(user),
        candidates=deputy_candidates(user),
        initial={"absent": user.pk, "starts_on": timezone.localdate()},
    )

    def save(data: dict) -> str:
        deputy_set(user=user, **data)
        return "Die Vertretung ist eingetragen."

    if form_saved(request, form, save):
        return redirect("deputy_list")
    today = timezone.localdate()
    deputyships = list(deputyships_visible_to(user)[:100])
    return render(
        request,
        "sozialraum/deputy_list.html",
        {
            "form": form,
            "today": today,
            "deputyships": deputyships,
            "endable": {d.pk for d in deputyships if deputies_manageable_by(user, d.absent)},
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@role_required(*ASD)
def deputy_end_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    deputyship = deputyship_for_user(request.user, pk)
    try:
        deputy_end(user=request.user, deputyship=deputyship)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Die Vertretung ist beendet.")
    return redirect("deputy_list")
