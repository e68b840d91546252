"""Which tables make up an instance, in which order, and how one row becomes JSON and back.

Generic on purpose: every concrete model of the portal's own apps (an app whose code lives in
this repository) is part of the instance, plus the framework tables listed in FRAMEWORK_TABLES.
A model added by any app next year is exported, imported and compared without a line here.

Identifiers: primary keys are kept as they are (docs/exchange.md explains why no UUIDs). The
only rows whose keys differ between two installations are the ones `migrate` creates itself —
content types and permissions — so references to them are written as their natural keys
(["cases", "case"], ["view_case", "cases", "case"]) and looked up again on import.
"""

import base64
import datetime
import decimal
import json
import uuid
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models

# Framework tables that belong to an instance: accounts and their second factors, groups, the
# admin's change log. Not: sessions (a restore logs everyone out anyway), django-axes' lockout
# counters (short-lived security state), content types and permissions (`migrate` creates them;
# references go by natural key, see above), Django's migration table (the manifest's schema).
FRAMEWORK_TABLES = (
    "auth.group",
    "auth.group_permissions",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "otp_static.statictoken",
    "admin.logentry",
)
# Tables of the portal's own apps that are not part of the instance: the export records describe
# archives of this installation (their files are not carried over, and the running export's own
# row changes after its snapshot).
EXCLUDED_TABLES = ("exchange.instanceexport",)
# Rows that `migrate` creates in both instances and that are referenced by natural key.
NATURAL_KEY_MODELS = (ContentType, Permission)


def _own_app(config) -> bool:
    path = Path(config.path).resolve()
    return Path(settings.BASE_DIR).resolve() in path.parents and ".venv" not in path.parts


def instance_models(*, using: str = "default") -> list[type[models.Model]]:
    """Every table of the instance that exists in the database `using`, parents before the
    tables that point at them (foreign keys are checked at commit anyway; the order keeps an
    import readable and lets a reader load the files one by one)."""
    existing = set(connections[using].introspection.table_names())
    chosen: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        own = _own_app(apps.get_app_config(meta.app_label))
        if not own and meta.label_lower not in FRAMEWORK_TABLES:
            continue
        if meta.label_lower in EXCLUDED_TABLES:
            continue
        if meta.db_table not in existing:
            continue  # a model whose migration is not applied here is not part of the schema
        chosen.append(model)
    labels = {model._meta.label_lower: model for model in chosen}
    graph: dict[str, set[str]] = {}
    for model in chosen:
        targets = set()
        for field in model._meta.local_concrete_fields:
            related = field.related_model
            if field.is_relation and related is not None and not isinstance(related, str):
                concrete = related._meta.concrete_model
                assert concrete is not None
                target = concrete._meta.label_lower
                if target in labels and target != model._meta.label_lower:
                    targets.add(target)
        graph[model._meta.label_lower] = targets
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError:  # two tables pointing at each other: deferred constraints cover it
        order = sorted(graph)
    return [labels[label] for label in order]


def table_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, models.FileField)]


def _natural_key_field(field: models.Field) -> bool:
    return bool(field.is_relation and field.related_model in NATURAL_KEY_MODELS)


class NaturalKeys:
    """Maps the ids of content types and permissions to natural keys and back, per database."""

    def __init__(self, using: str) -> None:
        self.using = using
        self._out: dict[type, dict[int, list]] = {}
        self._in: dict[type, dict[tuple, int]] = {}

    def key_of(self, model: type[models.Model], pk: int) -> list:
        if model not in self._out:
            self._out[model] = {
                obj.pk: list(obj.natural_key())  # type: ignore[attr-defined]
                for obj in model._default_manager.db_manager(self.using).all()
            }
        return self._out[model][pk]

    def pk_of(self, model: type[models.Model], key: list) -> int:
        if model not in self._in:
            self._in[model] = {
                tuple(obj.natural_key()): obj.pk  # type: ignore[attr-defined]
                for obj in model._default_manager.db_manager(self.using).all()
            }
        try:
            return self._in[model][tuple(key)]
        except KeyError:
            raise ValueError(
                f"{model._meta.verbose_name} {'.'.join(map(str, key))} gibt es in der "
                "Zieldatenbank nicht (anderer Programmstand?)."
            ) from None


def _plain(value: Any) -> Any:
    """A value as JSON can hold it, without losing precision (microseconds, decimals)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def row_fields(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def rows_read(
    model: type[models.Model], *, using: str, keys: NaturalKeys, chunk_size: int = 2000
) -> Iterator[dict[str, Any]]:
    """Every row of `model` by ascending primary key, as a JSON-ready dict keyed by column
    attribute name. Streams with a server-side cursor (memory does not grow with the table)."""
    fields = row_fields(model)
    names = [field.attname for field in fields]
    natural: dict[int, type[models.Model]] = {
        i: f.related_model  # type: ignore[misc]
        for i, f in enumerate(fields)
        if _natural_key_field(f)
    }
    json_fields = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    queryset = model._default_manager.db_manager(using).order_by("pk").values_list(*names)
    for values in queryset.iterator(chunk_size=chunk_size):
        row: dict[str, Any] = {}
        for index, value in enumerate(values):
            if value is not None and index in natural:
                value = keys.key_of(natural[index], value)
            elif index not in json_fields:
                value = _plain(value)
            row[names[index]] = value
        yield row


def row_dump(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_values(
    model: type[models.Model], row: dict[str, Any], *, keys: NaturalKeys
) -> list[tuple[models.Field, Any]]:
    """The row's values as Python values of the target's fields. A field the archive lacks (the
    target's schema is newer) gets its default; a column the target no longer has is dropped."""
    result = []
    for field in row_fields(model):
        if field.attname in row:
            value = row[field.attname]
            if value is not None and _natural_key_field(field):
                value = keys.pk_of(field.related_model, value)  # type: ignore[arg-type]
            elif value is not None and isinstance(field, models.DurationField):
                value = datetime.timedelta(seconds=value)
            elif value is not None and not isinstance(field, models.JSONField):
                value = field.to_python(value)
        else:
            value = field.get_default()
        result.append((field, value))
    return result
