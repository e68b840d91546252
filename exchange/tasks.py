"""Celery tasks of the exchange app: thin wrappers around `exchange.services`, ids only."""

from celery import shared_task

from exchange import services


@shared_task(name="exchange.export_run", acks_late=True, ignore_result=True)
def export_run(export_id: int) -> str:
    return services.export_run(export_id=export_id).state
