"""Celery tasks of the reports app: thin wrappers around `reports.services`, ids only."""

from celery import shared_task
from django.conf import settings

from reports import services


@shared_task(
    bind=True,
    name="reports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # The soft limit lets the task record a clear failure; the hard one ends a hung worker
    # process. The claim's lease (services.lease_seconds) outlasts both.
    soft_time_limit=settings.REPORT_TIME_LIMIT - min(30, settings.REPORT_TIME_LIMIT // 10),
    time_limit=settings.REPORT_TIME_LIMIT,
)
def report_render(self, report_id: int) -> str:
    """Render one report request (idempotent: a finished request is left alone)."""
    return services.report_render(report_id=report_id, task_id=self.request.id or "").reason


@shared_task(name="reports.check", ignore_result=True)
def reports_check() -> dict:
    """Every minute (celery beat): queue waiting requests, mark stuck ones."""
    result = services.reports_check()
    return {"queued": result.queued, "stuck": result.stuck, "failed": result.failed}
