"""Berichtigung of case records: helps, commissions, help plan reviews, § 8a, notes; and the
withdrawal of a case created by mistake.

A case file is a legal record: nothing is overwritten silently. Each service here checks who
may correct (`correction_refusal_for`: the author within `SOZIALRAUM_CORRECTION_DAYS`, the team
lead of the case's region always), validates, keeps the earlier values in a
`corrections.Correction`, saves and audits — in one transaction. A help's or a commission's
cost moves money, so their views call `budgets.corrections`, which wraps the casework half here
with the ledger's reversal and new booking.
"""

import datetime
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_record
from cases.models import (
    Assignment,
    AuditAction,
    Case,
    CaseStatusChange,
    Help,
    HelpPlanReview,
    Note,
    NoteKind,
    RiskAssessment,
)
from cases.permissions import deputy_acting_for, region_of_asd
from cases.services import help_checks
from corrections.models import Correction, CorrectionKind
from corrections.selectors import (
    CorrectionState,
    correction_state,
    corrections_of,
    record_key,
)
from corrections.services import (
    correction_record,
    correction_refusal,
    reason_clean,
    record_snapshot,
)
from sozialraum.models import Role, User
from sozialraum.plausibility import Checks, date_de

WITHDRAW_REASON_MISSING = (
    "Bitte geben Sie den Grund der Rücknahme an (z. B. „irrtümlich angelegt“)."
)

CorrectableRecord = Help | Assignment | HelpPlanReview | RiskAssessment | Note


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def record_author(record: CorrectableRecord) -> tuple[int | None, datetime.date | None]:
    """Who recorded it and on which day: the start of the author's correction period."""
    if isinstance(record, Help):
        return record.decided_by_id, _local_day(record.decided_at)
    if isinstance(record, Assignment):
        return record.commissioned_by_id, _local_day(record.commissioned_at)
    if isinstance(record, HelpPlanReview):
        # A review keeps no time of recording; the day it was held starts the period.
        return record.recorded_by_id, record.held_on
    if isinstance(record, RiskAssessment):
        return record.assessed_by_id, _local_day(record.assessed_at)
    return record.author_id, _local_day(record.created_at)


def is_team_lead_of_case(user: User, case: Case) -> bool:
    return user.effective_role == Role.TEAM_LEAD and region_of_asd(user) == case.region_id


def correction_refusal_for(
    user: User, record: CorrectableRecord, *, acting_for: int | bool | None = False
) -> str | None:
    """Why the user may not correct this record of a case they can see, or None.

    A deputy corrects what the absent caseworker she covers wrote, as that caseworker could
    (`acting_for`: the covered person's id as `deputy_acting_for` gives it; left out, it is
    asked here).
    """
    if isinstance(record, HelpPlanReview) and record.held_on is None:
        return "Ein Gespräch, das noch nicht stattgefunden hat, wird erfasst, nicht berichtigt."
    author_id, recorded_on = record_author(record)
    if author_id is not None and author_id != user.pk:
        if acting_for is False:
            acting_for = deputy_acting_for(user, record.case)
        if acting_for == author_id:
            author_id = user.pk
    return correction_refusal(
        user=user,
        author_id=author_id,
        recorded_on=recorded_on,
        is_team_lead=is_team_lead_of_case(user, record.case),
    )


def correction_require(user: User, record: CorrectableRecord) -> None:
    """403 with the reason when the user may not correct the record (views and services)."""
    refusal = correction_refusal_for(user, record)
    if refusal:
        raise PermissionDenied(refusal)


def _save_corrected(
    *, user: User, record: models.Model, before: dict, reason: str, detail: str
) -> Correction:
    record.full_clean()
    record.save()
    correction = correction_record(user=user, record=record, before=before, reason=reason)
    audit_record(user=user, action=AuditAction.CHANGE, obj=record, detail=f"{detail} berichtigt")
    return correction


@transaction.atomic
def note_correct(*, user: User, note: Note, text: str, internal: bool, reason: str) -> Correction:
    """Correct a note's text (and, for the ASD's own notes, whether it is internal)."""
    correction_require(user, note)
    reason = reason_clean(reason)
    note = Note.objects.select_for_update().get(pk=note.pk)
    if not text.strip():
        raise ValidationError({"text": "Bitte schreiben Sie einen Text."})
    before = record_snapshot(note)
    note.text = text.strip()
    if note.kind == NoteKind.ASD:
        note.internal = internal
    return _save_corrected(user=user, record=note, before=before, reason=reason, detail="Vermerk")


