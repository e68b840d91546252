"""Start pages per role and the ground floor's pages (responsibility, Sozialräume, providers)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sozialraum.access import ALL_ROLES, ASD, OFFICE, role_required, user_role
from sozialraum.forms import (
    AddressLookupForm,
    LoginForm,
    StreetDirectoryFilterForm,
    StreetDirectoryImportForm,
)
from sozialraum.health import broker_status
from sozialraum.models import Role
from sozialraum.selectors import (
    address_resolve,
    admin_overview,
    providers_with_roles,
    regions_with_sozialraeume,
    sozialraeume_former,
    sozialraeume_valid_on,
    street_segments_search,
)
from sozialraum.services import StreetDirectoryInvalid, street_directory_import
from sozialraum.street_directory import COLUMNS

START_PAGES = {
    Role.CASEWORKER: "asd_home",
    Role.TEAM_LEAD: "asd_home",
    Role.PROVIDER_STAFF: "provider_home",
    Role.PLANNER: "planning_home",
    Role.ADMIN: "admin_home",
}


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = user_role(request.user)
    if role not in START_PAGES:
        raise PermissionDenied(
            "Ihrem Konto ist keine Rolle zugewiesen. Bitte wenden Sie sich an die Administration."
        )
    return redirect(START_PAGES[role])


@role_required(*ASD)
def asd_home(request: HttpRequest) -> HttpResponse:
    team = request.user.asd_team
    return render(
        request,
        "sozialraum/home_asd.html",
        {
            "team": team,
            "sozialraeume": sozialraeume_valid_on().filter(asd_team=team),
            "is_team_lead": request.user.role == Role.TEAM_LEAD,
            "colleagues": team.members.filter(is_active=True).order_by("last_name"),
        },
    )


@role_required(Role.PROVIDER_STAFF)
def provider_home(request: HttpRequest) -> HttpResponse:
    # Scoped to the user's own provider: staff never pick a provider themselves.
    provider = providers_with_roles(active_only=False).get(pk=request.user.provider_id)
    return render(
        request,
        "sozialraum/home_provider.html",
        {"provider": provider, "agreements": provider.agreements.valid_on(timezone.localdate())},
    )


@role_required(Role.PLANNER)
def planning_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "sozialraum/home_planning.html", {"regions": regions_with_sozialraeume()}
    )


@role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(request, "sozialraum/home_admin.html", admin_overview())


@role_required(*OFFICE)
def address_lookup(request: HttpRequest) -> HttpResponse:
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
def sozialraum_list(request: HttpRequest) -> HttpResponse:
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
def street_directory(request: HttpRequest) -> HttpResponse:
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
def street_directory_upload(request: HttpRequest) -> HttpResponse:
    errors = []
    posted = request.method == "POST"
    form = StreetDirectoryImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        dry_run = form.cleaned_data["dry_run"]
        try:
            count = street_directory_import(data=form.cleaned_data["file"].read(), dry_run=dry_run)
        except StreetDirectoryInvalid as invalid:
            errors = invalid.errors
        else:
            if dry_run:
                messages.info(request, f"Die Datei ist fehlerfrei: {count} Straßenabschnitt(e).")
                return redirect("street_directory_upload")
            messages.success(request, f"{count} Straßenabschnitt(e) importiert.")
            return redirect("street_directory")
    return render(
        request,
        "sozialraum/street_directory_upload.html",
        {"form": form, "errors": errors, "columns": COLUMNS},
    )


@role_required(*OFFICE)
def provider_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sozialraum/provider_list.html", {"providers": providers_with_roles()})


@role_required(Role.ADMIN)
def system_status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sozialraum/system_status.html",
        {
            "database": connection.vendor,
            "broker": broker_status(),
            "mode": settings.MODE,
        },
    )


# The day this statement was prepared (and last reviewed): update it with every review.
ACCESSIBILITY_STATEMENT_PREPARED_ON = datetime.date(2026, 11, 23)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Erklärung zur Barrierefreiheit (BITV 2.0 § 7): public, linked from every page's footer."""
    return render(
        request,
        "sozialraum/accessibility_statement.html",
        {
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED_ON,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
            "enforcement_name": settings.ACCESSIBILITY_ENFORCEMENT_NAME,
            "enforcement_url": settings.ACCESSIBILITY_ENFORCEMENT_URL,
        },
    )
