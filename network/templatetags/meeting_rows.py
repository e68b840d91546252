"""The rows of the conference tables and of the open agreements, written in Python.

Both stand on every Sozialraum and region page and on the start pages; through the template
engine their rows were the largest part of the region page's own work (issue 8). These tags
write the markup the templates did (templates/network/partials/), every value escaped.
"""

import datetime
from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from network.models import Conference, ConferenceAgreement
from sozialraum.links import id_url_pattern
from sozialraum.rows import day, table_rows

register = template.Library()

OVERDUE = ' <span class="badge text-bg-danger">überfällig</span>'


def _linked(text: str, url: str, conference_id: int, openable: Any) -> str:
    """The text as a link to the conference, where the reader may open it (`openable`: a set
    of ids from `network.selectors.conferences_openable`; anything else: every one)."""
    if isinstance(openable, set | frozenset) and conference_id not in openable:
        return text
    return f'<a href="{escape(url.format(conference_id))}">{text}</a>'


@register.simple_tag
def conference_rows(conferences: Iterable[Conference], openable: Any = None) -> SafeString:
    url = id_url_pattern("network:conference_detail")
    rows = [
        f"<tr><td>{day(conference.date)}</td>"
        f'<th scope="row">{_linked(escape(conference.title), url, conference.pk, openable)}</th>'
        f"<td>{escape(conference.area_label)}</td>"
        f'<td class="figure-number">{getattr(conference, "open_agreement_count", 0) or 0}</td>'
        "</tr>"
        for conference in conferences
    ]
    return table_rows(rows, columns=4, empty="Keine.")


def _done_form(agreement: ConferenceAgreement, form: dict[str, str]) -> str:
    return (
        f'<form method="post" action="{escape(form["url"].format(agreement.pk))}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(form["token"])}">'
        f'<input type="hidden" name="next" value="{escape(form["next"])}">'
        '<button type="submit" class="btn btn-outline-primary btn-sm">Erledigt'
        f'<span class="visually-hidden">: {escape(Truncator(agreement.text).chars(40))}</span>'
        "</button></form>"
    )


@register.simple_tag(takes_context=True)
def agreement_rows(
    context: template.Context,
    agreements: Iterable[ConferenceAgreement],
    show_owner: bool,
    viewer: Any,
    next_url: str,
    today: datetime.date,
    openable: Any = None,
) -> SafeString:
    """Open agreements; their owner may mark them done here (a form with the page's token)."""
    conference_url = id_url_pattern("network:conference_detail")
    form = {
        "url": id_url_pattern("network:agreement_done"),
        "token": str(context.get("csrf_token", "")),
        "next": next_url or "",
    }
    viewer_pk = getattr(viewer, "pk", None) if viewer else None
    rows = []
    for agreement in agreements:
        owner = ""
        if show_owner:
            name = agreement.owner.get_full_name() or agreement.owner.username
            owner = f"<td>{escape(name)}</td>"
        conference = agreement.conference
        overdue = OVERDUE if today and agreement.due_on < today else ""
        done = _done_form(agreement, form) if viewer_pk and agreement.owner_id == viewer_pk else ""
        source = (
            f"{escape(conference.title)} {escape(conference.area_label)}, {day(conference.date)}"
        )
        rows.append(
            f"<tr><td>{escape(agreement.text)}</td>{owner}"
            f"<td>{day(agreement.due_on)}{overdue}</td>"
            f"<td>{_linked(source, conference_url, agreement.conference_id, openable)}</td>"
            f"<td>{done}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - each value escaped (no row: no table)
