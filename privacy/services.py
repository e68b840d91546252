"""Writes of the privacy app: retention classes, legal holds, the retention job, and the audit
of subject access exports.

The retention job acts case by case: each case (with its notes and assessments) is locked and
handled in its own transaction, and the due rows are read again under the lock. A hold placed
meanwhile locks the same row first, so a held case is never touched, and a second run finds
nothing left to do.
"""

import datetime
import logging
from collections.abc import Callable

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction, Case, Person
from privacy.anonymise import (
    case_anonymise,
    notes_anonymise,
    report_requests_delete,
    risk_assessments_anonymise,
    rows_delete,
)
from privacy.models import (
    Action,
    LegalHold,
    RecordType,
    RetentionClass,
    RetentionRun,
    RunStatus,
    RunTrigger,
)
from privacy.rules import RULES, retention_defaults_seed
from privacy.selectors import (
    CASE_TYPES,
    RUN_ORDER,
    Due,
    cases_in_privacy_scope,
    retention_classes,
    retention_due,
)
from sozialraum.models import User

logger = logging.getLogger(__name__)


# --- Retention classes ---------------------------------------------------------------------------


def retention_classes_ensure() -> None:
    """Put back a missing class with its default, not released (as the migrations seed them;
    a test database flush removes them). Classes an office has changed stay as they are."""
    retention_defaults_seed(django_apps, None)


@transaction.atomic
def retention_class_update(
    *,
    retention_class: RetentionClass,
    by: User,
    period_years: int,
    period_months: int,
    anchor: str,
    action: str,
    is_active: bool,
    legal_basis: str,
) -> RetentionClass:
    """Change a class; the start point and action must fit the record type."""
    rule = RULES[retention_class.record_type]
    errors = {}
    if anchor not in rule.anchors:
        errors["anchor"] = "Dieser Fristbeginn passt nicht zu dieser Datenart."
    if action not in rule.actions:
        errors["action"] = "Diese Maßnahme ist für diese Datenart nicht vorgesehen."
    if errors:
        raise ValidationError(errors)
    retention_class.period_years = period_years
    retention_class.period_months = period_months
    retention_class.anchor = anchor
    retention_class.action = action
    retention_class.is_active = is_active
    retention_class.legal_basis = legal_basis.strip()
    retention_class.changed_by = by
    retention_class.full_clean()
    retention_class.save()
    return retention_class


# --- Legal holds ---------------------------------------------------------------------------------


@transaction.atomic
def legal_hold_place(*, user: User, case_number: str, reason: str) -> LegalHold:
    """Put a case under legal hold. The case row is locked, as the retention job locks it."""
    case = (
        cases_in_privacy_scope(user)
        .select_for_update()
        .filter(number__iexact=case_number.strip())
        .first()
    )
    if case is None:
        raise ValidationError(
            {"case_number": "Einen Fall mit dieser Nummer gibt es in Ihrer Zuständigkeit nicht."}
        )
    if case.anonymised_at is not None:
        raise ValidationError(
            {"case_number": "Dieser Fall ist schon anonymisiert; eine Sperre schützt nichts mehr."}
        )
    if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
        raise ValidationError({"case_number": "Für diesen Fall besteht bereits eine Löschsperre."})
    hold = LegalHold(case=case, reason=reason.strip(), placed_by=user)
    hold.full_clean()
    hold.save()
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Löschsperre gesetzt")
    return hold


@transaction.atomic
def legal_hold_lift(*, user: User, hold: LegalHold, reason: str) -> LegalHold:
    Case.objects.select_for_update().filter(pk=hold.case_id).first()
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError("Diese Löschsperre ist bereits aufgehoben.")
    hold.lifted_by = user
    hold.lifted_at = timezone.now()
    hold.lift_reason = reason.strip()
    hold.full_clean()
    hold.save()
    audit_record(
        user=user, action=AuditAction.CHANGE, obj=hold.case, detail="Löschsperre aufgehoben"
    )
    return hold


# --- The retention job ---------------------------------------------------------------------------


def retention_run_create(
    *,
    trigger: str,
    by: User | None = None,
    preview: bool = False,
    on_day: datetime.date | None = None,
) -> RetentionRun:
    """A queued run. Only a preview may look at another day than today."""
    today = timezone.localdate()
    if on_day is not None and on_day != today and not preview:
        raise ValidationError("Nur eine Vorschau kann für einen anderen Tag als heute laufen.")
    return RetentionRun.objects.create(
        trigger=trigger, started_by=by, is_preview=preview, on_day=on_day or today
    )


