"""Plain helpers for addresses: how street names and house numbers are compared."""

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# "Str." / "Str" as a word or at the end of a compound ("Bahnhofstr.") means "Straße".
_STR_ABBREVIATION = re.compile(r"str\.?(?=[\s\-]|$)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_HOUSE_NUMBER = re.compile(r"^\s*(\d{1,5})\s*([a-zA-Z]?)\s*(?:[-/–].*)?$")
POSTCODE = re.compile(r"^\d{5}$")


def street_key(street: str) -> str:
    """Normalise a street name so that spelling variants compare equal.

    "Theodor-Heuss-Str.", "theodor heuss strasse" and "Theodor-Heuss-Straße" all give
    "theodorheussstrasse".
    """
    text = unicodedata.normalize("NFKC", street).strip().lower().translate(_UMLAUTS)
    text = _STR_ABBREVIATION.sub("strasse", text)
    return _NOT_ALNUM.sub("", text)


def parse_house_number(raw: str) -> int | None:
    """The numeric part of a house number ("12", "12a", "12 b", "12-14" → 12); None if unusable."""
    match = _HOUSE_NUMBER.match(raw or "")
    if not match:
        return None
    number = int(match.group(1))
    return number if number > 0 else None
