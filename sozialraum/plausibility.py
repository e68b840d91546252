"""Plausibility rules: one place that services use to refuse or warn, all problems at once.

Why: the same rule must hold for a form, an import and the API, so it lives in the service; and a
person should see every problem after one submit, next to its field, with German dates and
decimal commas.

How a service uses it::

    checks = Checks()
    checks.not_in_future("opened_on", opened_on, what="Der Falleingang")
    checks.not_before("starts_on", starts_on, case.opened_on, what="Der Beginn der Hilfe",
                      earliest_what="der Falleingang")
    checks.postcode("postcode", postcode)
    if hours > threshold:
        checks.warn("hours_per_week", "… Bitte bestätigen Sie mit „Trotzdem speichern“.")
    checks.raise_if_any(confirmed_warnings=confirmed_warnings)

`raise_if_any` raises one `ValidationError` keyed by field holding every refusal and (unless the
person has confirmed them) every warning. A warning is a `ValidationError` with the code
`WARNING_CODE`: something unusual but possible. Refusals and warnings come together, so the
person sees everything in one round; warnings alone stop the save until confirmed.

How a form shows it: give the form `ConfirmWarningsMixin` (below), pass
`confirmed_warnings=form.cleaned_data["confirmed_warnings"]` to the service, and put the
service's error into the form with `sozialraum.forms.form_errors_add` (or `form_saved`). When the
error holds warnings, the form re-shows with them and the checkbox „Trotzdem speichern“.

A form that has several parts (formsets, an address check) validates them all and calls the
service's own checks (e.g. `cases.services.case_intake_check`) even when a part is invalid, so
every message shows after one submit. Text limits: `length_limits_state(form)` writes
"höchstens N Zeichen" into the help text of every text field with a limit; the portal's
`FormHelper` (sozialraum/form_helpers.py) does it for every crispy form it renders.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from sozialraum.money import count_format

WARNING_CODE = "plausibility_warning"
POSTCODE = re.compile(r"[0-9]{5}")


def date_de(day: datetime.date) -> str:
    """01.12.2026: the date as the UI writes it."""
    return day.strftime("%d.%m.%Y")


def decimal_de(value: Decimal | int) -> str:
    """A number with a decimal comma and no trailing zeros: Decimal("20.50") → "20,5"."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def is_warning(error: ValidationError) -> bool:
    """True when every message of the error is a warning the person may confirm."""
    return all(item.code == WARNING_CODE for item in _items(error))


def has_warnings(error: ValidationError) -> bool:
    return any(item.code == WARNING_CODE for item in _items(error))


def _items(error: ValidationError) -> list[ValidationError]:
    if hasattr(error, "error_dict"):
        return [item for items in error.error_dict.values() for item in items]
    return list(error.error_list)


class Checks:
    """Collects refusals and warnings of one service call, keyed by field (None: the whole)."""

    def __init__(self) -> None:
        self._refusals: dict[str, list[ValidationError]] = {}
        self._warnings: dict[str, list[ValidationError]] = {}

    def refuse(self, field: str | None, message: str) -> None:
        self._refusals.setdefault(field or NON_FIELD_ERRORS, []).append(
            ValidationError(message, code="plausibility")
        )

    def warn(self, field: str | None, message: str) -> None:
        self._warnings.setdefault(field or NON_FIELD_ERRORS, []).append(
            ValidationError(message, code=WARNING_CODE)
        )

    def add(self, error: ValidationError) -> None:
        """Take in an error raised elsewhere (e.g. by `full_clean()`), keyed as it is."""
        if hasattr(error, "error_dict"):
            for field, items in error.error_dict.items():
                self._refusals.setdefault(field, []).extend(items)
        else:
            self._refusals.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)

    @property
    def refused(self) -> bool:
        return bool(self._refusals)

    def refuses(self, field: str) -> bool:
        """True when `field` has a refusal (e.g. to skip a check that builds on it)."""
        return field in self._refusals

    def raise_if_any(self, *, confirmed_warnings: bool = False) -> None:
        problems = {field: list(items) for field, items in self._refusals.items()}
        if not confirmed_warnings:
            for field, items in self._warnings.items():
                problems.setdefault(field, []).extend(items)
        if problems:
            raise ValidationError(problems)

    # The rules every service shares ---------------------------------------------------------

    def not_in_future(self, field: str, day: datetime.date | None, *, what: str) -> None:
        """`what` has happened, so it cannot be dated after today."""
        today = timezone.localdate()
        if day is not None and day > today:
            self.refuse(
                field,
                f"{what} kann nicht in der Zukunft liegen ({date_de(day)}; heute ist der "
                f"{date_de(today)}).",
            )

    def not_before(
        self,
        field: str,
        day: datetime.date | None,
        earliest: datetime.date | None,
        *,
        what: str,
        earliest_what: str,
    ) -> None:
        """`what` belongs to something that began on `earliest` and cannot come before it."""
        if day is not None and earliest is not None and day < earliest:
            self.refuse(
                field,
                f"{what} ({date_de(day)}) liegt vor {earliest_what} ({date_de(earliest)}).",
            )

    def postcode(self, field: str, value: str, *, required: bool = False) -> None:
        value = value.strip()
        if not value and not required:
            return
        if not POSTCODE.fullmatch(value):
            self.refuse(field, "Die PLZ besteht aus genau fünf Ziffern, z. B. 25421.")

    def max_length(self, field: str, value: str, limit: int, *, label: str) -> None:
        if len(value) > limit:
            self.refuse(
                field,
                f"{label} darf höchstens {limit} Zeichen lang sein (jetzt {len(value)}).",
            )


def length_limits_state(form: forms.BaseForm, names: Iterable[str] | None = None) -> None:
    """Say "höchstens N Zeichen" in the help text of every text field with a limit, so the
    person knows the limit before reaching it (the browser's maxlength alone is silent)."""
    for name in names if names is not None else form.fields:
        field = form.fields[name]
        limit = getattr(field, "max_length", None)
        if not isinstance(field, forms.CharField) or not limit:
            continue
        note = f"höchstens {count_format(limit)} Zeichen"
        help_text = str(field.help_text or "")
        if note.lower() in help_text.lower():
            continue
        field.help_text = f"{help_text} ({note})" if help_text else f"H{note[1:]}."


class ConfirmWarningsMixin(forms.Form):
    """A form whose service may warn (sozialraum/plausibility.py): the checkbox „Trotzdem
    speichern“ appears with the warnings, and the view passes
    `confirmed_warnings=cleaned_data["confirmed_warnings"]` to the service."""

    confirmed_warnings = forms.BooleanField(
        label="Trotzdem speichern",
        required=False,
        help_text="Ich habe die Hinweise geprüft; die Angaben stimmen so.",
    )

    def full_clean(self) -> None:
        super().full_clean()
        # Ticked before and the form comes back for another reason: keep the tick visible.
        if self.is_bound and self.data.get(self.add_prefix("confirmed_warnings")):
            self.warnings_confirm_show()

    def warnings_confirm_show(self) -> None:
        """Put the checkbox into the form's layout, before its submit button."""
        helper = getattr(self, "helper", None)
        if helper is None or helper.layout is None:
            return
        fields = helper.layout.fields
        if "confirmed_warnings" in fields:
            return
        at = next((i for i, item in enumerate(fields) if isinstance(item, Submit)), len(fields))
        fields.insert(at, "confirmed_warnings")
