"""Writes of corrections: take a record's values before a change, and write the history entry.

The apps' correction services (`cases.corrections`, `network.services`, `budgets.corrections`)
follow one pattern inside their own transaction:

    before = record_snapshot(record)
    … change and `full_clean()` the record, save it …
    correction_record(user=user, record=record, before=before, reason=reason)

and decide beforehand with `correction_refusal` whether the user may correct at all.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from corrections.models import Correction, CorrectionKind
from sozialraum.models import User
from sozialraum.money import money_format

NOTHING_CHANGED = "Sie haben nichts geändert. Eine Berichtigung braucht eine Änderung."
REASON_MISSING = "Bitte geben Sie den Grund der Berichtigung an."


def correction_days() -> int:
    """How long the author may correct their own record (SOZIALRAUM_CORRECTION_DAYS)."""
    return settings.CORRECTION_DAYS


def correction_refusal(
    *,
    user: User,
    author_id: int | None,
    recorded_on: datetime.date | None,
    is_team_lead: bool,
    today: datetime.date | None = None,
) -> str | None:
    """Why the user may not correct the record, or None when they may.

    The team lead (of the record's region; the caller knows the scope) always may; the author
    within `correction_days()` of recording it.
    """
    if is_team_lead:
        return None
    days = correction_days()
    if author_id is not None and author_id == user.pk:
        today = today or timezone.localdate()
        if recorded_on is None or (today - recorded_on).days <= days:
            return None
        return f"Berichtigung nur durch die Teamleitung nach {days} Tagen."
    return (
        f"Berichtigen dürfen die Verfasserin oder der Verfasser (innerhalb von {days} Tagen) "
        "und die Teamleitung."
    )


def reason_clean(reason: str, *, message: str = REASON_MISSING) -> str:
    """The reason, stripped; a German refusal on the form's `reason` field when it is empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def record_snapshot(record: models.Model) -> dict[str, Any]:
    """The values of every concrete field of the record (foreign keys as ids).

    Generic on purpose: a field another change adds to the model is kept without touching this.
    """
    return {
        field.attname: field.value_from_object(record)
        for field in record._meta.concrete_fields
        if not field.primary_key
    }


def _display(field: models.Field, value: Any) -> str:
    """A value as the history shows it, in German form."""
    if value is None or value == "":
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        model = field.related_model
        assert not isinstance(model, str)  # resolved once the apps are loaded
        related = model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else "–"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        if field.name.endswith(("cost", "amount", "rate")):
            return money_format(value)
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def record_changes(
    record: models.Model, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, str]]:
    """The fields whose value differs, with label and both values in German form."""
    fields = {field.attname: field for field in record._meta.concrete_fields}
    changes = []
    for name, old in before.items():
        new = after.get(name)
        if old == new or name not in fields:
            continue
        field = fields[name]
        changes.append(
            {
                "field": name,
                "label": str(field.verbose_name),
                "before": _display(field, old),
                "after": _display(field, new),
            }
        )
    return changes


@transaction.atomic
def correction_record(
    *,
    user: User,
    record: models.Model,
    before: dict[str, Any],
    reason: str,
    kind: str = CorrectionKind.CORRECTION,
) -> Correction:
    """Write the history entry of a change of `record` whose earlier values are `before`.

    Refused (German message) without a reason, and for a correction that changes nothing.
    """
    reason = reason_clean(reason)
    changes = record_changes(record, before, record_snapshot(record))
    if kind == CorrectionKind.CORRECTION and not changes:
        raise ValidationError(NOTHING_CHANGED)
    correction = Correction(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=kind,
        reason=reason,
        before={change["field"]: before[change["field"]] for change in changes},
        changes=changes,
        corrected_by=user,
    )
    correction.full_clean()
    correction.save()
    return correction


def corrections_erase(records: models.QuerySet) -> int:
    """Delete the correction history of these records: their earlier versions hold the same
    personal data that the retention run anonymises or deletes (privacy.anonymise calls this
    wherever it strips or deletes a corrected kind of record). How many entries went."""
    content_type = ContentType.objects.get_for_model(records.model)
    deleted, _ = Correction.objects.filter(
        content_type=content_type, object_id__in=records.values("pk")
    ).delete()
    return deleted
