"""Money: one rounding rule and one German format for the whole portal."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypedDict

CENT = Decimal("0.01")


class MoneyFieldOptions(TypedDict):
    max_digits: int
    decimal_places: int


# Every amount column: `models.DecimalField("Betrag (€)", **MONEY)`, up to 999.999.999.999,99 €.
MONEY: MoneyFieldOptions = {"max_digits": 14, "decimal_places": 2}


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
    return f"{sign}{_grouped(whole)},{cents}\u00a0€"


def _grouped(digits: str) -> str:
    """ "1234567" → "1.234.567" (German thousands separator)."""
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return ".".join(groups)


def count_format(value: int | None) -> str:
    """A count with the German thousands separator: 2230 → "2.230"; None → "".

    Plain integers are not grouped on output (sozialraum/formats/de: most are ids and years),
    so counts that read better grouped ask for it.
    """
    if value is None or isinstance(value, bool):
        return ""
    if not isinstance(value, int):
        return str(value)
    return ("−" if value < 0 else "") + _grouped(str(abs(value)))
