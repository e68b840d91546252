"""The case list's rows, written in Python.

The list is the page caseworkers open most, fifty rows of seven cells each; through the template
engine those rows were the largest part of the page's time (issue 8), as the map's shapes were on
the Sozialraum page. `{% case_rows page.rows %}` writes the same markup the template did, every
value escaped by the standard library's `html.escape` (Django's wraps each call to look for lazy
strings, which these plain values never are).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

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
