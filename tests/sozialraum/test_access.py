"""Roles decide which pages a person reaches; the server enforces it for every view."""

import re

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.conftest import totp_code, totp_device
from tests.factories import PASSWORD

# url name → roles that may open it; every other role gets 403.
PAGES = {
    "asd_home": {"caseworker", "team_lead"},
    "provider_home": {"provider_staff"},
    "planning_home": {"planner"},
    "admin_home": {"admin"},
    "system_status": {"admin"},
    "address_lookup": {"caseworker", "team_lead", "planner", "admin"},
    "sozialraum_list": {"caseworker", "team_lead", "provider_staff", "planner", "admin"},
    "provider_list": {"caseworker", "team_lead", "planner", "admin"},
    "street_directory": {"caseworker", "team_lead", "planner", "admin"},
    "street_directory_upload": {"admin"},
}
ROLES = ["caseworker", "team_lead", "provider_staff", "planner", "admin"]
START_PAGES = {
    "caseworker": "asd_home",
    "team_lead": "asd_home",
    "provider_staff": "provider_home",
    "planner": "planning_home",
    "admin": "admin_home",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_role_reaches_its_pages_and_gets_403_elsewhere(client, users, role, page):
    client.force_login(users[role])
    response = client.get(reverse(page))
    if role in PAGES[page]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "Kein Zugriff" in response.content.decode()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_login(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_home_leads_each_role_to_its_start_page(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(START_PAGES[role])


def test_account_without_role_is_refused_with_explanation(client, django_user_model, db):
    nobody = django_user_model.objects.create_user("ohne-rolle", password=PASSWORD)
    client.force_login(nobody)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "keine Rolle zugewiesen" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_only_pages_the_role_may_open(client, users, role):
    client.force_login(users[role])
    html = client.get(reverse(START_PAGES[role])).content.decode()
    for page, allowed in PAGES.items():
        if page in {"asd_home", "provider_home", "planning_home", "admin_home"}:
            continue  # reached through "Start"
        if page == "street_directory_upload":
            continue  # a sub-page of the street directory, linked from there
        link = f'href="{reverse(page)}"'
        assert (link in html) == (role in allowed), page


def test_django_admin_is_for_administrators_only(client, users):
    client.force_login(users["planner"])
    assert client.get("/admin/").status_code == 302  # admin's own login: planners are not staff
    client.force_login(users["admin"])
    assert client.get("/admin/").status_code == 200


def _portal_patterns(patterns=None, prefix=""):
    """Every URL pattern of the portal, through includes, except Django's admin site."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name != "admin":
                yield from _portal_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def test_every_portal_view_declares_its_roles():
    """A new view without a role check would fail here before it could leak anything."""
    # The health check is for the load balancer and Compose: no login, only ok/fehler per part.
    open_views = {"login", "logout", "home", "accessibility_statement", "health"}
    unguarded = [
        route
        for route, pattern in _portal_patterns()
        if pattern.name not in open_views
        and not route.startswith(READ_API)  # token, not role: see the next test
        and not getattr(pattern.callback, "allowed_roles", None)
    ]
    assert unguarded == []
    assert len(list(_portal_patterns())) >= len(PAGES) + len(open_views)


READ_API = "api/v1/"


def test_every_read_api_route_asks_for_a_token(client, users):
    """The read API is for tools, not people: a route without a token (even with a logged-in
    session) answers 401, except the published schema and the API's root."""
    client.force_login(users["planner"])
    published = {"openapi-json", "api-root"}
    routes = [
        re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "2026" if m[1] == "year" else "teil1", route)
        for route, pattern in _portal_patterns()
        if route.startswith(READ_API) and pattern.name not in published
    ]
    assert len(routes) >= 6
    for route in routes:
        assert client.get("/" + route).status_code == 401, route


def test_provider_staff_start_page_shows_only_their_own_provider(client, users):
    client.force_login(users["provider_staff"])
    html = client.get(reverse("provider_home")).content.decode()
    assert users["provider_staff"].provider.name in html
    assert users["provider_staff_b"].provider.name not in html


def test_asd_start_page_shows_own_team_not_the_other_region(client, users):
    client.force_login(users["caseworker"])
    html = client.get(reverse("asd_home")).content.decode()
    assert "ASD Nord" in html
    assert users["caseworker_sued"].last_name not in html
    assert users["caseworker"].last_name in html


def test_login_with_wrong_password_shows_german_message_and_keeps_username(client, users):
    response = client.post(
        reverse("login"), {"username": users["planner"].username, "password": "falsch"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Benutzername oder Passwort stimmen nicht" in html
    assert f'value="{users["planner"].username}"' in html


def test_login_and_logout(client, users):
    device = totp_device(users["planner"])
    response = client.post(
        reverse("login"), {"username": users["planner"].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    # The second factor (sozialraum/security.py) before any page.
    code = totp_code(device)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    assert client.get(reverse("planning_home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("planning_home")).status_code == 302


def test_authenticated_pages_are_not_cached(client, users):
    client.force_login(users["planner"])
    response = client.get(reverse("planning_home"))
    assert "no-store" in response["Cache-Control"]
