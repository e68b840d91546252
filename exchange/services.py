"""Writes of the exchange app: instance exports (page and command) and imports.

Every export is recorded in the audit log (`cases.audit.audit_record`, action "exportiert", the
export record as its object) before a single row is read, so the export contains its own entry.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction
from exchange import crypto
from exchange.archive import ExportResult, archive_unpack, archive_write
from exchange.loading import ImportResult, archive_load
from exchange.models import ExportState, InstanceExport
from exchange.storage import export_storage
from sozialraum.models import Role, User

logger = logging.getLogger(__name__)

UNENCRYPTED_WARNING = (
    "Achtung: Das Archiv ist NICHT verschlüsselt. Es enthält alle Sozialdaten des Jugendamts "
    "im Klartext; bitte nur auf verschlüsselten Datenträgern ablegen und nach Gebrauch löschen."
)
FAILED_MESSAGE = (
    "Der Export ist fehlgeschlagen. Bitte erneut anfordern; tritt der Fehler wieder auf, wenden "
    "Sie sich an den Betrieb (Export {id})."
)


def _admin_check(user: User) -> None:
    if user.role != Role.ADMIN:
        raise ValidationError("Instanzexporte dürfen nur Administratorinnen und Administratoren.")


def _progress_key(export_id: int) -> str:
    return f"exchange:export:{export_id}:progress"


def export_progress(export: InstanceExport) -> tuple[int, str]:
    """(percent, current table) of a running export. Kept in the cache, not in the row: the run
    reads the database inside one snapshot transaction, whose writes nobody would see."""
    value = cache.get(_progress_key(export.pk))
    if export.state == ExportState.DONE:
        return 100, ""
    return tuple(value) if value else (0, "")


def export_request(*, user: User, public_key: str, unencrypted: bool) -> InstanceExport:
    """Store an export request, audit it and queue it after commit (ids only)."""
    _admin_check(user)
    if not unencrypted:
        try:
            crypto.public_key_parse(public_key)
        except ValueError as error:
            raise ValidationError({"public_key": str(error)}) from None
    elif public_key.strip():
        raise ValidationError(
            {"public_key": "Entweder ein Schlüssel oder „unverschlüsselt“, nicht beides."}
        )
    with transaction.atomic():
        export = InstanceExport.objects.create(
            requested_by=user, public_key="" if unencrypted else public_key.strip()
        )
        audit_record(
            user=user,
            action=AuditAction.EXPORT,
            obj=export,
            detail="Instanzexport" + (" unverschlüsselt" if unencrypted else ""),
        )
        export_id = export.pk
        transaction.on_commit(lambda: export_enqueue(export_id))
    logger.info("instance export %s requested by user %s", export_id, user.pk)
    return export


def export_enqueue(export_id: int) -> None:
    from exchange.tasks import export_run as task  # tasks import this module

    try:
        task.apply_async(args=(export_id,), retry=False)
    except Exception as problem:  # kombu, redis and socket errors alike: the broker is away
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("export %s: broker unreachable (%s)", export_id, type(problem).__name__)
        InstanceExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED,
            error="Der Hintergrunddienst (Redis) ist nicht erreichbar. Bitte später erneut "
            "anfordern.",
        )


def export_run(*, export_id: int) -> InstanceExport:
    """Write the archive of a requested export (a finished or running one is left alone)."""
    with transaction.atomic():
        export = InstanceExport.objects.select_for_update().get(pk=export_id)
        if export.state != ExportState.WAITING:
            return export
        export.state = ExportState.RUNNING
        export.save(update_fields=["state"])
    name = f"{export.public_id}.{'srx' if export.encrypted else 'tar.gz'}"
    storage = export_storage()
    path = Path(storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)

    def progress(percent: int, step: str) -> None:
        cache.set(_progress_key(export_id), (percent, step), 3600)

    try:
        with path.open("wb") as target:
            result = archive_write(target, key=export.public_key or None, progress=progress)
    except Exception:
        logger.exception("instance export %s failed", export_id)
        path.unlink(missing_ok=True)
        InstanceExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, error=FAILED_MESSAGE.format(id=export_id)
        )
        export.refresh_from_db()
        return export
    InstanceExport.objects.filter(pk=export_id).update(
        state=ExportState.DONE,
        finished_at=timezone.now(),
        archive_name=name,
        archive_bytes=path.stat().st_size,
        records=result.total,
        files=result.files,
    )
    export.refresh_from_db()
    return export


def export_download_audit(*, user: User, export: InstanceExport) -> None:
    audit_record(
        user=user, action=AuditAction.EXPORT, obj=export, detail="Instanzexport heruntergeladen"
    )


def instance_export_to_file(
    *, user: User, path: Path, key: str | None, progress=None
) -> ExportResult:
    """The command's export: audited like the page's, written straight to `path`."""
    _admin_check(user)
    passphrase = key is not None and not key.strip().startswith(crypto.PUBLIC_PREFIX)
    if passphrase and len(key or "") < crypto.MIN_PASSPHRASE:
        raise ValidationError(
            f"Die Passphrase ist zu kurz: mindestens {crypto.MIN_PASSPHRASE} Zeichen."
        )
    with transaction.atomic():
        export = InstanceExport.objects.create(
            requested_by=user,
            state=ExportState.RUNNING,
            public_key=key if key and key.startswith(crypto.PUBLIC_PREFIX) else "",
        )
        audit_record(
            user=user,
            action=AuditAction.EXPORT,
            obj=export,
            detail="Instanzexport (Kommando)" + ("" if key else " unverschlüsselt"),
        )
    try:
        with path.open("wb") as target:
            kwargs = {"progress": progress} if progress else {}
            result = archive_write(target, key=key, **kwargs)
    except BaseException:
        path.unlink(missing_ok=True)
        InstanceExport.objects.filter(pk=export.pk).update(
            state=ExportState.FAILED, error=FAILED_MESSAGE.format(id=export.pk)
        )
        raise
    InstanceExport.objects.filter(pk=export.pk).update(
        state=ExportState.DONE,
        finished_at=timezone.now(),
        archive_name=str(path.name)[:200],
        archive_bytes=path.stat().st_size,
        records=result.total,
        files=result.files,
    )
    return result


def instance_import_from_file(
    *, path: Path, key: str | None, using: str = "default", progress=None
) -> ImportResult:
    """Check the archive completely, then load it into the empty database `using`."""
    with path.open("rb") as source:
        unpacked = archive_unpack(source, key=key)
    try:
        kwargs = {"progress": progress} if progress else {}
        return archive_load(unpacked, using=using, **kwargs)
    finally:
        unpacked.cleanup()