@transaction.atomic
def help_correct_record(
    *,
    user: User,
    help_: Help,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    hours_per_week: Decimal | None,
    monthly_cost: Decimal | None,
    placement_location: str,
    rationale: str,
    reason: str,
    confirmed_warnings: bool = False,
) -> Correction:
    """The casework half of correcting a decided help: its scope, dates and rationale.

    Its help type stays (another help type is another decision). Views call
    `budgets.corrections.help_correct`, which re-books the money of its commissions.
    """
    correction_require(user, help_)
    reason = reason_clean(reason)
    help_ = Help.objects.select_for_update().select_related("help_type", "case").get(pk=help_.pk)
    placement = help_.help_type.is_placement
    # The same plausibility rules as the decision (period, hours maximum and warning).
    checks = help_checks(
        case=help_.case,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        hours_per_week=None if placement else hours_per_week,
    )
    if placement:
        if monthly_cost is None or monthly_cost <= 0:
            checks.refuse(
                "monthly_cost", "Bei einer Unterbringung sind die monatlichen Kosten nötig."
            )
        if not placement_location:
            checks.refuse(
                "placement_location", "Bitte geben Sie an, wo das Kind untergebracht ist."
            )
    elif hours_per_week is None or hours_per_week <= 0:
        checks.refuse(
            "hours_per_week", "Bitte geben Sie die Fachleistungsstunden pro Woche an (mehr als 0)."
        )
    if help_.ended_on is not None and help_.ended_on < starts_on:
        checks.refuse("starts_on", "Der Beginn liegt nach dem Ende der Hilfe.")
    checks.raise_if_any(confirmed_warnings=confirmed_warnings)
    before = record_snapshot(help_)
    help_.starts_on, help_.planned_end_on = starts_on, planned_end_on
    help_.hours_per_week = None if placement else hours_per_week
    help_.monthly_cost = monthly_cost if placement else None
    help_.placement_location = placement_location if placement else ""
    help_.rationale = rationale.strip()
    return _save_corrected(user=user, record=help_, before=before, reason=reason, detail="Hilfe")


@transaction.atomic
def assignment_correct_record(
    *,
    user: User,
    assignment: Assignment,
    starts_on: datetime.date,
    ends_on: datetime.date,
    provider_contact: str,
    instructions: str,
    reason: str,
) -> Correction:
    """The casework half of correcting a commission: its period, contact and instructions.

    Views call `budgets.corrections.assignment_correct`, which re-books its commitments.
    """
    correction_require(user, assignment)
    reason = reason_clean(reason)
    assignment = Assignment.objects.select_for_update().select_related("help").get(pk=assignment.pk)
    help_ = assignment.help
    # The commissioning's rules: inside the help's period (sozialraum.plausibility).
    checks = Checks()
    if ends_on < starts_on:
        checks.refuse("ends_on", "Das Ende liegt vor dem Beginn.")
    checks.not_before(
        "starts_on",
        starts_on,
        help_.starts_on,
        what="Der Beginn des Auftrags",
        earliest_what="dem Beginn der Hilfe",
    )
    if ends_on > help_.planned_end_on:
        checks.refuse(
            "ends_on",
            f"Das Ende des Auftrags ({date_de(ends_on)}) liegt nach dem geplanten Ende der Hilfe "
            f"({date_de(help_.planned_end_on)}). Berichtigen Sie zuerst die Hilfe.",
        )
    if assignment.ended_on is not None and assignment.ended_on < starts_on:
        checks.refuse("starts_on", "Der Beginn liegt nach dem Ende der Beauftragung.")
    checks.raise_if_any()
    before = record_snapshot(assignment)
    assignment.starts_on, assignment.ends_on = starts_on, ends_on
    assignment.provider_contact = provider_contact.strip()
    assignment.instructions = instructions.strip()
    return _save_corrected(
        user=user, record=assignment, before=before, reason=reason, detail="Falldurchführung"
    )


@transaction.atomic
def review_correct(
    *,
    user: User,
    review: HelpPlanReview,
    held_on: datetime.date,
    participants: str,
    summary: str,
    reason: str,
) -> Correction:
    """Correct the record of a help plan meeting that took place."""
    correction_require(user, review)
    reason = reason_clean(reason)
    review = HelpPlanReview.objects.select_for_update().get(pk=review.pk)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Ein Gespräch in der Zukunft kann nicht erfasst werden."})
    if not summary.strip():
        raise ValidationError({"summary": "Bitte geben Sie das Ergebnis an."})
    before = record_snapshot(review)
    review.held_on, review.participants = held_on, participants.strip()
    review.summary = summary.strip()
    return _save_corrected(
        user=user, record=review, before=before, reason=reason, detail="Hilfeplangespräch"
    )


@transaction.atomic
def risk_correct(*, user: User, assessment: RiskAssessment, facts: str, reason: str) -> Correction:
    """Correct the facts of a § 8a assessment. Its result is a decision of several staff with
    its own steps (cases.services), so a different result is a new assessment, not this."""
    correction_require(user, assessment)
    reason = reason_clean(reason)
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not facts.strip():
        raise ValidationError({"facts": "Bitte beschreiben Sie die Anhaltspunkte."})
    before = record_snapshot(assessment)
    assessment.facts = facts.strip()
    return _save_corrected(
        user=user, record=assessment, before=before, reason=reason, detail="Gefährdungseinschätzung"
    )


