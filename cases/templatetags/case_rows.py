"""The case list's and the assignment list's rows, written in Python.

The case list is the page caseworkers open most, the assignment list the one provider staff
open most; fifty rows of six or seven cells each. Through the template engine those rows were
the largest part of the pages' time (issue 8), as the map's shapes were on the Sozialraum page.
`{% case_rows page.rows %}` and `{% assignment_rows rows %}` write the same markup the templates
did, every value escaped by the standard library's `html.escape` (Django's wraps each call to
look for lazy strings, which these plain values never are).
"""

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString

from cases.selectors import AssignmentRow
from cases.selectors_list import CaseRow
from sozialraum.rows import day, table_rows, text_or_dash

register = template.Library()

RISK_BADGE = '<span class="badge text-bg-danger">§ 8a offen</span> '
REVIEW_BADGE = '<span class="badge text-bg-warning">HPG überfällig</span>'


def _row(case: CaseRow) -> str:
    return (
        f'<tr><td><a href="{escape(case.url)}">{escape(case.number)}</a></td>'
        f"<td>{escape(case.kind_label)}</td>"
        f"<td>{escape(case.title or case.children)}</td>"
        f"<td>{text_or_dash(case.sozialraum_name)}</td>"
        f"<td>{escape(case.status_label)}</td>"
        f"<td>{escape(case.caseworker_name)}</td>"
        f"<td>{RISK_BADGE if case.risk_open else ''}"
        f"{REVIEW_BADGE if case.review_overdue else ''}</td></tr>"
    )


@register.simple_tag
def case_rows(rows: list[CaseRow]) -> SafeString:
    return table_rows((_row(case) for case in rows), columns=7, empty="Keine Fälle gefunden.")


def _assignment_row(row: AssignmentRow, with_provider: bool) -> str:
    provider = f"<td>{escape(row.provider_name)}</td>" if with_provider else ""
    return (
        f'<tr><td><a href="{escape(row.url)}">{escape(row.case_number)}</a></td>'
        f"<td>{escape(row.help_type)}</td><td>{escape(row.sozialraum_name)}</td>{provider}"
        f"<td>{day(row.starts_on)} – {day(row.ends_on)}</td>"
        f"<td>{escape(row.status_label)}</td></tr>"
    )


@register.simple_tag
def assignment_rows(rows: list[AssignmentRow], readers_provider: Any) -> SafeString:
    """The rows of the assignment list; a provider column only for readers without a provider
    of their own (the ASD): provider staff see only their own provider's."""
    with_provider = not readers_provider
    return table_rows(
        (_assignment_row(row, with_provider) for row in rows),
        columns=6,
        empty="Keine Falldurchführungen.",
    )
