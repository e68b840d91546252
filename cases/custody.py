"""§ 42 / § 42a SGB VIII as casework: an Inobhutnahme recorded, corrected and ended.

One `ProtectionMeasure` per child taken into care: who took the child into care and when, who
initiated it and why (the § 42 survey's code lists), where the child was placed, when the
parents were informed and, when they object, when the family court was called (§ 42 Abs. 3);
at the end the day and what followed. A change of what is recorded goes through the correction
rules (author within the correction period, or the region's team lead) with a reason and keeps
the earlier values. The rules are pure functions (`*_errors`) so a form shows every error at once.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.corrections import is_team_lead_of_case
from cases.kjh_items import ResidenceBefore
from cases.kjh_protection_items import (
    UNACCOMPANIED_KINDS,
    ProtectionInitiator,
    ProtectionKind,
    ProtectionOutcome,
    ProtectionPlacement,
    ProtectionReason,
)
from cases.models import AuditAction, Case, Person, PersonRole, ProtectionMeasure, RiskAssessment
from cases.permissions import deputy_acting_for
from corrections.models import Correction
from corrections.services import (
    correction_record,
    correction_refusal,
    reason_clean,
    record_snapshot,
)
from sozialraum.models import User

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


@dataclass(frozen=True)
class CustodyInput:
    """What is known of an Inobhutnahme when it is recorded or corrected."""

    child: Person | None
    kind: str
    started_on: datetime.date | None
    taken_by: str
    initiator: str
    reasons: Sequence[str]
    placement: str
    started_time: datetime.time | None = None
    residence_before: str = ""
    placement_name: str = ""
    parents_informed_on: datetime.date | None = None
    parents_object: bool | None = None
    family_court_on: datetime.date | None = None
    assessment: RiskAssessment | None = None
    ended_on: datetime.date | None = None
    outcome: str = ""


def _date_errors(
    errors: Errors, name: str, day: datetime.date | None, *, start, today, label: str
) -> None:
    if day is None:
        return
    if day > today:
        _add(errors, name, f"{label} liegt in der Zukunft.")
    elif start is not None and day < start:
        _add(errors, name, f"{label} liegt vor dem Beginn der Inobhutnahme.")


def end_errors(
    *,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    outcome: str,
    today: datetime.date,
) -> Errors:
    errors: Errors = {}
    if ended_on is None:
        _add(errors, "ended_on", "Bitte geben Sie an, wann die Inobhutnahme endete.")
    else:
        _date_errors(errors, "ended_on", ended_on, start=started_on, today=today, label="Das Ende")
    if outcome not in ProtectionOutcome.values:
        _add(errors, "outcome", "Bitte wählen Sie, wie die Inobhutnahme endete.")
    return errors


def custody_errors(*, case: Case, data: CustodyInput, today: datetime.date) -> Errors:
    """Every rule of an Inobhutnahme's record, at once."""
    errors: Errors = {}
    child = data.child
    if child is None:
        _add(errors, "child", "Bitte wählen Sie das Kind.")
    elif child.case_id != case.pk or child.role != PersonRole.CHILD:
        _add(errors, "child", "Bitte wählen Sie ein Kind dieses Falls.")
    if data.kind not in ProtectionKind.values:
        _add(errors, "kind", "Bitte wählen Sie die Art der Maßnahme.")
    if data.started_on is None:
        _add(errors, "started_on", "Bitte geben Sie an, wann das Kind in Obhut genommen wurde.")
    elif data.started_on > today:
        _add(errors, "started_on", "Der Beginn liegt in der Zukunft.")
    if not data.taken_by.strip():
        _add(errors, "taken_by", "Bitte nennen Sie, wer das Kind in Obhut genommen hat.")
    if data.initiator not in ProtectionInitiator.values:
        _add(errors, "initiator", "Bitte wählen Sie, wer die Maßnahme angeregt hat.")
    if not data.reasons:
        _add(errors, "reasons", "Bitte wählen Sie mindestens einen Anlass.")
    elif any(code not in ProtectionReason.values for code in data.reasons):
        _add(errors, "reasons", "Bitte wählen Sie die Anlässe aus der Liste.")
    elif data.kind in UNACCOMPANIED_KINDS and ProtectionReason.UNACCOMPANIED not in data.reasons:
        _add(
            errors,
            "reasons",
            "Bei einer Inobhutnahme nach unbegleiteter Einreise gehört der Anlass "
            "„unbegleitete Einreise aus dem Ausland“ dazu.",
        )
    if data.placement not in ProtectionPlacement.values:
        _add(errors, "placement", "Bitte wählen Sie, wo das Kind untergebracht ist.")
    if data.residence_before and data.residence_before not in ResidenceBefore.values:
        _add(errors, "residence_before", "Bitte wählen Sie den Aufenthalt aus der Liste.")
    start = data.started_on
    _date_errors(
        errors,
        "parents_informed_on",
        data.parents_informed_on,
        start=start,
        today=today,
        label="Der Tag der Information der Sorgeberechtigten",
    )
    _date_errors(
        errors,
        "family_court_on",
        data.family_court_on,
        start=start,
        today=today,
        label="Der Tag der Anrufung des Familiengerichts",
    )
    if data.assessment is not None and (
        data.assessment.case_id != case.pk
        or (child is not None and data.assessment.child_id not in (None, child.pk))
    ):
        _add(errors, "assessment", "Die Einschätzung gehört nicht zu diesem Kind.")
    if data.ended_on is not None or data.outcome:
        for name, messages in end_errors(
            started_on=start, ended_on=data.ended_on, outcome=data.outcome, today=today
        ).items():
            errors.setdefault(name, []).extend(messages)
    return errors


