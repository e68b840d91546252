"""Two instances compared by content: every table, every row, every column, every stored file.

Primary keys are kept across export and import (docs/exchange.md), so rows are matched by key;
references to content types and permissions are compared by natural key, since those two
tables are numbered by `migrate` in each database on its own. Both sides are read as streams by
ascending key and merged, so memory does not grow with the tables.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from exchange.archive import file_sha256
from exchange.tables import NaturalKeys, file_fields, instance_models, rows_read, table_label

_END = object()


@dataclass
class Comparison:
    differences: list[str] = field(default_factory=list)
    count: int = 0
    rows: int = 0
    tables: int = 0
    limit: int = 1000

    def add(self, text: str) -> None:
        self.count += 1
        if len(self.differences) < self.limit:
            self.differences.append(text)


def _sort_key(value: Any) -> tuple:
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))


def _file_digest(storage: Any, name: str | None) -> str:
    try:
        with storage.open(name, "rb") as handle:
            return file_sha256(handle)
    except FileNotFoundError:
        return "fehlt"


def _table_compare(model, *, a: str, b: str, keys_a, keys_b, result: Comparison) -> None:
    label = table_label(model)
    pk = model._meta.pk.attname
    files = {f.attname: f.storage for f in file_fields(model)}
    rows_a: Iterator[dict] = rows_read(model, using=a, keys=keys_a)
    rows_b: Iterator[dict] = rows_read(model, using=b, keys=keys_b)
    row_a = next(rows_a, _END)
    row_b = next(rows_b, _END)
    while row_a is not _END or row_b is not _END:
        key_a = _sort_key(row_a[pk]) if row_a is not _END else None  # type: ignore[index]
        key_b = _sort_key(row_b[pk]) if row_b is not _END else None  # type: ignore[index]
        if key_b is None or (key_a is not None and key_a < key_b):
            result.add(f"{label} {row_a[pk]}: nur in A")  # type: ignore[index]
            row_a = next(rows_a, _END)
            continue
        if key_a is None or key_b < key_a:
            result.add(f"{label} {row_b[pk]}: nur in B")  # type: ignore[index]
            row_b = next(rows_b, _END)
            continue
        assert isinstance(row_a, dict) and isinstance(row_b, dict)
        result.rows += 1
        for column in sorted(set(row_a) | set(row_b)):
            value_a, value_b = row_a.get(column), row_b.get(column)
            if value_a != value_b:
                result.add(f"{label} {row_a[pk]}, {column}: A={value_a!r} B={value_b!r}")
            elif (
                column in files
                and value_a
                and _file_digest(files[column], value_a) != _file_digest(files[column], value_b)
            ):
                result.add(f"{label} {row_a[pk]}, {column}: Dateiinhalt verschieden")
        row_a = next(rows_a, _END)
        row_b = next(rows_b, _END)


def instances_compare(*, a: str, b: str, limit: int = 1000) -> Comparison:
    """Every difference between the instances in the database aliases `a` and `b`."""
    result = Comparison(limit=limit)
    models_a = {table_label(m): m for m in instance_models(using=a)}
    models_b = {table_label(m): m for m in instance_models(using=b)}
    for label in sorted(set(models_a) - set(models_b)):
        result.add(f"Tabelle {label}: nur in A")
    for label in sorted(set(models_b) - set(models_a)):
        result.add(f"Tabelle {label}: nur in B")
    keys_a, keys_b = NaturalKeys(a), NaturalKeys(b)
    for label, model in models_a.items():
        if label in models_b:
            result.tables += 1
            _table_compare(model, a=a, b=b, keys_a=keys_a, keys_b=keys_b, result=result)
    return result
