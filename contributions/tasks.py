"""Celery tasks of the cost contributions: thin wrappers around the services, no personal data."""

import datetime

from celery import shared_task
from django.utils import timezone

from contributions.services import claims_create_for_month


@shared_task(name="contributions.claims_for_month", acks_late=True, ignore_result=True)
def claims_for_month(year: int, month: int) -> int:
    """Create the claims of a month (idempotent: a re-delivered message creates nothing)."""
    return claims_create_for_month(month=datetime.date(year, month, 1))


@shared_task(name="contributions.claims_for_current_month", ignore_result=True)
def claims_for_current_month() -> int:
    """The nightly run: this month's claims (a new contribution is claimed the night after)."""
    today = timezone.localdate()
    return claims_create_for_month(month=today.replace(day=1))
