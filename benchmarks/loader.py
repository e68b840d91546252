"""Fast loading of generated rows: COPY on PostgreSQL, bulk_create elsewhere (the smoke test).

Rows are plain tuples in the order of `columns` (attribute names, which are also the column
names of every table loaded here). Ids are assigned by the generator, so rows can refer to each
other without a round trip; `sequences_reset()` moves the id sequences past them afterwards.
"""

import json
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models

BATCH = 2000
APPS = ("sozialraum", "network", "cases", "budgets", "overview")


class Loader:
    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    def load(self, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
        """Insert the rows; returns how many there were."""
        if self.postgres:
            count = self._copy(model, columns, rows)
        else:
            count = self._bulk(model, columns, rows)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count
        return count

    def _copy(self, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        # Columns the generator does not know (added later) get their model default, as
        # bulk_create would give them: "" for text without one (e.g. a withdrawal's reason).
        defaults = {
            f.column: f.get_default()
            for f in model._meta.concrete_fields
            if f.attname not in columns
            and not f.null
            and (f.has_default() or f.empty_strings_allowed)
        }
        names = ", ".join(quote(c) for c in [*columns, *defaults])
        extra = tuple(_plain(v) for v in defaults.values())
        count = 0
        # Django's cursor wrapper has no COPY; the psycopg cursor underneath does.
        with (
            connection.cursor() as wrapper,
            wrapper.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*(_plain(v) for v in row), *extra))
                count += 1
        return count

    def _bulk(self, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
        batch: list[models.Model] = []
        count = 0
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            count += 1
            if len(batch) >= BATCH:
                model.objects.bulk_create(batch)
                batch = []
        if batch:
            model.objects.bulk_create(batch)
        return count


def _plain(value: Any) -> Any:
    # JSON columns (the boundaries) arrive as dicts; COPY takes their text.
    return json.dumps(value) if isinstance(value, dict) else value


def portal_models() -> list[type[models.Model]]:
    """Every table of the portal's apps, with the many-to-many tables between them."""
    result: list[type[models.Model]] = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            result.append(model)
    return result


def sequences_reset() -> None:
    """Move every id sequence past the largest id (PostgreSQL; SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), portal_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def tables_truncate() -> None:
    """Empty the portal's tables at once (PostgreSQL only).

    TRUNCATE fires no row triggers, so the append-only guards of the ledger and the audit trail
    stay in place; they refuse row-wise changes, and a benchmark database is thrown away whole.
    """
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in portal_models()]
    tables += [quote("django_session"), quote("django_admin_log")]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