def retention_run_start(*, by: User, preview: bool) -> RetentionRun:
    """Queue a run from the portal; the worker (or, without a broker, this process) runs it
    after the commit."""
    from privacy.tasks import retention_run_task

    with transaction.atomic():
        run = retention_run_create(trigger=RunTrigger.PORTAL, by=by, preview=preview)
        transaction.on_commit(lambda: retention_run_task.delay(run.pk))
    return run


def _per_case(due: Due, act: Callable[[QuerySet], int]) -> int:
    """Act on the due rows one case at a time, re-reading them with the case locked."""
    done = 0
    case_ids = list(due.rows.order_by().values_list(due.case_field, flat=True).distinct())
    for case_id in sorted(case_ids):
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=case_id).first()
            done += act(due.rows.filter(**{due.case_field: case_id}))
    return done


def _at_once(due: Due, act: Callable[[QuerySet], int]) -> int:
    """Rows outside any case (report files): one transaction; no hold can apply to them."""
    with transaction.atomic():
        return act(due.rows)


def _cases_anonymise(cases: QuerySet[Case]) -> int:
    at = timezone.now()
    count = 0
    for case in cases:
        case_anonymise(case=case, at=at)
        count += 1
    return count


_ACTS: dict[tuple[str, str], Callable[[QuerySet], int]] = {
    **{(t, Action.ANONYMISE): _cases_anonymise for t in CASE_TYPES},
    (RecordType.NOTE, Action.ANONYMISE): notes_anonymise,
    (RecordType.NOTE, Action.DELETE): rows_delete,
    (RecordType.RISK_ASSESSMENT, Action.ANONYMISE): risk_assessments_anonymise,
    (RecordType.RISK_ASSESSMENT, Action.DELETE): rows_delete,
    (RecordType.REPORT_FILE, Action.DELETE): report_requests_delete,
}


def _retention_apply(*, on_day: datetime.date, preview: bool, results: list[dict]) -> None:
    classes = retention_classes()
    for record_type in RUN_ORDER:
        retention_class = classes.get(record_type)
        if retention_class is None:
            continue
        due = retention_due(retention_class, on_day=on_day, classes=classes)
        to_do = due.rows.count()
        done = 0
        act = _ACTS.get((record_type, retention_class.action))
        if retention_class.is_active and not preview and act is not None:
            done = _per_case(due, act) if due.case_field else _at_once(due, act)
        results.append(
            {
                "record_type": record_type,
                "action": retention_class.action,
                "is_active": retention_class.is_active,
                "cutoff": due.cutoff.isoformat(),
                "due": to_do,
                "held": due.held,
                "done": done,
            }
        )


def retention_run_execute(*, run_id: int) -> RetentionRun:
    """Run a queued run and store its report. A run delivered twice runs once."""
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update().get(pk=run_id)
        if run.status != RunStatus.QUEUED:
            return run
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    results: list[dict] = []
    try:
        _retention_apply(on_day=run.on_day, preview=run.is_preview, results=results)
    except Exception as error:
        # The class name only: a database error's message can quote the data it choked on.
        logger.error("retention run %s failed: %s", run.pk, type(error).__name__)
        run.status, run.error = RunStatus.FAILED, type(error).__name__[:120]
    else:
        run.status = RunStatus.DONE
        logger.info(
            "retention run %s done: %s",
            run.pk,
            ", ".join(f"{r['record_type']}={r['done']}" for r in results),
        )
    run.results = results
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "results", "finished_at"])
    return run


# --- Subject access ------------------------------------------------------------------------------


@transaction.atomic
def subject_access_export_audit(*, user: User, persons: list[Person]) -> None:
    """One audit entry per person record handed out: who exported which record, never a name."""
    for person in persons:
        audit_record(
            user=user, action=AuditAction.EXPORT, obj=person, detail="Auskunft Art. 15 DSGVO"
        )


@transaction.atomic
def subject_search_audit(*, user: User, persons: list[Person]) -> None:
    """The search shows names and birth dates of matches: that is a view of each record."""
    for person in persons:
        audit_record(user=user, action=AuditAction.VIEW, obj=person, detail="Auskunft: Suchtreffer")
