"""The frame of every page (templates/base.html): head links, header, footer with the session
warning and draft keeper. Each part is rendered once per role and page and filled in per request
(sozialraum/frame.py)."""

from django import template
from django.conf import settings
from django.utils.safestring import SafeString

from accounts import security
from portal.context_processors import nav_entries
from sozialraum.access import user_role
from sozialraum.frame import fill, mark, rendered_once
from sozialraum.models import Role

register = template.Library()


@rendered_once("partials/portal_head_links.html")
def _head_links() -> dict:
    return {}


@rendered_once("partials/portal_header.html")
def _header(office_name: str, signed_in: bool, role: str, current: str) -> dict:
    return {
        "office_name": office_name,
        "signed_in": signed_in,
        "user_role_label": Role(role).label if role else "",
        "nav_entries": nav_entries(role, current),
        "user_name": mark("user_name"),
        "csrf_token": mark("csrf_token"),
    }


@rendered_once("partials/portal_footer.html")
def _footer(office_name: str, signed_in: bool, idle: int, warning: int, draft_hours: int) -> dict:
    # Numbers as strings: the German locale would write 1800 as "1.800".
    return {
        "office_name": office_name,
        "signed_in": signed_in,
        "idle_seconds": str(idle),
        "warning_seconds": str(warning),
        "draft_max_age_hours": str(draft_hours),
        "draft_saved_cookie": security.DRAFT_SAVED_COOKIE,
        "idle_seconds_left": mark("idle_seconds_left"),
        "draft": {"key": mark("draft_key"), "owner": mark("draft_owner")},
        "csrf_token": mark("csrf_token"),
    }


def _signed_in(context: template.Context) -> bool:
    user = context.get("user")
    return bool(user is not None and user.is_authenticated)


@register.simple_tag
def portal_head_links() -> SafeString:
    return fill(_head_links())


@register.simple_tag(takes_context=True)
def portal_header(context: template.Context) -> SafeString:
    user, signed_in = context.get("user"), _signed_in(context)
    current = getattr(context.get("request"), "resolver_match", None)
    skeleton = _header(
        settings.OFFICE_NAME,
        signed_in,
        user_role(user),
        getattr(current, "view_name", ""),
    )
    if not signed_in:
        return fill(skeleton)
    return fill(
        skeleton,
        user_name=user.get_full_name() or user.username,
        csrf_token=context.get("csrf_token", ""),
    )


@register.simple_tag(takes_context=True)
def portal_footer(context: template.Context) -> SafeString:
    """With the idle-timeout warning and the draft keeper for people signed in."""
    signed_in = _signed_in(context)
    skeleton = _footer(
        settings.OFFICE_NAME,
        signed_in,
        settings.SESSION_IDLE_TIMEOUT,
        settings.SESSION_IDLE_WARNING,
        settings.DRAFT_MAX_AGE_HOURS,
    )
    if not signed_in:
        return fill(skeleton)
    draft = security.draft_key(context["user"])
    return fill(
        skeleton,
        idle_seconds_left=security.idle_seconds_left(context["request"]),
        draft_key=draft["key"],
        draft_owner=draft["owner"],
        csrf_token=context.get("csrf_token", ""),
    )
