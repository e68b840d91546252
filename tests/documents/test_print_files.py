"""A letter batch's combined PDF holds every family's letter of the batch; it is a print file,
deleted LETTER_BATCH_COMBINED_DAYS after the batch finished, while each letter stays in its case
file. The batch page says when, before and after."""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from documents.letters_schema import LetterKind
from documents.models import BatchState, LetterBatch
from documents.print_files import batches_combined_expire
from documents.tasks import combined_expire
from tests.documents.conftest import make_pdf, stored_files

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def batch(users):
    """A finished batch of the team lead with a combined PDF, finished now."""
    batch = LetterBatch.objects.create(
        kind=LetterKind.INVITATION,
        requested_by=users["team_lead"],
        with_combined=True,
        state=BatchState.DONE,
        total=2,
        made=2,
        progress=100,
        finished_at=timezone.now(),
    )
    batch.combined.save("sammel.pdf", ContentFile(make_pdf(2)), save=True)
    return batch


def _page(client, batch) -> str:
    return " ".join(
        client.get(reverse("documents:letter_batch", args=[batch.pk])).content.decode().split()
    )


def test_the_combined_pdf_is_deleted_after_its_days_and_the_page_says_so(
    client, users, batch, django_capture_on_commit_callbacks
):
    days = settings.LETTER_BATCH_COMBINED_DAYS
    file_name = batch.combined.name
    client.force_login(users["team_lead"])
    download = reverse("documents:letter_batch_download", args=[batch.pk])
    removal = timezone.localdate(batch.finished_at + days * DAY)
    assert f"wird am {removal:%d.%m.%Y} gelöscht ({days} Tage nach der Erstellung)" in _page(
        client, batch
    )

    # Not before its days are up.
    with django_capture_on_commit_callbacks(execute=True):
        assert batches_combined_expire(now=batch.finished_at + (days - 1) * DAY) == 0
    assert file_name in stored_files()
    assert client.get(download).status_code == 200

    later = batch.finished_at + days * DAY + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert batches_combined_expire(now=later) == 1
    batch.refresh_from_db()
    assert file_name not in stored_files()
    assert (batch.combined.name, batch.combined_removed_on) == ("", timezone.localdate(later))
    page = _page(client, batch)
    assert f"Das Sammel-PDF wurde am {timezone.localdate(later):%d.%m.%Y} gelöscht" in page
    assert "Sammel-PDF zum Drucken herunterladen" not in page
    assert client.get(download).status_code == 404
    # A second run finds nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert batches_combined_expire(now=later + DAY) == 0


def test_an_unfinished_batch_and_one_without_combined_pdf_are_left_alone(
    users, batch, django_capture_on_commit_callbacks
):
    running = LetterBatch.objects.create(
        kind=LetterKind.INVITATION, requested_by=users["team_lead"], state=BatchState.RUNNING
    )
    running.combined.save("laufend.pdf", ContentFile(make_pdf()), save=True)
    plain = LetterBatch.objects.create(
        kind=LetterKind.INVITATION,
        requested_by=users["team_lead"],
        state=BatchState.DONE,
        finished_at=batch.finished_at,
    )
    much_later = timezone.now() + 365 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        assert batches_combined_expire(now=much_later) == 1  # only `batch`
    running.refresh_from_db()
    plain.refresh_from_db()
    assert running.combined.name in stored_files()
    assert running.combined_removed_on is None and plain.combined_removed_on is None


def test_the_deletion_runs_nightly_as_a_task(batch, django_capture_on_commit_callbacks):
    schedule = settings.CELERY_BEAT_SCHEDULE["documents-combined-expire"]
    assert schedule["task"] == "documents.combined_expire"
    assert combined_expire.name == "documents.combined_expire"
    with django_capture_on_commit_callbacks(execute=True):
        assert combined_expire() == 0  # today the batch is still within its days
    batch.refresh_from_db()
    assert batch.combined
