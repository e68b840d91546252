"""Printing report figures the German way: 1.234 · 1.234,56 € · 12,3 · +4,5."""

from decimal import Decimal, InvalidOperation

from django import template

from sozialraum.money import money_format

register = template.Library()


def _decimal_text(value: Decimal, places: int = 1) -> str:
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def cell_text(value, kind: str) -> str:
    """One table cell as printed; markers ("< 3", "x", "–") stay as they are."""
    if value == "" and kind == "text":
        return ""
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and kind not in ("money", "percent", "rate", "change"):
        return value
    try:
        if kind == "money":
            return money_format(Decimal(value))
        if kind in ("percent", "rate", "change"):
            number = Decimal(value)
            text = _decimal_text(abs(number))
            if kind == "change":
                return ("+" if number > 0 else "−" if number < 0 else "±") + text
            return ("−" if number < 0 else "") + text
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


@register.filter
def cell(value, kind: str) -> str:
    """{{ value|cell:column.kind }}"""
    return cell_text(value, kind)
