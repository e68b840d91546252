"""The archive file: a gzip'd tar of JSON Lines per table, the stored files and a manifest,
optionally encrypted (exchange/crypto.py). Written and read as streams.

Layout inside the tar:
    daten/<app>.<model>.jsonl       one row per line, by ascending primary key
    dateien/<app>.<model>/<field>/<stored name>   the files the FileFields name
    manifest.json                   last: format, schema (applied migrations), per member the
                                    sha256 and, per table, the number of records
"""

import datetime
import gzip
import hashlib
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Protocol

from django.db import connections, transaction

from exchange import crypto
from exchange.tables import (
    FRAMEWORK_TABLES,
    NaturalKeys,
    file_fields,
    instance_models,
    row_dump,
    rows_read,
    table_label,
)

FORMAT = "sozialraum-instanz"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
COPY_BLOCK = 1024 * 1024


class ArchiveInvalid(Exception):
    """The archive cannot be imported; the message is German and says why."""


def schema_applied(*, using: str) -> dict[str, list[str]]:
    """The applied migrations per app: the schema version of an instance."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        result: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            result.setdefault(app, []).append(name)
    return result


class Readable(Protocol):
    """Anything with `read(size) -> bytes`: an open file, a tar member, a Django `File`."""

    def read(self, size: int = ..., /) -> bytes: ...


def _hashing_copy(source: Readable, target: BinaryIO) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while block := source.read(COPY_BLOCK):
        digest.update(block)
        target.write(block)
        size += len(block)
    return digest.hexdigest(), size


def file_sha256(handle: Readable) -> str:
    digest = hashlib.sha256()
    while block := handle.read(COPY_BLOCK):
        digest.update(block)
    return digest.hexdigest()


Progress = Callable[[int, str], None]


def progress_none(percent: int, step: str) -> None:
    return None


@dataclass
class ExportResult:
    records: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total(self) -> int:
        return sum(self.records.values())


def _snapshot_begin(using: str, *, outer: bool) -> None:
    """One consistent view of the whole instance while it is written (PostgreSQL: a repeatable
    read, read-only transaction; SQLite's read transaction is a snapshot already)."""
    connection = connections[using]
    # Inside an outer transaction (a test, a caller's atomic block) its snapshot rules apply.
    if connection.vendor == "postgresql" and not outer:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def archive_write(
    target: BinaryIO,
    *,
    key: str | None,
    using: str = "default",
    progress: Progress = progress_none,
) -> ExportResult:
    """Write the instance in database `using` to `target`; encrypted unless `key` is None."""
    writer: Any = crypto.EncryptingWriter(target, key=key) if key is not None else target
    result = ExportResult()
    members: dict[str, dict[str, Any]] = {}
    tables: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sr-export-") as scratch:
        work = Path(scratch) / "member"
        # Level 6 is gzip's usual trade of speed for size.
        with (
            gzip.GzipFile(fileobj=writer, mode="wb", compresslevel=6, mtime=0) as zipped,
            tarfile.open(fileobj=zipped, mode="w|", format=tarfile.PAX_FORMAT) as tar,
        ):

            def member_add(name: str, path: Path, digest: str) -> None:
                info = tar.gettarinfo(str(path), arcname=name)
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                info.mode = 0o600
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
                members[name] = {"sha256": digest, "bytes": info.size}
                path.unlink()

            outer = connections[using].in_atomic_block
            with transaction.atomic(using=using):
                _snapshot_begin(using, outer=outer)
                keys = NaturalKeys(using)
                models = instance_models(using=using)
                for index, model in enumerate(models):
                    label = table_label(model)
                    progress(int(95 * index / max(len(models), 1)), label)
                    fields_with_files = file_fields(model)
                    # The names of stored files go to a scratch file, not a list: a
                    # table of documents may be as long as the table of cases.
                    names_path = Path(scratch) / "names"
                    digest = hashlib.sha256()
                    count = 0
                    with work.open("wb") as out, names_path.open("w") as names:
                        for row in rows_read(model, using=using, keys=keys):
                            line = (row_dump(row) + "\n").encode()
                            digest.update(line)
                            out.write(line)
                            count += 1
                            for file_field in fields_with_files:
                                if row.get(file_field.attname):
                                    names.write(
                                        json.dumps([file_field.name, row[file_field.attname]])
                                        + "\n"
                                    )
                    name = f"daten/{label}.jsonl"
                    member_add(name, work, digest.hexdigest())
                    with names_path.open() as names:
                        for entry in names:
                            field_name, stored = json.loads(entry)
                            result.files += _file_add(
                                model, field_name, stored, label, work, member_add
                            )
                    result.records[label] = count
                    tables.append(
                        {
                            "label": label,
                            "member": name,
                            "records": count,
                            "pk": model._meta.pk.attname,
                            "fields": [f.attname for f in model._meta.local_concrete_fields],
                        }
                    )
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
                    "database": connections[using].vendor,
                    "schema": schema_applied(using=using),
                    "framework_tables": list(FRAMEWORK_TABLES),
                    "tables": tables,
                    "members": members,
                }
            manifest_path = Path(scratch) / MANIFEST
            manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
            info = tar.gettarinfo(str(manifest_path), arcname=MANIFEST)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            with manifest_path.open("rb") as handle:
                tar.addfile(info, handle)
    if key is not None:
        writer.close()
    progress(100, "fertig")
    return result


