"""Money: one rounding rule and one German format for the whole portal."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def money_round(value: Decimal | int | str) -> Decimal:
    """Round to cents, half up (commercial rounding). Floats are refused: they lose cents."""
    if isinstance(value, float):
        raise TypeError("Money must be Decimal, int or str, never float.")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_format(value: Decimal | int | str | None) -> str:
    """German format with thousands separators: Decimal("1234.5") → "1.234,50 €"."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        # Loud on purpose: a float amount is a bug upstream, not something to hide in a page.
        raise TypeError("Money must be Decimal, int or str, never float.")
    try:
        amount = money_round(value)
    except (InvalidOperation, TypeError):
        return ""
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{'.'.join(groups)},{cents}\u00a0€"
