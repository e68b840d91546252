"""Pieces shared by the table rows written in Python (case and assignment lists, a budget's
commitments and entries, offer and conference tables): through the template engine those rows
were the largest part of the pages that show them (issue 8). Every value goes through the
standard library's `html.escape`; these helpers are the only place the rows become safe HTML.
"""

import datetime
from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe


def day(value: datetime.date | None) -> str:
    """As the templates' `|date:"d.m.Y"`: 01.03.2026; nothing for no date."""
    return f"{value:%d.%m.%Y}" if value else ""


def text_or_dash(value: str | None) -> str:
    """The text escaped, or a dash where there is none."""
    return escape(value) if value else "–"


def table_rows(rows: Iterable[str], *, columns: int, empty: str) -> SafeString:
    """Rows whose every value the caller escaped, or one row saying `empty` across the columns."""
    html = "\n".join(rows) or f'<tr><td colspan="{columns}">{escape(empty)}</td></tr>'
    return mark_safe(html)  # noqa: S308 - each row's values escaped by its writer
