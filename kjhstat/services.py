"""Writes of the KJH statistics: requesting and building delivery files, the audit of the
statistics pages, the administrator's Teil IV mapping."""

import csv
import hashlib
import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.models import AuditAction, AuditEntry
from kjhstat.models import Delivery, DeliveryState, SpendingMapping, SpendingPosition
from kjhstat.selectors import FIRST_YEAR, survey_get, year_is_open
from kjhstat.survey import SURVEYS, Survey, YearResult, survey_walk
from sozialraum.models import User

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000  # rows between two progress updates


def statistics_audit(*, user: User, survey_key: str, year: int, detail: str) -> None:
    """One audit entry for reading the statistics of a year: the page shows case numbers in the
    plausibility report. Object = the reporting year; `detail` a fixed label."""
    AuditEntry.objects.create(
        user=user,
        action=AuditAction.VIEW,
        object_type="kjhstatistik",
        object_id=year,
        detail=f"KJH-Statistik {survey_key}: {detail}"[:80],
    )


def delivery_enqueue(delivery_id: int) -> None:
    from kjhstat.tasks import delivery_build_task  # the task module imports this one

    try:
        delivery_build_task.apply_async(args=(delivery_id,), retry=False)
    except OperationalError:
        # No broker: the request stays "wartet"; asking again starts it.
        logger.warning("KJH delivery %s could not be queued", delivery_id)


@transaction.atomic
def delivery_request(*, user: User, survey_key: str, year: int) -> Delivery:
    """Ask for a delivery file of one survey and year; built in the background after commit.
    A year not yet ended gives a preview, marked in the file name."""
    if survey_key not in SURVEYS:
        raise ValidationError({"survey": "Diese Erhebung gibt es nicht."})
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": f"Bitte wählen Sie ein Berichtsjahr zwischen {FIRST_YEAR} und {today.year}."}
        )
    delivery = Delivery(
        survey=survey_key, year=year, is_preview=year_is_open(year, today), requested_by=user
    )
    delivery.full_clean()
    delivery.save()
    delivery_id = delivery.pk
    transaction.on_commit(lambda: delivery_enqueue(delivery_id))
    return delivery


def delivery_with_report(
    *, survey: Survey, year: int, progress=None, report: bool = True
) -> tuple[bytes, YearResult]:
    """The delivery file, and from the same one read of the records the tables and the
    plausibility findings (kjhstat.survey.survey_walk). The file: CSV, `;`-separated, UTF-8,
    CRLF, a header of the column keys, one line per record in the survey's stable order, each
    written as it is read. Nothing in it depends on when it is built, so the same data give the
    same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    keys = [column.key for column in survey.columns]
    writer.writerow(keys)
    count = 0

    def write(row: dict[str, str]) -> None:
        nonlocal count
        writer.writerow([row.get(key, "") for key in keys])
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)

    result = survey_walk(survey=survey, year=year, on_row=write, report=report)
    return buffer.getvalue().encode("utf-8"), result


def delivery_content(*, survey: Survey, year: int, progress=None) -> tuple[bytes, int]:
    """The delivery file alone (see `delivery_with_report`) and its number of records."""
    content, result = delivery_with_report(
        survey=survey, year=year, progress=progress, report=False
    )
    return content, result.count


def _set(delivery_id: int, **fields) -> None:
    Delivery.objects.filter(pk=delivery_id).update(**fields)


def delivery_build(*, delivery_id: int) -> Delivery:
    """Build one requested delivery file (the Celery task's body). Idempotent: a finished file is
    left alone. Progress is written as it goes, so the page can follow it."""
    delivery = Delivery.objects.get(pk=delivery_id)
    if delivery.state == DeliveryState.DONE:
        return delivery
    survey = survey_get(delivery.survey)
    _set(delivery_id, state=DeliveryState.RUNNING, progress=5, step="Datensätze werden gelesen")

    def progress(count: int) -> None:
        _set(delivery_id, progress=50, step=f"{count} Datensätze geschrieben")

    try:
        content, count = delivery_content(survey=survey, year=delivery.year, progress=progress)
        _set(delivery_id, progress=90, step="Datei wird gespeichert")
        delivery.refresh_from_db()
        delivery.file.save(
            f"{delivery.survey}/{delivery.public_id}.csv", ContentFile(content), save=False
        )
        delivery.record_count = count
        delivery.sha256 = hashlib.sha256(content).hexdigest()
        delivery.state = DeliveryState.DONE
        delivery.progress = 100
        delivery.step = "fertig"
        delivery.finished_at = timezone.now()
        delivery.save()
    except Exception as error:
        logger.exception("KJH delivery %s failed", delivery_id)
        _set(
            delivery_id,
            state=DeliveryState.FAILED,
            error=f"Die Datei konnte nicht erstellt werden ({type(error).__name__}).",
        )
        delivery.refresh_from_db()
    return delivery


@transaction.atomic
def spending_mapping_set(*, user: User, source: str, position: str, note: str = "") -> None:
    """Set which Teil IV position a kind of spending is reported under."""
    if position not in SpendingPosition.values:
        raise ValidationError({"position": "Diese Position gibt es in Teil IV nicht."})
    source = source.strip()
    if not source:
        raise ValidationError({"source": "Bitte geben Sie die Kostenart an."})
    SpendingMapping.objects.update_or_create(
        source=source, defaults={"position": position, "note": note.strip(), "changed_by": user}
    )
