"""Writes of the reports app: request a report, queue it, render it, retry it, check on it.

The rules that keep reports from getting lost or doubled:
- A request is stored first; it is handed to the broker only after its transaction commits
  (`transaction.on_commit`), with nothing but its id. If Redis cannot be reached it stays
  "wartend" without a queue time, and `reports_check()` (periodic, and `manage.py reports_check`)
  hands it over later.
- A run claims the request under a row lock with the id of its broker message and a lease that
  outlasts the task's hard time limit. A second message for a request that is finished, failed,
  or held by another live message does nothing; the same message delivered again (its worker
  died, so the broker re-delivered it) takes over at once.
- The PDF is stored under a name derived from the request, inside the final row lock, and only by
  the run that still holds the claim: however many runs there were, there is one file.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from reports.models import ReportRequest, ReportState
from sozialraum.models import Region, User
from sozialraum.plausibility import Checks

logger = logging.getLogger(__name__)

FAILED_MESSAGE = (
    "Der Bericht konnte nicht erstellt werden. Bitte versuchen Sie es erneut; tritt der Fehler "
    "wieder auf, wenden Sie sich bitte an die Administration (Bericht {id})."
)
TIME_LIMIT_MESSAGE = (
    "Die Erstellung hat länger als {minutes} Minuten gedauert und wurde abgebrochen. Bitte "
    "versuchen Sie es erneut, ggf. mit einem kürzeren Zeitraum oder weniger Regionen."
)
ATTEMPTS_MESSAGE = (
    "Die Erstellung wurde {attempts}-mal unterbrochen (z. B. durch einen Neustart des "
    "Hintergrunddienstes) und deshalb angehalten. Bitte versuchen Sie es erneut."
)


def lease_seconds() -> int:
    """How long a claim holds: the task's hard time limit plus a margin. After that the run that
    held it is certainly over (finished, failed or killed)."""
    return settings.REPORT_TIME_LIMIT + 60


# Requesting and queueing -----------------------------------------------------------------------


# The longest title the committee report's cover and page heads can carry on one line.
REPORT_TITLE_MAX_LENGTH = 120


def report_request(
    *,
    user: User,
    period_start: datetime.date,
    period_end: datetime.date,
    regions: Iterable[Region],
    title: str = "",
) -> ReportRequest:
    """Store a report request and queue it once the surrounding transaction has committed."""
    regions = list(regions)
    checks = Checks()
    if not regions:
        checks.refuse("regions", "Bitte wählen Sie mindestens eine Region.")
    # A longer title runs off the PDF's pages: refused, never cut silently.
    checks.max_length("title", title.strip(), REPORT_TITLE_MAX_LENGTH, label="Der Titel")
    checks.raise_if_any()
    with transaction.atomic():
        report = ReportRequest(
            period_start=period_start,
            period_end=period_end,
            requested_by=user,
            title=title.strip() or ReportRequest._meta.get_field("title").default,
        )
        report.full_clean()
        report.save()
        report.regions.set(regions)
        report_id = report.pk
        # Never before the commit: a worker must find the row, and a rolled-back request must
        # not be rendered at all.
        transaction.on_commit(lambda: report_enqueue(report_id))
    logger.info("report %s requested by user %s", report.pk, user.pk)
    return report


def report_enqueue(report_id: int) -> bool:
    """Hand a request to the broker. False (and the request stays waiting) if it is down."""
    from reports.tasks import report_render  # tasks import this module

    try:
        report_render.apply_async(args=(report_id,), retry=False)
    except Exception as problem:  # kombu, redis and socket errors alike: the broker is away
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise  # in-process there is no broker to be away: this is a real bug
        logger.warning(
            "report %s: broker unreachable (%s), left waiting", report_id, type(problem).__name__
        )
        return False
    ReportRequest.objects.filter(pk=report_id, state=ReportState.WAITING).update(
        queued_at=timezone.now()
    )
    return True


@transaction.atomic
def report_retry(*, user: User, report: ReportRequest) -> ReportRequest:
    """Start a failed report again, from the beginning."""
    report = ReportRequest.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.FAILED:
        raise ValidationError("Nur ein fehlgeschlagener Bericht kann erneut gestartet werden.")
    report.state = ReportState.WAITING
    report.attempts = 0
    report.progress = 0
    report.step = ""
    report.error = ""
    report.queued_at = None
    report.task_id = ""
    report.lease_until = None
    report.save()
    report_id = report.pk
    transaction.on_commit(lambda: report_enqueue(report_id))
    logger.info("report %s retried by user %s", report.pk, user.pk)
    return report


# Rendering ---------------------------------------------------------------------------------------


def _claim(report_id: int, task_id: str) -> ReportRequest | None:
    """Take the request for this run, or None when there is nothing (more) to do."""
    with transaction.atomic():
        report = ReportRequest.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            logger.warning("report %s: no such request, message dropped", report_id)
            return None
        now = timezone.now()
        if report.state in (ReportState.DONE, ReportState.FAILED):
            logger.info("report %s: already %s, nothing to do", report_id, report.state)
            return None
        held_elsewhere = (
            report.state == ReportState.RUNNING
            and report.task_id != task_id
            and report.lease_until is not None
            and report.lease_until > now
        )
        if held_elsewhere:
            # Another message holds it; if its worker dies, the broker re-delivers that message.
            logger.info("report %s: held by another run, duplicate message dropped", report_id)
            return None
        if report.attempts >= settings.REPORT_MAX_ATTEMPTS:
            report.state, report.error = (
                ReportState.FAILED,
                ATTEMPTS_MESSAGE.format(attempts=report.attempts),
            )
            report.lease_until = None
            report.save(update_fields=["state", "error", "lease_until"])
            logger.error("report %s: given up after %s attempts", report_id, report.attempts)
            return None
        if report.state == ReportState.RUNNING:
            logger.warning("report %s: taking over after an interrupted run", report_id)
        report.state = ReportState.RUNNING
        report.task_id = task_id
        report.attempts += 1
        report.lease_until = now + datetime.timedelta(seconds=lease_seconds())
        report.started_at = now
        report.progress, report.step = 1, "Der Bericht wird vorbereitet"
        report.error = ""
        report.save()
        return report


def _progress(report: ReportRequest, percent: int, step: str) -> None:
    # Outside any transaction, so the status page sees it at once; only while we hold the claim.
    ReportRequest.objects.filter(
        pk=report.pk, state=ReportState.RUNNING, task_id=report.task_id
    ).update(progress=percent, step=step)


def _fail(report: ReportRequest, message: str) -> None:
    ReportRequest.objects.filter(
        pk=report.pk, state=ReportState.RUNNING, task_id=report.task_id
    ).update(
        state=ReportState.FAILED,
        error=message,
        step="",
        lease_until=None,
        finished_at=timezone.now(),
    )


@dataclass(frozen=True)
class RenderOutcome:
    rendered: bool
    reason: str = ""


def report_render(*, report_id: int, task_id: str) -> RenderOutcome:
    """Build the figures, lay out the PDF and store it: the body of the Celery task."""
    from celery.exceptions import SoftTimeLimitExceeded

    from reports.rendering import report_pdf  # loads WeasyPrint
    from reports.selectors import report_content

    report = _claim(report_id, task_id)
    if report is None:
        return RenderOutcome(False, "nothing to do")
    logger.info("report %s: rendering (attempt %s)", report.pk, report.attempts)
    try:
        data_as_of = timezone.now()
        build = report_content(
            start=report.period_start,
            end=report.period_end,
            regions=list(report.regions.all()),
            title=report.title,
            office=settings.OFFICE_NAME,
            data_as_of=timezone.localtime(data_as_of),
            progress=lambda percent, step: _progress(report, percent, step),
        )
        _progress(report, 65, "Das PDF wird gesetzt")
        rendered = report_pdf(build.content, map_html=build.map_html)
        _progress(report, 95, "Der Bericht wird gespeichert")
    except SoftTimeLimitExceeded:
        logger.error("report %s: soft time limit reached", report.pk)
        _fail(report, TIME_LIMIT_MESSAGE.format(minutes=settings.REPORT_TIME_LIMIT // 60 or 1))
        return RenderOutcome(False, "time limit")
    except Exception:
        logger.exception("report %s: rendering failed", report.pk)
        _fail(report, FAILED_MESSAGE.format(id=report.pk))
        return RenderOutcome(False, "error")
    return _store(report, build.content, rendered, data_as_of)


def _store(report: ReportRequest, content: dict, rendered, data_as_of) -> RenderOutcome:
    with transaction.atomic():
        current = ReportRequest.objects.select_for_update().get(pk=report.pk)
        if current.state != ReportState.RUNNING or current.task_id != report.task_id:
            logger.warning("report %s: claim lost to another run, result discarded", report.pk)
            return RenderOutcome(False, "superseded")
        # One name per request: a run that died after writing left this very file, and the
        # storage overwrites it instead of adding a second.
        current.pdf.save(f"{current.public_id}.pdf", ContentFile(rendered.data), save=False)
        current.state = ReportState.DONE
        current.progress, current.step = 100, ""
        current.content = content
        current.data_as_of = data_as_of
        current.pdf_size = len(rendered.data)
        current.page_count = rendered.page_count
        current.finished_at = timezone.now()
        current.lease_until = None
        current.save()
    logger.info("report %s: done, %s pages", report.pk, rendered.page_count)
    return RenderOutcome(True, "done")


# The periodic check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    queued: int
    stuck: int
    failed: int


def reports_check(now: datetime.datetime | None = None) -> CheckResult:
    """Queue what never reached the broker (or was lost there), and deal with stuck runs.

    - waiting without a queue time (Redis was down), or queued longer ago than a run may take
      (the message was lost, e.g. Redis restarted without persistence): queue again; a duplicate
      message is harmless, see `_claim`.
    - running with an expired lease: the run is over without a result (its worker was killed
      and the broker has not yet re-delivered): back to waiting and queued, or failed after
      REPORT_MAX_ATTEMPTS.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=lease_seconds())
    stuck_ids, failed = [], 0
    with transaction.atomic():
        for report in ReportRequest.objects.select_for_update(skip_locked=True).filter(
            state=ReportState.RUNNING, lease_until__lt=now
        ):
            if report.attempts >= settings.REPORT_MAX_ATTEMPTS:
                report.state = ReportState.FAILED
                report.error = ATTEMPTS_MESSAGE.format(attempts=report.attempts)
                failed += 1
            else:
                report.state = ReportState.WAITING
                report.step = "Nach einer Unterbrechung erneut eingereiht"
                report.queued_at = None
                stuck_ids.append(report.pk)
            report.task_id, report.lease_until = "", None
            report.save(
                update_fields=["state", "error", "step", "queued_at", "task_id", "lease_until"]
            )
            logger.warning("report %s: stuck run found (attempt %s)", report.pk, report.attempts)
    waiting = list(
        ReportRequest.objects.filter(state=ReportState.WAITING)
        .exclude(queued_at__gte=stale)
        .values_list("pk", flat=True)
    )
    queued = sum(report_enqueue(pk) for pk in waiting)
    return CheckResult(queued=queued, stuck=len(stuck_ids), failed=failed)
