"""Navigation by role: people see only the entries their role may open.

The entries a person uses every day stand in the bar; the rest sit in a few menus (`NAV_MENUS`),
so the bar fits at 1280 px and wraps at 320 px. A new page is one `NavItem` line: without a
menu it stands in the bar, with one (`menu="netzwerk"`) it joins that menu.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse

from accounts import security
from sozialraum.access import ALL_ROLES, ASD, OFFICE, user_role
from sozialraum.models import Role, User


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    menu: str = ""  # a key of NAV_MENUS; empty: the entry stands in the bar itself


# Menus in the bar, in this order after the bar's own entries: key → label.
NAV_MENUS: dict[str, str] = {
    "netzwerk": "Netzwerk",
    "verzeichnisse": "Verzeichnisse",
    "verwaltung": "Verwaltung",
}

NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Start", "home", ALL_ROLES),
    NavItem("Fälle", "cases:list", ASD),
    NavItem("Falldurchführungen", "cases:assignment_list", (Role.PROVIDER_STAFF,)),
    NavItem("Sozialraumteam", "meetings:list", (*ASD, Role.PROVIDER_STAFF)),
    NavItem("Leistungsnachweise", "billing:statement_list", (Role.PROVIDER_STAFF,)),
    NavItem("Trägerbudget", "budgets:provider_budget_list", (Role.PROVIDER_STAFF,)),
    NavItem("Sozialräume", "sozialraum_list", ALL_ROLES),
    NavItem("Angebote", "network:offer_search", ALL_ROLES),
    NavItem("Budgets", "budgets:overview", OFFICE),
    NavItem("Berichte", "reports:list", (Role.TEAM_LEAD, Role.PLANNER, Role.ADMIN)),
    NavItem("KJH-Statistik", "kjhstat:home", (Role.PLANNER, Role.ADMIN)),
    NavItem("Netzwerkpartner", "network:partner_list", ALL_ROLES, "netzwerk"),
    NavItem("Konferenzen", "network:conference_list", ALL_ROLES, "netzwerk"),
    NavItem("Die Woche des Teams", "meetings:week", ASD, "netzwerk"),
    NavItem("Zuständigkeit", "address_lookup", OFFICE, "verzeichnisse"),
    NavItem("Straßenverzeichnis", "street_directory", OFFICE, "verzeichnisse"),
    NavItem("Träger", "provider_list", OFFICE, "verzeichnisse"),
    NavItem("Entgelte", "budgets:rate_list", (Role.PLANNER, Role.ADMIN), "verzeichnisse"),
    NavItem("Prüfung Leistungsnachweise", "billing:check_queue", (Role.TEAM_LEAD,), "verwaltung"),
    NavItem("Trägerbudgets", "budgets:provider_budget_list", OFFICE, "verwaltung"),
    NavItem(
        "Zahlläufe",
        "billing:payment_run_list",
        (Role.TEAM_LEAD, Role.PLANNER, Role.ADMIN),
        "verwaltung",
    ),
    NavItem(
        "Kostenerstattung",
        "reimbursements:home",
        (Role.TEAM_LEAD, Role.PLANNER, Role.ADMIN),
        "verwaltung",
    ),
    NavItem("Zugriffsprotokoll", "cases:audit_log", (Role.ADMIN,), "verwaltung"),
    NavItem("Datenschutz", "privacy:home", (Role.TEAM_LEAD, Role.ADMIN), "verwaltung"),
    NavItem("Betrieb", "system_status", (Role.ADMIN,), "verwaltung"),
    NavItem("Briefvorlagen", "documents:letter_templates", (Role.ADMIN,), "verwaltung"),
    NavItem("API-Zugänge", "api:list", (Role.ADMIN,), "verwaltung"),
    NavItem("Stammdaten und Konten", "admin:index", (Role.ADMIN,), "verwaltung"),
)


# A typo in a menu key would hide the entry from everyone; stop at start-up instead.
if unknown_menus := {item.menu for item in NAVIGATION} - {"", *NAV_MENUS}:
    raise ImproperlyConfigured(f"NAVIGATION names unknown menus: {sorted(unknown_menus)}")


@functools.lru_cache(maxsize=512)
def nav_entries(role: str, current: str) -> list[dict]:
    """The bar for one role: its own links first, then its menus; a menu of one is a link.

    Kept per (role, page): the same on every request, and a dozen URL reversals each time
    were a noticeable part of the cheaper pages. Templates only read the result.
    """
    visible = [item for item in NAVIGATION if role and role in item.roles]

    def link(item: NavItem) -> dict:
        return {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": item.url_name == current,
        }

    entries = [link(item) for item in visible if not item.menu]
    menus = []
    for key, label in NAV_MENUS.items():
        items = [link(item) for item in visible if item.menu == key]
        if len(items) == 1:
            entries.extend(items)
        elif items:
            current_inside = any(item["current"] for item in items)
            menus.append(
                {"label": label, "id": f"menu-{key}", "links": items, "current": current_inside}
            )
    return entries + menus


def navigation(request: HttpRequest) -> dict:
    """The frame of every page (templates/base.html): office, role, the role's navigation, and
    for people signed in the session warning's clock and the draft keeper's key."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    role = user_role(user)
    match = getattr(request, "resolver_match", None)
    frame = {
        "user_role": role,
        "user_role_label": Role(role).label if role else "",
        "office_name": settings.OFFICE_NAME,
        "demo_mode": settings.DEMO_MODE,
        "signed_in": signed_in,
        "nav_entries": nav_entries(role, getattr(match, "view_name", "") or ""),
    }
    if signed_in:
        assert isinstance(user, User)  # whoever is signed in is the portal's user model
        # Numbers as strings: the German locale would write 1800 as "1.800".
        frame["session_tools"] = {
            "idle_seconds": str(settings.SESSION_IDLE_TIMEOUT),
            "idle_seconds_left": str(security.idle_seconds_left(request)),
            "warning_seconds": str(settings.SESSION_IDLE_WARNING),
            "draft_max_age_hours": str(settings.DRAFT_MAX_AGE_HOURS),
            "draft_saved_cookie": security.DRAFT_SAVED_COOKIE,
            "draft": security.draft_key(user),
        }
    return frame
