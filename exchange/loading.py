"""Loading an unpacked, checked archive into an empty database: insert only, all or nothing.

- The schema must be the archive's or newer: every migration the archive lists must be applied
  in the target.
- The target must be empty: no user account and nothing in the append-only tables. Rows that
  `migrate` itself puts in other tables (the catalogue of help types) are replaced by the
  archive's rows of those tables inside the same transaction.
- Rows go in with plain INSERT statements with their original primary keys, in one transaction
  for the whole instance: one refused row and nothing stays. The append-only tables (ledger,
  audit log) see only INSERTs, which their triggers allow. Afterwards the key sequences are moved
  past the highest imported key (PostgreSQL), so the next booking gets a fresh number.
- Stored files are saved through each field's storage before the rows that name them; a file of
  the same name and content already there is kept. If the transaction fails, the files this
  import saved are deleted again.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.color import no_style
from django.db import connections, models, transaction

from exchange.archive import ArchiveInvalid, Progress, Unpacked, file_sha256, progress_none
from exchange.archive import schema_applied as schema_applied
from exchange.tables import NaturalKeys, file_fields, instance_models, row_values, table_label

APPEND_ONLY_TABLES = ("cases_auditentry", "budgets_ledgerentry")
BATCH = 1000


@dataclass
class ImportResult:
    records: dict[str, int] = field(default_factory=dict)
    files: int = 0
    replaced: dict[str, int] = field(default_factory=dict)
    skipped_tables: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.records.values())


def schema_check(manifest: dict[str, Any], *, using: str) -> None:
    """Refuse an archive from a newer schema than the target's."""
    applied = schema_applied(using=using)
    for app, names in sorted(manifest.get("schema", {}).items()):
        missing = sorted(set(names) - set(applied.get(app, [])))
        if missing:
            raise ArchiveInvalid(
                f"Das Archiv stammt aus einem neueren Programmstand: die Migration "
                f"{app}.{missing[0]} fehlt in der Zieldatenbank. Bitte zuerst das Portal "
                "aktualisieren und „manage.py migrate“ ausführen. Es wurde nichts importiert."
            )


def target_check(*, using: str) -> dict[str, int]:
    """Refuse a target with data; return the tables `migrate` filled (label → rows)."""
    user_model = get_user_model()
    if user_model._default_manager.db_manager(using).exists():
        raise ArchiveInvalid(
            "Die Zieldatenbank ist nicht leer (es gibt schon Benutzerkonten). Importiert wird "
            "nur in eine frisch migrierte, leere Datenbank. Es wurde nichts verändert."
        )
    seeded: dict[str, int] = {}
    for model in instance_models(using=using):
        count = model._default_manager.db_manager(using).count()
        if not count:
            continue
        if model._meta.db_table in APPEND_ONLY_TABLES:
            raise ArchiveInvalid(
                f"Die Zieldatenbank ist nicht leer ({model._meta.verbose_name_plural}: {count}). "
                "Es wurde nichts verändert."
            )
        seeded[table_label(model)] = count
    return seeded


def _rows(path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            yield json.loads(line)


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _files_save(
    unpacked: Unpacked, model: type[models.Model], label: str, batch, saved: list
) -> int:
    count = 0
    for file_field in file_fields(model):
        for row in batch:
            stored = row.get(file_field.attname)
            if not stored:
                continue
            member = f"dateien/{label}/{file_field.name}/{stored}"
            if member not in unpacked.manifest["members"]:
                continue  # the file was already missing in the exported instance
            storage = file_field.storage
            if storage.exists(stored):
                with storage.open(stored, "rb") as present:
                    if file_sha256(present) == unpacked.manifest["members"][member]["sha256"]:
                        count += 1
                        continue
            with unpacked.member(member).open("rb") as handle:
                name = storage.save(stored, File(handle))
            saved.append((storage, name))
            row[file_field.attname] = name
            count += 1
    return count


def archive_load(
    unpacked: Unpacked, *, using: str = "default", progress: Progress = progress_none
) -> ImportResult:
    """Insert the checked archive into the empty database `using` (see module docstring)."""
    manifest = unpacked.manifest
    schema_check(manifest, using=using)
    seeded = target_check(using=using)
    connection = connections[using]
    quote = connection.ops.quote_name
    result = ImportResult()
    tables = {table["label"]: table for table in manifest.get("tables", [])}
    models_here = instance_models(using=using)
    known = {table_label(model) for model in models_here}
    result.skipped_tables = sorted(label for label in tables if label not in known)
    for label in result.skipped_tables:
        if tables[label]["records"]:
            raise ArchiveInvalid(
                f"Die Tabelle {label} aus dem Archiv gibt es in diesem Programmstand nicht mehr; "
                "ihre Datensätze hätten keinen Platz. Es wurde nichts importiert."
            )
    saved_files: list = []
    try:
        with transaction.atomic(using=using):
            keys = NaturalKeys(using)
            for model in reversed(models_here):
                label = table_label(model)
                if label in seeded and label in tables:
                    with connection.cursor() as cursor:
                        cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 (a model's table name)
                    result.replaced[label] = seeded[label]
            for index, model in enumerate(models_here):
                label = table_label(model)
                progress(int(95 * index / max(len(models_here), 1)), label)
                if label not in tables:
                    continue
                count = 0
                columns: list[models.Field] = list(model._meta.local_concrete_fields)
                # Table and column names come from the models, values are parameters.
                sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
                    quote(model._meta.db_table),
                    ", ".join(quote(f.column) for f in columns),
                    ", ".join(["%s"] * len(columns)),
                )
                path = unpacked.member(tables[label]["member"])
                for batch in _batches(_rows(path)):
                    result.files += _files_save(unpacked, model, label, batch, saved_files)
                    params = []
                    for row in batch:
                        try:
                            values = row_values(model, row, keys=keys)
                        except (ValueError, TypeError) as error:
                            raise ArchiveInvalid(f"{label}: {error}") from None
                        params.append(
                            [f.get_db_prep_save(value, connection) for f, value in values]
                        )
                    with connection.cursor() as cursor:
                        cursor.executemany(sql, params)
                    count += len(batch)
                result.records[label] = count
            statements = connection.ops.sequence_reset_sql(no_style(), models_here)
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
    except BaseException:
        for storage, name in saved_files:
            storage.delete(name)
        raise
    progress(100, "fertig")
    return result