def _apply(measure: ProtectionMeasure, data: CustodyInput) -> None:
    assert data.started_on is not None and data.child is not None
    measure.child = data.child
    measure.kind = data.kind
    measure.started_on = data.started_on
    measure.started_time = data.started_time
    measure.taken_by = data.taken_by.strip()
    measure.initiator = data.initiator
    # Stored in the list's order, so the same choice is the same value (corrections compare).
    measure.reasons = [code for code in ProtectionReason.values if code in data.reasons]
    measure.residence_before = data.residence_before
    measure.placement = data.placement
    measure.placement_name = data.placement_name.strip()
    measure.parents_informed_on = data.parents_informed_on
    measure.parents_object = data.parents_object
    measure.family_court_on = data.family_court_on
    measure.assessment = data.assessment


@transaction.atomic
def custody_record(*, user: User, case: Case, data: CustodyInput) -> ProtectionMeasure:
    """Record an Inobhutnahme of a child of the case (§ 42, or § 42a for an unaccompanied
    minor right after entry)."""
    errors = custody_errors(case=case, data=data, today=timezone.localdate())
    if data.ended_on is not None or data.outcome:
        _add(errors, "__all__", "Das Ende wird erfasst, wenn die Inobhutnahme endet.")
    if errors:
        raise ValidationError(errors)
    measure = ProtectionMeasure(case=case, recorded_by=user)
    _apply(measure, data)
    measure.full_clean()
    measure.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=measure, detail="Inobhutnahme § 42")
    return measure


def custody_correction_refusal(*, user: User, measure: ProtectionMeasure) -> str | None:
    """The correction rules of every case record: the author within the correction period (and
    her deputy while covering her), the region's team lead always."""
    author_id = measure.recorded_by_id
    if author_id != user.pk and deputy_acting_for(user, measure.case) == author_id:
        author_id = user.pk
    return correction_refusal(
        user=user,
        author_id=author_id,
        recorded_on=timezone.localdate(measure.recorded_at) if measure.recorded_at else None,
        is_team_lead=is_team_lead_of_case(user, measure.case),
    )


@transaction.atomic
def custody_correct(
    *, user: User, measure: ProtectionMeasure, data: CustodyInput, reason: str
) -> Correction:
    """Correct the record of an Inobhutnahme (also its end, once ended); the earlier values
    stay in the history."""
    refusal = custody_correction_refusal(user=user, measure=measure)
    if refusal:
        raise ValidationError(refusal)
    measure = (
        ProtectionMeasure.objects.select_for_update().select_related("case").get(pk=measure.pk)
    )
    errors = custody_errors(case=measure.case, data=data, today=timezone.localdate())
    if measure.ended_on is None and (data.ended_on is not None or data.outcome):
        _add(errors, "__all__", "Bitte beenden Sie die Inobhutnahme über „Inobhutnahme beenden“.")
    if measure.ended_on is not None and data.ended_on is None:
        _add(errors, "ended_on", "Bitte geben Sie an, wann die Inobhutnahme endete.")
    if errors:
        raise ValidationError(errors)
    reason = reason_clean(reason)
    before = record_snapshot(measure)
    _apply(measure, data)
    if measure.ended_on is not None:
        measure.ended_on, measure.outcome = data.ended_on, data.outcome
    measure.full_clean()
    measure.save()
    correction = correction_record(user=user, record=measure, before=before, reason=reason)
    audit_record(
        user=user, action=AuditAction.CHANGE, obj=measure, detail="Inobhutnahme berichtigt"
    )
    return correction


@transaction.atomic
def custody_end(
    *, user: User, measure: ProtectionMeasure, ended_on: datetime.date | None, outcome: str
) -> ProtectionMeasure:
    """End an Inobhutnahme: the day and what followed (return to the parents, a help, …)."""
    measure = ProtectionMeasure.objects.select_for_update().get(pk=measure.pk)
    if measure.ended_on is not None:
        raise ValidationError("Diese Inobhutnahme ist bereits beendet.")
    errors = end_errors(
        started_on=measure.started_on,
        ended_on=ended_on,
        outcome=outcome,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    measure.ended_on, measure.outcome = ended_on, outcome
    measure.full_clean()
    measure.save(update_fields=["ended_on", "outcome"])
    audit_record(user=user, action=AuditAction.CHANGE, obj=measure, detail="Inobhutnahme beendet")
    return measure
