"""Where finished instance archives are kept: `MEDIA_ROOT/exporte`, without public URLs."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class ExportStorage(FileSystemStorage):
    """Archives are served only through the access-checked, audited download view."""

    @cached_property
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, "exporte")

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Export archives are served through the download view only.")


_storage = ExportStorage()


def export_storage() -> ExportStorage:
    return _storage