def withdraw_refusal(user: User, case: Case) -> str | None:
    """Why the user may not withdraw the case, or None."""
    if not is_team_lead_of_case(user, case):
        return "Einen irrtümlich angelegten Fall nimmt die Teamleitung zurück."
    return None


@transaction.atomic
def case_withdraw_record(*, user: User, case: Case, reason: str) -> Correction:
    """The casework half of withdrawing a case created by mistake: it leaves every list, start
    page and figure (the default manager), and stays for the audit and the retention run.

    Views call `budgets.corrections.case_withdraw`, which first reverses what the case binds.
    """
    refusal = withdraw_refusal(user, case)
    if refusal:
        raise PermissionDenied(refusal)
    reason = reason_clean(reason, message=WITHDRAW_REASON_MISSING)
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = record_snapshot(case)
    case.withdrawn_at, case.withdrawn_by, case.withdrawal_reason = timezone.now(), user, reason
    # The retention run counts its periods from here, as for a closed case (privacy.selectors).
    case.closed_on = case.closed_on or timezone.localdate()
    case.full_clean()
    case.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "closed_on"])
    correction = correction_record(
        user=user, record=case, before=before, reason=reason, kind=CorrectionKind.WITHDRAWAL
    )
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Fall zurückgenommen")
    return correction


def case_correction_states(
    *,
    user: User,
    case: Case,
    records: Sequence[CorrectableRecord],
    acting_for: int | bool | None = False,
) -> dict[str, CorrectionState]:
    """For the case page: per record the link to correct it (or why not) and its history
    (`acting_for` as `deputy_acting_for` gives it when the caller has asked already)."""
    targets: dict[type, tuple[str, Callable[[CorrectableRecord], list[int]]]] = {
        Note: ("cases:note_correct", lambda r: [case.pk, r.pk]),
        HelpPlanReview: ("cases:review_correct", lambda r: [case.pk, r.pk]),
        RiskAssessment: ("cases:risk_correct", lambda r: [case.pk, r.pk]),
        Help: ("budgets:help_correct", lambda r: [case.pk, r.pk]),
        Assignment: ("budgets:assignment_correct", lambda r: [case.pk, r.pk]),
    }
    records = [r for r in records if not (isinstance(r, HelpPlanReview) and r.held_on is None)]
    history = corrections_of(records)
    if acting_for is False:
        acting_for = deputy_acting_for(user, case)
    states = {}
    for record in records:
        record.case = case  # the page's case, already loaded: no query per record
        name, args = targets[type(record)]
        states[record_key(record)] = correction_state(
            record=record,
            url=reverse(name, args=args(record)),
            refusal=correction_refusal_for(user, record, acting_for=acting_for),
            history=history,
        )
    return states


@transaction.atomic
def decision_log(*, user: User, case: Case, text: str) -> CaseStatusChange:
    """Keep a decision that does not change the case's status (e.g. ending one help) with its
    reason in the case's history ("Verlauf")."""
    return CaseStatusChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        reason=text,
        changed_by=user,
        on_behalf_of_id=deputy_acting_for(user, case),
    )


def assignment_correction_states(
    *, user: User, assignment: Assignment, notes: Sequence[Note]
) -> dict[str, CorrectionState]:
    """For the assignment page: the commission's history (and for the ASD the link to correct
    it), and per note the link for its author (provider staff through their assignment) or why
    not, with its history."""
    case = assignment.case
    provider_side = user.effective_role == Role.PROVIDER_STAFF
    history = corrections_of([assignment, *notes])
    acting_for = None if provider_side else deputy_acting_for(user, case)
    if provider_side:
        # The provider reads the commission and its history; correcting it is the ASD's.
        own_state = CorrectionState(history=history.get(record_key(assignment), []))
    else:
        own_state = correction_state(
            record=assignment,
            url=reverse("budgets:assignment_correct", args=[case.pk, assignment.pk]),
            refusal=correction_refusal_for(user, assignment, acting_for=acting_for),
            history=history,
        )
    states = {record_key(assignment): own_state}
    for note in notes:
        note.case = case  # already loaded: no query per note
        url = (
            reverse("cases:assignment_note_correct", args=[assignment.pk, note.pk])
            if provider_side
            else reverse("cases:note_correct", args=[case.pk, note.pk])
        )
        states[record_key(note)] = correction_state(
            record=note,
            url=url,
            refusal=correction_refusal_for(user, note, acting_for=acting_for),
            history=history,
        )
    return states
