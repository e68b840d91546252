"""Where delivery files are kept: a private folder that no URL points at; they are served only
by the access-checked, audited download view."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class DeliveryStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(allow_overwrite=True)

    @cached_property
    def base_location(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, "kjh-statistik")

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Delivery files are served through the download view only.")


_storage = DeliveryStorage()


def delivery_storage() -> DeliveryStorage:
    return _storage
