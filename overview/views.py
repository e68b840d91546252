"""The overview pages: the start page of each role, one page per Sozialraum and per region.

The start pages ask the owning apps' selectors for their panels and hand the results to the
templates. The Sozialraum and region pages show no personal case data.

Their figures and map are the same for every reader; they are computed with SQL aggregates and
kept in Django's cache for `FIGURES_CACHE_SECONDS` (a short time, keyed by area, day and map
figure, never by person). Conferences and open agreements are read live, since the page lets
people mark agreements done.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.selectors import assignment_list, cases_represented_for
from cases.selectors_start import start_alerts
from network.selectors import agreements_open_for, conferences_openable
from overview.selectors import (
    MAP_FIGURES,
    AreaMeetings,
    area_meetings,
    region_figures,
    region_for_user,
    sozialraum_figures,
    sozialraum_for_user,
    sozialraum_successors,
)
from sozialraum.access import ALL_ROLES, ASD, AuthenticatedHttpRequest, role_required, user_role
from sozialraum.figures import figures_cached
from sozialraum.models import Role
from sozialraum.selectors import (
    admin_overview,
    providers_with_roles,
    regions_with_sozialraeume,
    sozialraeume_valid_on,
)


def _figure(request: AuthenticatedHttpRequest) -> str:
    figure = request.GET.get("einfaerben", "")
    return figure if figure in MAP_FIGURES else ""


def _meetings(request: AuthenticatedHttpRequest, meetings: AreaMeetings) -> dict:
    """The area's conferences and open agreements, and which conferences the reader may open:
    the lists show them all, links only where the conference page would not answer 404."""
    return {
        "meetings": meetings,
        "openable": conferences_openable(request.user, meetings.conference_ids()),
    }


@role_required(*ALL_ROLES)
def sozialraum_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    figure = _figure(request)
    sozialraum = sozialraum_for_user(request.user, pk)
    day = timezone.localdate()

    page = figures_cached(
        f"sozialraum:{pk}:{day.isoformat()}:{figure}",
        lambda: sozialraum_figures(sozialraum=sozialraum, on=day, figure=figure),
    )
    return render(
        request,
        "overview/sozialraum_detail.html",
        {
            "sozialraum": sozialraum,
            "on": day,
            "page": page,
            "figures": MAP_FIGURES,
            "figure": figure,
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            **_meetings(request, area_meetings(sozialraum=sozialraum, on=day)),
            "successors": sozialraum_successors(sozialraum, day),
            "user": request.user,
        },
    )


@role_required(*ALL_ROLES)
def region_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    figure = _figure(request)
    region = region_for_user(request.user, pk)
    day = timezone.localdate()

    page = figures_cached(
        f"region:{pk}:{day.isoformat()}:{figure}",
        lambda: region_figures(region=region, on=day, figure=figure),
    )
    return render(
        request,
        "overview/region_detail.html",
        {
            "region": region,
            "on": day,
            "page": page,
            "figures": MAP_FIGURES,
            "figure": figure,
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            **_meetings(request, area_meetings(region=region, on=day)),
        },
    )


def _open_agreements(request: AuthenticatedHttpRequest) -> dict:
    """The person's own open conference agreements, for network/partials/open_agreements.html."""
    return {
        "open_agreements": list(agreements_open_for(request.user)),
        "today": timezone.localdate(),
    }


START_PAGES: dict[str, str] = {
    Role.CASEWORKER: "asd_home",
    Role.TEAM_LEAD: "asd_home",
    Role.PROVIDER_STAFF: "provider_home",
    Role.PLANNER: "planning_home",
    Role.ADMIN: "admin_home",
}


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    role = user_role(request.user)
    if role not in START_PAGES:
        raise PermissionDenied(
            "Ihrem Konto ist keine Rolle zugewiesen. Bitte wenden Sie sich an die Administration."
        )
    return redirect(START_PAGES[role])


@role_required(*ASD)
def asd_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    team = request.user.asd_team
    assert team is not None  # an ASD role needs an ASD team (user_membership_matches_role)
    represented, more_represented = cases_represented_for(request.user)
    return render(
        request,
        "overview/home_asd.html",
        {
            "team": team,
            "sozialraeume": sozialraeume_valid_on().filter(asd_team=team),
            "is_team_lead": request.user.role == Role.TEAM_LEAD,
            "colleagues": team.members.filter(is_active=True).order_by("last_name"),
            "alerts": start_alerts(
                request.user, covering=[row.deputyship.absent_id for row in represented]
            ),
            **_open_agreements(request),
            "represented": represented,
            "more_represented": more_represented,
        },
    )


@role_required(Role.PROVIDER_STAFF)
def provider_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Scoped to the user's own provider: staff never pick a provider themselves.
    # Provider staff always have a provider (constraint user_membership_matches_role).
    assert request.user.provider_id is not None
    provider = providers_with_roles(active_only=False).get(pk=request.user.provider_id)
    assignments, more = assignment_list(user=request.user, page_size=10)
    return render(
        request,
        "overview/home_provider.html",
        {
            "provider": provider,
            "agreements": provider.agreements.valid_on(timezone.localdate()),
            "assignments": assignments,
            "more_assignments": more is not None,
            **_open_agreements(request),
        },
    )


@role_required(Role.PLANNER)
def planning_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "overview/home_planning.html",
        {"regions": regions_with_sozialraeume(), **_open_agreements(request)},
    )


@role_required(Role.ADMIN)
def admin_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "overview/home_admin.html", admin_overview())
