"""A committee report request: stored before anything is queued, rendered by a Celery worker.

The request row is the single source of truth for a report. A worker claims it (state "läuft",
with the id of the broker message it works on and a lease), reports progress into it, and stores
the PDF under a name derived from the request, so any number of runs leave exactly one file.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from reports.storage import report_storage
from sozialraum.models import Region


class ReportState(models.TextChoices):
    WAITING = "waiting", "wartend"
    RUNNING = "running", "läuft"
    DONE = "done", "fertig"
    FAILED = "failed", "fehlgeschlagen"


class ReportRequest(models.Model):
    """One report for the Jugendhilfeausschuss over a period and a set of regions."""

    # The key in every URL: not guessable, unlike the row id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField("Titel", max_length=200, default="Bericht an den Jugendhilfeausschuss")
    period_start = models.DateField("Zeitraum von")
    period_end = models.DateField("Zeitraum bis")
    regions = models.ManyToManyField(Region, related_name="+", verbose_name="Regionen")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_requests",
        verbose_name="angefordert von",
    )
    requested_at = models.DateTimeField("angefordert am", auto_now_add=True)

    state = models.CharField(
        "Status", max_length=10, choices=ReportState.choices, default=ReportState.WAITING
    )
    progress = models.PositiveSmallIntegerField("Fortschritt (%)", default=0)
    step = models.CharField("Arbeitsschritt", max_length=120, blank=True)
    # When the request was last handed to the broker; empty while Redis could not be reached.
    queued_at = models.DateTimeField(null=True, blank=True)
    # The broker message that owns the current run, and until when its claim holds (the task's
    # hard time limit plus a margin: after that the run is certainly over).
    task_id = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("Versuche", default=0)
    started_at = models.DateTimeField("begonnen am", null=True, blank=True)
    finished_at = models.DateTimeField("fertig am", null=True, blank=True)
    error = models.TextField("Fehlermeldung", blank=True)

    data_as_of = models.DateTimeField("Stand der Daten", null=True, blank=True)
    # The figures exactly as printed (already protected against small counts): the exports are
    # made from them, so the spreadsheets always match the PDF.
    content = models.JSONField(null=True, blank=True, editable=False)
    pdf = models.FileField(storage=report_storage, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "Bericht"
        verbose_name_plural = "Berichte"
        ordering = ["-requested_at", "-id"]
        indexes = [
            # The periodic check looks for waiting and running requests only.
            models.Index(
                fields=["state", "lease_until"],
                condition=Q(state__in=["waiting", "running"]),
                name="report_open_state",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
                violation_error_message="Das Ende des Zeitraums liegt vor dem Beginn.",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max"),
            models.CheckConstraint(
                condition=~Q(state=ReportState.DONE) | (~Q(pdf="") & Q(content__isnull=False)),
                name="report_done_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    @property
    def is_done(self) -> bool:
        return self.state == ReportState.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == ReportState.FAILED

    @property
    def is_open(self) -> bool:
        return self.state in (ReportState.WAITING, ReportState.RUNNING)

    @property
    def waits_for_broker(self) -> bool:
        """Stored, but not yet handed to the broker (Redis was unreachable)."""
        return self.state == ReportState.WAITING and self.queued_at is None

    @property
    def download_name(self) -> str:
        return f"JHA-Bericht_{self.period_start:%Y-%m-%d}_{self.period_end:%Y-%m-%d}.pdf"
