"""Records of the exchange app: one row per instance export, run as a background task."""

import uuid

from django.conf import settings
from django.db import models


class ExportState(models.TextChoices):
    WAITING = "waiting", "wartend"
    RUNNING = "running", "läuft"
    DONE = "done", "fertig"
    FAILED = "failed", "fehlgeschlagen"


class InstanceExport(models.Model):
    """An export of the whole instance requested by an administrator. The archive lives in the
    private storage (exchange/storage.py) under `archive_name`, a plain name on purpose: it is not
    a FileField, so an export never contains earlier exports."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="angefordert von",
    )
    requested_at = models.DateTimeField("angefordert am", auto_now_add=True)
    finished_at = models.DateTimeField("fertig am", null=True, blank=True)
    state = models.CharField(
        "Stand", max_length=10, choices=ExportState.choices, default=ExportState.WAITING
    )
    # Not secret: the public half of the administrator's key pair (crypto.py). Empty: unencrypted.
    public_key = models.CharField("öffentlicher Schlüssel", max_length=80, blank=True)
    archive_name = models.CharField("Archivdatei", max_length=200, blank=True)
    archive_bytes = models.PositiveBigIntegerField("Größe in Bytes", default=0)
    records = models.PositiveBigIntegerField("Datensätze", default=0)
    files = models.PositiveIntegerField("Dateien", default=0)
    error = models.CharField("Fehler", max_length=300, blank=True)

    class Meta:
        verbose_name = "Instanzexport"
        verbose_name_plural = "Instanzexporte"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Instanzexport {self.public_id}"

    @property
    def encrypted(self) -> bool:
        return bool(self.public_key)

    @property
    def is_open(self) -> bool:
        return self.state in (ExportState.WAITING, ExportState.RUNNING)

    @property
    def download_name(self) -> str:
        suffix = "srx" if self.encrypted else "tar.gz"
        return f"sozialraum-export-{self.requested_at:%Y-%m-%d-%H%M}.{suffix}"


class LegacyRecord(models.Model):
    """Which record of the old system became which record here: the external id per imported
    line. A second run of the same file finds it and creates nothing twice."""

    kind = models.CharField("Satzart", max_length=10)
    external_id = models.CharField("Kennung im Altsystem", max_length=80)
    target = models.CharField("angelegt als", max_length=60)  # model label, e.g. cases.case
    object_id = models.PositiveBigIntegerField("ID")
    imported_at = models.DateTimeField("importiert am", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Altdatensatz"
        verbose_name_plural = "Altdatensätze"
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_id"], name="legacy_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"