def _file_add(model, field_name: str, stored: str, label: str, work: Path, member_add) -> int:
    storage = model._meta.get_field(field_name).storage
    name = f"dateien/{label}/{field_name}/{stored}"
    try:
        with storage.open(stored, "rb") as source, work.open("wb") as out:
            digest, _size = _hashing_copy(source, out)
    except FileNotFoundError:
        # The record names a file that is gone: the manifest says so, the import keeps the name.
        return 0
    member_add(name, work, digest)
    return 1


@dataclass
class Unpacked:
    """An archive unpacked into a scratch folder and checked against its manifest."""

    folder: Path
    manifest: dict[str, Any]

    def member(self, name: str) -> Path:
        return self.folder / "m" / name

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _safe_member_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveInvalid(f"Das Archiv enthält einen unzulässigen Pfad „{name}“.")
    return str(path)


_TRUNCATED = (
    "Die Archivdatei ist unvollständig oder beschädigt (das Ende fehlt oder die Kompression ist "
    "defekt). Es wurde nichts importiert."
)


def archive_unpack(source: BinaryIO, *, key: str | None) -> Unpacked:
    """Decrypt and unpack `source` into a scratch folder, then check every member against the
    manifest (sha256, record counts, ascending unique primary keys). Raises ArchiveInvalid,
    crypto.ArchiveKeyError or crypto.ArchiveDamaged; nothing touches a database here."""
    head = source.read(4)
    source.seek(0)
    encrypted = head == crypto.MAGIC
    if encrypted and key is None:
        raise ArchiveInvalid(
            "Das Archiv ist verschlüsselt. Bitte die Passphrase oder den privaten Schlüssel "
            "angeben."
        )
    if not encrypted and head[:2] != b"\x1f\x8b":
        raise ArchiveInvalid("Diese Datei ist kein Exportarchiv des Portals.")
    if not encrypted and key is not None:
        raise ArchiveInvalid(
            "Das Archiv ist nicht verschlüsselt, es wurde aber ein Schlüssel angegeben. Bitte "
            "prüfen, ob es die richtige Datei ist (unverschlüsselt nur mit --unverschluesselt)."
        )
    reader: Any = crypto.DecryptingReader(source, key=key) if encrypted and key else source
    folder = Path(tempfile.mkdtemp(prefix="sr-import-"))
    unpacked = Unpacked(folder, {})
    digests: dict[str, str] = {}
    try:
        try:
            with (
                gzip.GzipFile(fileobj=reader, mode="rb") as zipped,
                tarfile.open(fileobj=zipped, mode="r|") as tar,
            ):
                for info in tar:
                    name = _safe_member_name(info.name)
                    if not info.isfile():
                        raise ArchiveInvalid(f"Das Archiv enthält „{name}“, keine Datei.")
                    if name in digests:
                        raise ArchiveInvalid(f"„{name}“ steht zweimal im Archiv.")
                    path = unpacked.member(name)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    handle = tar.extractfile(info)
                    assert handle is not None
                    with path.open("wb") as out:
                        digests[name], _ = _hashing_copy(handle, out)
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError):
            raise ArchiveInvalid(_TRUNCATED) from None
        manifest_path = unpacked.member(MANIFEST)
        if MANIFEST not in digests:
            raise ArchiveInvalid(_TRUNCATED.replace("das Ende fehlt", "das Manifest fehlt"))
        try:
            manifest = json.loads(manifest_path.read_text())
        except ValueError:
            raise ArchiveInvalid("Das Manifest des Archivs ist kein gültiges JSON.") from None
        unpacked.manifest = manifest
        _manifest_check(unpacked, digests)
    except BaseException:
        unpacked.cleanup()
        raise
    return unpacked


