"""Writes of the ground floor."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from sozialraum import street_directory
from sozialraum.csv_import import ImportInvalid, LineError, csv_decode
from sozialraum.models import Sozialraum, StreetSegment

__all__ = ["ImportInvalid", "street_directory_import"]


def street_directory_import(*, data: bytes, dry_run: bool = False) -> int:
    """Import a street directory CSV file all or nothing; return the number of segments.

    Raises ImportInvalid with one entry per bad line when any line is wrong; then
    nothing is stored.
    """
    text = csv_decode(data)
    with transaction.atomic():
        _lock_street_directory()
        parsed = street_directory.parse(text, Sozialraum.objects.all())
        segments = [item.segment for item in parsed]
        errors = []
        for item in parsed:
            try:
                item.segment.full_clean(exclude=["street_key"], validate_unique=False)
            except ValidationError as invalid:
                errors.append(LineError(item.line, " ".join(invalid.messages)))
        if errors:
            raise ImportInvalid(errors)
        if not dry_run:
            StreetSegment.objects.bulk_create(segments)
    return len(segments)


def _lock_street_directory() -> None:
    """Two imports must not both pass the overlap check, even into an empty directory.

    PostgreSQL: a table lock that readers pass but other writers wait for. SQLite serialises
    writing transactions by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(StreetSegment._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
