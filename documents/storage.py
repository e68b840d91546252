"""Where the files of documents are kept: a private store that no public URL points at.

By default a folder below MEDIA_ROOT (`dokumente`, or `SOZIALRAUM_DOCUMENTS_ROOT`), read when
first used so that tests can point MEDIA_ROOT elsewhere. When `SOZIALRAUM_DOCUMENTS_S3_BUCKET`
is set, the storage alias "documents" in `portal/settings.py` names django-storages' S3 backend
instead (any S3-compatible store); files are then still served only through the access-checked
download view, never by a presigned or public URL.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import cached_property


class DocumentFileStorage(FileSystemStorage):
    """Private local files, without public URLs: asking for one is a bug, so it fails loudly."""

    @cached_property
    def base_location(self) -> str:
        root = getattr(settings, "DOCUMENTS_ROOT", "") or ""
        return str(root) if root else os.path.join(settings.MEDIA_ROOT, "dokumente")

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Document files are served through the download view only.")


def document_storage() -> Storage:
    """The storage of document files (the "documents" alias of STORAGES, local by default)."""
    if "documents" not in settings.STORAGES:
        # A settings module without the alias (an older local one) keeps working locally.
        return _local
    return storages["documents"]


_local = DocumentFileStorage()
