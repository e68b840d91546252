"""Files in the document storage that no row points at, removed after a day.

A document's file is written before its row (`services.document_store`), so that a row never
points at a missing file. If an outer transaction rolls back after that, the row is gone and
the file stays: Sozialdaten that no page can serve, but that no retention run would ever delete
either. The nightly sweep (`documents.orphans_remove`, CELERY_BEAT_SCHEDULE) removes such files
once they are older than `ORPHAN_AGE`, which leaves an upload still in its transaction alone.
"""

import datetime
import logging
from collections.abc import Iterator

from django.core.files.storage import Storage
from django.utils import timezone

from documents.models import Document, LetterBatch
from documents.storage import document_storage

logger = logging.getLogger(__name__)
ORPHAN_AGE = datetime.timedelta(days=1)


def _stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _stored_names(storage, f"{folder}/{directory}" if folder else directory)


def document_files_orphaned(*, now: datetime.datetime | None = None) -> list[str]:
    """Names of stored files that neither a document nor a letter batch points at and that
    are older than `ORPHAN_AGE`."""
    storage = document_storage()
    try:
        stored = list(_stored_names(storage))
    except FileNotFoundError:  # nothing was ever stored
        return []
    referenced = set(Document.objects.values_list("file", flat=True))
    referenced |= set(LetterBatch.objects.exclude(combined="").values_list("combined", flat=True))
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    return [
        name
        for name in stored
        if name not in referenced and storage.get_modified_time(name) < cutoff
    ]


def document_files_orphans_remove(*, now: datetime.datetime | None = None) -> int:
    """Delete the orphaned files; returns how many (logged as a number, never by name)."""
    storage = document_storage()
    names = document_files_orphaned(now=now)
    for name in names:
        storage.delete(name)
    logger.info("document storage: %d orphaned file(s) removed", len(names))
    return len(names)
