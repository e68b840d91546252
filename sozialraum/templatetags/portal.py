from decimal import Decimal

from django import template

from sozialraum.links import id_url
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


@register.filter
def url_of(pk: int, view_name: str) -> str:
    """{{ partner.pk|url_of:"network:partner_detail" }}: like {% url %} with one id, without
    walking the URL resolver for every row of a long list (sozialraum/links.py)."""
    return id_url(view_name, pk)
