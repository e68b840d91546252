"""`{% open_agreements_for user %}`: a person's open conference agreements on a start page.

An inclusion tag rather than context from `sozialraum.views`, so the ground floor never imports
the network: the start page templates only name the tag.
"""

from django import template
from django.utils import timezone

from network.selectors import agreements_open_for

register = template.Library()


@register.inclusion_tag("network/partials/open_agreements.html", takes_context=True)
def open_agreements_for(context, user) -> dict:
    request = context.get("request")
    return {
        "agreements": list(agreements_open_for(user)) if user.is_authenticated else [],
        "heading": "Ihre offenen Vereinbarungen aus Sozialraumkonferenzen",
        "show_owner": False,
        "viewer": user,
        "next_url": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
        "empty_text": "Sie haben keine offenen Vereinbarungen.",
        "today": timezone.localdate(),
    }
