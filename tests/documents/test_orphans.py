"""A document whose transaction rolls back leaves its file behind (the file is written first);
the nightly sweep removes such files a day later and nothing that a row points at."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction

from documents.models import Document
from documents.orphans import document_files_orphans_remove
from documents.tasks import orphans_remove
from tests.documents.conftest import stored_files

pytestmark = pytest.mark.django_db
DAYS = datetime.timedelta(days=2)


class Rollback(Exception):
    pass


def test_a_rolled_back_documents_file_is_removed_a_day_later(stored, case_nord):
    kept = stored(case_nord, title="Bericht, bleibt")
    with pytest.raises(Rollback), transaction.atomic():
        stored(case_nord, title="Bericht, zurückgerollt")
        raise Rollback
    assert Document.objects.filter(case=case_nord).count() == 1
    files = stored_files()
    assert len(files) == 2  # the rolled-back document's file is still there
    orphan = next(name for name in files if name != kept.file.name)

    # Not on the same day: an upload may still be in its transaction.
    assert document_files_orphans_remove() == 0
    assert orphan in stored_files()

    later = datetime.datetime.now(tz=datetime.UTC) + DAYS
    assert document_files_orphans_remove(now=later) == 1
    assert stored_files() == [kept.file.name]
    with kept.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")


def test_the_sweep_is_scheduled_nightly_and_runs_as_a_task(stored, case_nord):
    assert any(
        entry["task"] == "documents.orphans_remove"
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )
    kept = stored(case_nord)
    assert orphans_remove.apply().get() == 0  # as the worker runs it, here in-process
    assert stored_files() == [kept.file.name]


def test_an_empty_storage_is_no_error():
    assert document_files_orphans_remove() == 0
