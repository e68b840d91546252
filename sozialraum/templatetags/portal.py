from decimal import Decimal

from django import template

from sozialraum.money import money_format

register = template.Library()


@register.filter
def money(value: Decimal | int | str | None) -> str:
    """{{ amount|money }} → 1.234,56 €"""
    return money_format(value)
