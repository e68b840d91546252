"""Celery tasks of the KJH statistics: thin wrappers around `kjhstat.services`, ids only."""

from celery import shared_task

from kjhstat import services


@shared_task(
    name="kjhstat.delivery_build",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=540,
    time_limit=600,
)
def delivery_build_task(delivery_id: int) -> str:
    """Build one requested delivery file (idempotent: a finished one is left alone)."""
    return services.delivery_build(delivery_id=delivery_id).state
