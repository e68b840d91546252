from decimal import Decimal

from django import template

from sozialraum.money import count_format, money_format

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """{{ amount|money }} → 1.234,56 €"""
    return money_format(value)


@register.filter
def count(value: int | None) -> str:
    """{{ minors|count }} → 2.230 (integers are otherwise written without grouping)."""
    return count_format(value)
