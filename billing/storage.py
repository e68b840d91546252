"""Where the signed originals of Leistungsnachweise and pending import files are kept: a private
folder that no URL points at. They are served only through the access-checked, audited download
view (`billing.views_provider.statement_document`)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class StatementStorage(FileSystemStorage):
    """`MEDIA_ROOT/leistungsnachweise`, without public URLs: asking for one is a bug."""

    @cached_property
    def base_location(self) -> str:
        # Read when first used and again after MEDIA_ROOT changes (tests point it elsewhere).
        return os.path.join(settings.MEDIA_ROOT, "leistungsnachweise")

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Statement files are served through the download view only.")


_storage = StatementStorage()


def statement_storage() -> StatementStorage:
    return _storage
