"""Background tasks of the privacy app: ids only, never data."""

from celery import shared_task

from privacy.models import RunStatus, RunTrigger
from privacy.services import retention_run_create, retention_run_execute


@shared_task(name="privacy.retention_run")
def retention_run_task(run_id: int) -> str:
    """A run queued from the portal."""
    return retention_run_execute(run_id=run_id).status


@shared_task(name="privacy.retention_run_scheduled")
def retention_run_scheduled() -> int:
    """The nightly run (CELERY_BEAT_SCHEDULE): anonymise or delete what is due, store a report."""
    run = retention_run_execute(run_id=retention_run_create(trigger=RunTrigger.SCHEDULE).pk)
    if run.status == RunStatus.FAILED:
        # Raise so the worker's monitoring sees it; the report is stored either way.
        raise RuntimeError(f"retention run {run.pk} failed")
    return run.pk
