"""Navigation by role: people see only the entries their role may open."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from sozialraum.access import ALL_ROLES, ASD, OFFICE, user_role
from sozialraum.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Start", "home", ALL_ROLES),
    NavItem("Fälle", "cases:list", ASD),
    NavItem("Falldurchführungen", "cases:assignment_list", (Role.PROVIDER_STAFF,)),
    NavItem("Zuständigkeit", "address_lookup", OFFICE),
    NavItem("Sozialräume", "sozialraum_list", ALL_ROLES),
    NavItem("Angebote", "network:offer_search", ALL_ROLES),
    NavItem("Netzwerkpartner", "network:partner_list", ALL_ROLES),
    NavItem("Konferenzen", "network:conference_list", ALL_ROLES),
    NavItem("Straßenverzeichnis", "street_directory", OFFICE),
    NavItem("Träger", "provider_list", OFFICE),
    NavItem("Budgets", "budgets:overview", OFFICE),
    NavItem("Zugriffsprotokoll", "cases:audit_log", (Role.ADMIN,)),
    NavItem("Betrieb", "system_status", (Role.ADMIN,)),
    NavItem("Verwaltung", "admin:index", (Role.ADMIN,)),
)


def navigation(request: HttpRequest) -> dict:
    role = user_role(getattr(request, "user", None))
    current = getattr(getattr(request, "resolver_match", None), "view_name", "")
    items = [
        {"label": item.label, "url": reverse(item.url_name), "current": item.url_name == current}
        for item in NAVIGATION
        if role and role in item.roles
    ]
    return {
        "nav_items": items,
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
        "office_name": settings.OFFICE_NAME,
        "demo_mode": settings.DEMO_MODE,
    }
