"""Writes of sharings of case data beyond the ASD (Datenweitergabe) and of consents.

A sharing records the legal basis on which case data leave the ASD: the commission under § 36
SGB VIII, the family's consent (Einwilligung) or child protection under § 8a. A consent names
who gave it, for which data, for what purpose and until when. Nothing here is deleted or
edited: a consent's withdrawal is recorded on it once, and from that day on the provider it was
given to no longer sees what it covered (`cases.selectors_sharing`).

Views check that the user may change the case (`case_for_user(..., for_change=True)`).
"""

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction, Case, Person, Sharing, SharingBasis, SharingCategory
from cases.services import case_require_open
from sozialraum.models import Provider, User


@transaction.atomic
def sharing_record(
    *,
    user: User,
    case: Case,
    basis: str,
    categories: Collection[str],
    purpose: str,
    given_on: datetime.date,
    provider: Provider | None = None,
    recipient: str = "",
    given_by: Person | None = None,
    valid_until: datetime.date | None = None,
) -> Sharing:
    """Record a sharing of the case's data and its legal basis; for a consent, who gave it.

    Every refusal comes at once, by field (ValidationError with an error dict)."""
    case_require_open(case)
    recipient = recipient.strip()
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not case.is_individual:
        refuse("__all__", "Datenweitergaben gibt es nur bei fallspezifischer Arbeit.")
    if (provider is None) == (not recipient):
        refuse(
            "recipient",
            "Bitte wählen Sie entweder einen Träger oder nennen Sie eine andere Stelle.",
        )
    unknown = set(categories) - set(SharingCategory.values)
    if not categories or unknown:
        refuse("categories", "Bitte wählen Sie mindestens eine Art von Daten.")
    if not purpose.strip():
        refuse("purpose", "Bitte nennen Sie den Zweck der Weitergabe.")
    if basis == SharingBasis.CONSENT and given_by is None:
        refuse("given_by", "Bitte geben Sie an, wer die Einwilligung erteilt hat.")
    if given_by is not None and given_by.case_id != case.pk:
        refuse("given_by", "Diese Person gehört nicht zu diesem Fall.")
    if given_on > timezone.localdate():
        refuse("given_on", "Das Datum liegt in der Zukunft.")
    if valid_until is not None and valid_until < given_on:
        refuse("valid_until", "„Gültig bis“ liegt vor dem Datum der Erteilung.")
    if errors:
        raise ValidationError(errors)

    sharing = Sharing(
        case=case,
        basis=basis,
        provider=provider,
        recipient=recipient,
        purpose=purpose.strip(),
        given_by=given_by if basis == SharingBasis.CONSENT else None,
        given_on=given_on,
        valid_until=valid_until,
        recorded_by=user,
        **{f"covers_{value}": value in categories for value in SharingCategory.values},
    )
    sharing.full_clean()
    sharing.save()
    audit_record(
        user=user, action=AuditAction.CREATE, obj=sharing, detail="Datenweitergabe erfasst"
    )
    return sharing


IMMEDIATE = "Ein Widerruf gilt sofort; das Datum darf nicht in der Zukunft liegen."


@transaction.atomic
def consent_withdraw(*, user: User, sharing: Sharing, withdrawn_on: datetime.date) -> Sharing:
    """Record the withdrawal of a consent. The consent stays on the record, marked withdrawn;
    from `withdrawn_on` (today at the latest) it covers nothing any more."""
    sharing = Sharing.objects.select_for_update().get(pk=sharing.pk)
    if sharing.basis != SharingBasis.CONSENT:
        raise ValidationError("Nur eine Einwilligung kann widerrufen werden.")
    if sharing.withdrawn_on is not None:
        raise ValidationError(
            f"Diese Einwilligung ist bereits seit {sharing.withdrawn_on:%d.%m.%Y} widerrufen."
        )
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": IMMEDIATE})
    if withdrawn_on < sharing.given_on:
        raise ValidationError(
            {"withdrawn_on": "Der Widerruf liegt vor dem Datum der Einwilligung."}
        )
    sharing.withdrawn_on = withdrawn_on
    sharing.withdrawn_by = user
    sharing.full_clean()
    sharing.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(
        user=user, action=AuditAction.CHANGE, obj=sharing, detail="Einwilligung widerrufen"
    )
    return sharing
