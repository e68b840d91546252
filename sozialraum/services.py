"""Writes of the ground floor."""

from django.core.exceptions import ValidationError
from django.db import transaction

from sozialraum import street_directory
from sozialraum.models import Sozialraum, StreetSegment
from sozialraum.street_directory import LineError, StreetDirectoryInvalid

__all__ = ["StreetDirectoryInvalid", "street_directory_import"]


def street_directory_import(*, data: bytes, dry_run: bool = False) -> int:
    """Import a street directory CSV file all or nothing; return the number of segments.

    Raises StreetDirectoryInvalid with one entry per bad line when any line is wrong; then
    nothing is stored.
    """
    text = street_directory.decode(data)
    with transaction.atomic():
        # Lock the directory so two imports cannot both pass the overlap check.
        list(StreetSegment.objects.select_for_update().values_list("pk", flat=True))
        parsed = street_directory.parse(text, Sozialraum.objects.all())
        segments = [item.segment for item in parsed]
        errors = []
        for item in parsed:
            try:
                item.segment.full_clean(exclude=["street_key"], validate_unique=False)
            except ValidationError as invalid:
                errors.append(LineError(item.line, " ".join(invalid.messages)))
        if errors:
            raise StreetDirectoryInvalid(errors)
        if not dry_run:
            StreetSegment.objects.bulk_create(segments)
    return len(segments)
