"""Filters of the hand-over PDF: its values come from the JSON package (ISO dates, decimals
with a point) and are shown the German way."""

import datetime

from django import template

register = template.Library()


@register.filter
def de_date(value: str | None) -> str:
    """'2026-03-01' → '01.03.2026'; anything else unchanged ('' for None)."""
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


@register.filter
def de_decimal(value: str | None) -> str:
    """'5.00' → '5,00'."""
    return str(value).replace(".", ",") if value else ""