def _manifest_check(unpacked: Unpacked, digests: dict[str, str]) -> None:
    manifest = unpacked.manifest
    if manifest.get("format") != FORMAT:
        raise ArchiveInvalid("Diese Datei ist kein Exportarchiv des Portals (Manifest).")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise ArchiveInvalid(
            f"Das Archiv hat das Format {manifest.get('format_version')}; dieses Portal liest "
            f"höchstens Format {FORMAT_VERSION}. Bitte zuerst das Portal aktualisieren."
        )
    members: dict[str, dict] = manifest.get("members", {})
    for name, entry in sorted(members.items()):
        if name not in digests:
            raise ArchiveInvalid(f"Im Archiv fehlt „{name}“, das im Manifest steht.")
        if digests[name] != entry.get("sha256"):
            raise ArchiveInvalid(
                f"Prüfsumme falsch für „{name}“: die Datei wurde verändert oder ist beschädigt. "
                "Es wurde nichts importiert."
            )
    extra = sorted(set(digests) - set(members) - {MANIFEST})
    if extra:
        raise ArchiveInvalid(f"Das Archiv enthält „{extra[0]}“, das nicht im Manifest steht.")
    for table in manifest.get("tables", []):
        _table_check(unpacked.member(table["member"]), table)


def _table_check(path: Path, table: dict[str, Any]) -> None:
    """Record count and strictly ascending primary keys: a duplicated identifier is refused
    without holding all identifiers in memory (the export writes by ascending key)."""
    label = table["label"]
    count = 0
    previous: Any = None
    pk_name: str | None = table.get("pk")
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                row = json.loads(line)
            except ValueError:
                raise ArchiveInvalid(
                    f"{label}, Datensatz {number}: keine gültige JSON-Zeile."
                ) from None
            count += 1
            key = row.get(pk_name) if pk_name else None
            if key is not None and previous is not None and not _ascending(previous, key):
                raise ArchiveInvalid(
                    f"{label}, Datensatz {number}: die Kennung {key} ist doppelt oder nicht "
                    "aufsteigend. Es wurde nichts importiert."
                )
            previous = key
    if count != table["records"]:
        raise ArchiveInvalid(f"{label}: {count} Datensätze statt {table['records']} laut Manifest.")


def _ascending(previous: Any, key: Any) -> bool:
    # Integer keys strictly ascend; text keys follow the database's collation, which Python
    # cannot repeat, so for them only a repeated neighbour is caught.
    if isinstance(previous, int) and isinstance(key, int):
        return key > previous
    return key != previous
