"""The session warning and the draft keeper, included once in base.html for logged-in people."""

from django import template
from django.conf import settings

from sozialraum import security

register = template.Library()


@register.inclusion_tag("account/partials/session_tools.html", takes_context=True)
def session_tools(context: template.Context) -> dict:
    # Numbers as strings: the German locale would render 1800 as "1.800" (thousand separator).
    return {
        "idle_seconds": str(settings.SESSION_IDLE_TIMEOUT),
        "idle_seconds_left": str(security.idle_seconds_left(context["request"])),
        "warning_seconds": str(settings.SESSION_IDLE_WARNING),
        "draft": security.draft_key(context["request"].user),
        "draft_max_age_hours": str(settings.DRAFT_MAX_AGE_HOURS),
        "draft_saved_cookie": security.DRAFT_SAVED_COOKIE,
        "csrf_token": context.get("csrf_token"),
    }
