"""The case list's and the assignment list's rows, written in Python.

The case list is the page caseworkers open most, the assignment list the one provider staff
open most; fifty rows of six or seven cells each. Through the template engine those rows were
the largest part of the pages' time (issue 8), as the map's shapes were on the Sozialraum page.
`{% case_rows page.rows %}` and `{% assignment_rows rows %}` write the same markup the templates
did, every value escaped by the standard library's `html.escape` (Django's wraps each call to
look for lazy strings, which these plain values never are).
"""

import datetime
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from cases.selectors import AssignmentRow
from cases.selectors_list import CaseRow

register = template.Library()

RISK_BADGE = '<span class="badge text-bg-danger">§ 8a offen</span> '
REVIEW_BADGE = '<span class="badge text-bg-warning">HPG überfällig</span>'


def _text(value: str | None) -> str:
    return escape(value) if value else "–"


def _row(case: CaseRow) -> str:
    return (
        f'<tr><td><a href="{escape(case.url)}">{escape(case.number)}</a></td>'
        f"<td>{escape(case.kind_label)}</td>"
        f"<td>{escape(case.title or case.children)}</td>"
        f"<td>{_text(case.sozialraum_name)}</td>"
        f"<td>{escape(case.status_label)}</td>"
        f"<td>{escape(case.caseworker_name)}</td>"
        f"<td>{RISK_BADGE if case.risk_open else ''}"
        f"{REVIEW_BADGE if case.review_overdue else ''}</td></tr>"
    )


@register.simple_tag
def case_rows(rows: list[CaseRow]) -> SafeString:
    if not rows:
        return mark_safe('<tr><td colspan="7">Keine Fälle gefunden.</td></tr>')
    return mark_safe("\n".join(_row(case) for case in rows))  # noqa: S308 - each value escaped


def _day(day: datetime.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def _assignment_row(row: AssignmentRow, with_provider: bool) -> str:
    provider = f"<td>{escape(row.provider_name)}</td>" if with_provider else ""
    return (
        f'<tr><td><a href="{escape(row.url)}">{escape(row.case_number)}</a></td>'
        f"<td>{escape(row.help_type)}</td><td>{escape(row.sozialraum_name)}</td>{provider}"
        f"<td>{_day(row.starts_on)} – {_day(row.ends_on)}</td>"
        f"<td>{escape(row.status_label)}</td></tr>"
    )


@register.simple_tag
def assignment_rows(rows: list[AssignmentRow], readers_provider: Any) -> SafeString:
    """The rows of the assignment list; a provider column only for readers without a provider
    of their own (the ASD): provider staff see only their own provider's."""
    if not rows:
        return mark_safe('<tr><td colspan="6">Keine Falldurchführungen.</td></tr>')
    with_provider = not readers_provider
    return mark_safe(  # noqa: S308 - each value escaped
        "\n".join(_assignment_row(row, with_provider) for row in rows)
    )
