"""Where finished report PDFs are kept: a private folder that no URL points at.

The PDFs are committee papers, but only planners (and team leads) may fetch them, so they are
served only through the permission-checked download view, never from a public media URL.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """`MEDIA_ROOT/berichte`, without public URLs: asking for one is a bug, so it fails loudly.

    Files are overwritten in place: a report's PDF has one name, whatever runs produced it.
    """

    def __init__(self) -> None:
        super().__init__(allow_overwrite=True)

    @cached_property
    def base_location(self) -> str:
        # Read when first used and again after MEDIA_ROOT changes (tests point it elsewhere).
        return os.path.join(settings.MEDIA_ROOT, "berichte")

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Report files are served through the download view only.")


_storage = PrivateStorage()


def report_storage() -> PrivateStorage:
    return _storage
