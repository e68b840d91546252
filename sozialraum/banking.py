"""Bank details of a provider: IBAN (ISO 13616 checksum) and BIC, checked with German messages."""

import re

from django.core.exceptions import ValidationError

# Lengths of the IBANs of the SEPA countries a provider's bank is likely to sit in.
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "CH": 21, "CZ": 24, "DE": 22, "DK": 18, "ES": 24, "FR": 27, "GB": 22,
    "IT": 27, "LI": 21, "LU": 20, "NL": 18, "PL": 28, "SE": 24,
}  # fmt: skip
BIC_PATTERN = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def iban_normalise(value: str) -> str:
    """Upper case without blanks: the form stored and written into the cash office's file."""
    return re.sub(r"\s+", "", value or "").upper()


def iban_format(value: str) -> str:
    """In groups of four, as printed on a letter."""
    iban = iban_normalise(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def iban_validate(value: str) -> None:
    """Refuse an IBAN whose country, length, characters or check digits are wrong."""
    iban = iban_normalise(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", iban):
        raise ValidationError(
            "Die IBAN ist unvollständig oder enthält unzulässige Zeichen "
            "(erwartet z. B. DE89 3704 0044 0532 0130 00).",
            code="iban_format",
        )
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        raise ValidationError(
            f"Eine IBAN aus {iban[:2]} hat {expected} Zeichen, diese hat {len(iban)}.",
            code="iban_length",
        )
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    if int(digits) % 97 != 1:
        raise ValidationError(
            "Die Prüfziffer der IBAN stimmt nicht – bitte vertippte Ziffern prüfen.",
            code="iban_checksum",
        )


def bic_validate(value: str) -> None:
    if value and not BIC_PATTERN.match(value.strip().upper()):
        raise ValidationError(
            "Die BIC hat 8 oder 11 Zeichen (z. B. COBADEFFXXX).", code="bic_format"
        )
