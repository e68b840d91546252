"""A letter batch's combined PDF is a print file, deleted once it has served.

It holds every family's letter of the batch in one file, names and addresses included, so that
a team can print them in one go. Each letter is also a document of its own case, which the
case's retention rules keep and delete; the combined file belongs to no case, and no retention
run would reach it. The nightly task `documents.combined_expire` (CELERY_BEAT_SCHEDULE) deletes
it `LETTER_BATCH_COMBINED_DAYS` after the batch finished and notes the day on the batch, which
the batch page then shows instead of the download.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from documents.models import LetterBatch

logger = logging.getLogger(__name__)


def combined_removal_day(batch: LetterBatch) -> datetime.date | None:
    """The day the batch's combined PDF will be deleted (None: there is none, or not yet
    finished)."""
    if not batch.combined or batch.finished_at is None:
        return None
    kept = datetime.timedelta(days=settings.LETTER_BATCH_COMBINED_DAYS)
    return timezone.localdate(batch.finished_at + kept)


def batches_combined_due(*, now: datetime.datetime | None = None) -> QuerySet[LetterBatch]:
    """Finished batches whose combined PDF has been kept long enough."""
    kept = datetime.timedelta(days=settings.LETTER_BATCH_COMBINED_DAYS)
    cutoff = (now or timezone.now()) - kept
    return (
        LetterBatch.objects.exclude(combined="")
        .filter(finished_at__isnull=False, finished_at__lte=cutoff)
        .order_by("pk")
    )


def batches_combined_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the combined PDFs that are due; returns how many (logged as a number)."""
    removed = 0
    today = timezone.localdate(now) if now else timezone.localdate()
    for batch_id in batches_combined_due(now=now).values_list("pk", flat=True):
        with transaction.atomic():
            batch = LetterBatch.objects.select_for_update().get(pk=batch_id)
            if not batch.combined:  # another run was first
                continue
            name, storage = batch.combined.name, batch.combined.storage
            batch.combined = ""
            batch.combined_removed_on = today
            batch.save(update_fields=["combined", "combined_removed_on"])
            # The file goes once the row no longer points at it; should deleting it fail, the
            # orphan sweep (`documents.orphans`) removes it the next night.
            transaction.on_commit(partial(storage.delete, name))
        removed += 1
    logger.info("letter batches: %d combined PDF(s) deleted", removed)
    return removed
