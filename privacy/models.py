"""Data protection: retention classes, legal holds and the reports of the retention job.

Retention periods are data, not code: the law changes (§ 9b SGB VIII has made some youth-welfare
files a matter of decades since July 2025), so administrators set them in the portal. What a
record type *is* (which rows, which fields hold personal data) is code, in `privacy.rules`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.models import Case


class RecordType(models.TextChoices):
    CASE_WITH_HELP = "case_with_help", "Fallakten mit Hilfe (fallspezifisch, beendet)"
    CASE_WITHOUT_HELP = "case_without_help", "Fallakten ohne Hilfe (fallspezifisch, beendet)"
    PROJECT = "project", "Fallübergreifende und fallunabhängige Arbeit (beendet)"
    NOTE = "note", "Vermerke, Verlaufsnotizen und Berichte (beendeter Fälle)"
    RISK_ASSESSMENT = "risk_assessment", "Gefährdungseinschätzungen § 8a (beendeter Fälle)"
    AUDIT_ENTRY = "audit_entry", "Zugriffsprotokoll"
    REPORT_FILE = "report_file", "Berichte an den Jugendhilfeausschuss (PDF-Dateien)"


class Anchor(models.TextChoices):
    """Where a retention period starts."""

    CLOSED = "closed", "Tag der Beendigung des Falls"
    CLOSED_YEAR_END = "closed_year_end", "Ende des Jahres, in dem der Fall beendet wurde"
    YOUNGEST_CHILD_BIRTH = "youngest_child_birth", "Geburtstag des jüngsten Kindes im Fall"
    RECORD = "record", "Datum des Eintrags"
    RECORD_YEAR_END = "record_year_end", "Ende des Jahres des Eintrags"
    WITH_CASE = "with_case", "Fälligkeit der Fallakte, zu der der Eintrag gehört"


class Action(models.TextChoices):
    ANONYMISE = "anonymise", "anonymisieren"
    DELETE = "delete", "löschen"
    REPORT_ONLY = "report_only", "nur melden (Löschung außerhalb des Portals)"


class RetentionClass(models.Model):
    """How long one record type is kept, from when, and what happens when the time is up."""

    record_type = models.CharField(
        "Datenart", max_length=30, choices=RecordType.choices, unique=True, editable=False
    )
    period_years = models.PositiveSmallIntegerField("Jahre")
    period_months = models.PositiveSmallIntegerField("Monate", default=0)
    anchor = models.CharField("Fristbeginn", max_length=30, choices=Anchor.choices)
    action = models.CharField("Maßnahme", max_length=20, choices=Action.choices)
    is_active = models.BooleanField(
        "freigegeben",
        default=False,
        help_text=(
            "Erst wenn die Frist vom Datenschutz geprüft und freigegeben ist, handelt der "
            "Löschlauf danach. Bis dahin zeigt er nur, was fällig wäre."
        ),
    )
    legal_basis = models.TextField(
        "Rechtsgrundlage und Begründung",
        help_text="Welche Vorschrift oder Regelung die Frist bestimmt; ohne Personenbezug.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    changed_at = models.DateTimeField("zuletzt geändert", auto_now=True)

    class Meta:
        verbose_name = "Aufbewahrungsfrist"
        verbose_name_plural = "Aufbewahrungsfristen"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_months__lte=11),
                name="retentionclass_months_below_twelve",
                violation_error_message="Bitte geben Sie höchstens 11 Monate an (sonst Jahre).",
            ),
            models.CheckConstraint(
                condition=Q(period_years__lte=150),
                name="retentionclass_years_bounded",
                violation_error_message="Eine Frist von mehr als 150 Jahren ist nicht vorgesehen.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_record_type_display()

    @property
    def period_display(self) -> str:
        parts = []
        if self.period_years:
            parts.append(f"{self.period_years} {'Jahr' if self.period_years == 1 else 'Jahre'}")
        if self.period_months:
            parts.append(f"{self.period_months} {'Monat' if self.period_months == 1 else 'Monate'}")
        return " und ".join(parts) or "sofort"


class LegalHold(models.Model):
    """A case that must not be anonymised or deleted (court, complaint, review), with a reason.

    While a hold is active the retention job leaves the case and everything in it untouched.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="legal_holds", verbose_name="Fall"
    )
    reason = models.TextField("Grund der Sperre")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField("gesperrt am", auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lifted_at = models.DateTimeField("aufgehoben am", null=True, blank=True)
    lift_reason = models.TextField("Grund der Aufhebung", blank=True)

    class Meta:
        verbose_name = "Löschsperre"
        verbose_name_plural = "Löschsperren"
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(lifted_at__isnull=True),
                name="legalhold_one_active_per_case",
                violation_error_message="Für diesen Fall besteht bereits eine Löschsperre.",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True, lift_reason="")
                | Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason=""),
                name="legalhold_lift_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Löschsperre {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", "zeitgesteuert"
    PORTAL = "portal", "im Portal gestartet"
    COMMAND = "command", "Befehl auf dem Server"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "wartet"
    RUNNING = "running", "läuft"
    DONE = "done", "abgeschlossen"
    FAILED = "failed", "abgebrochen"


class RetentionRun(models.Model):
    """One run of the retention job and its report: counts per record type, never the data.

    `results` holds one row per record type: {"record_type", "action", "is_active", "due",
    "held", "done", "cutoff"} (numbers and ISO dates only).
    """

    trigger = models.CharField("Anlass", max_length=10, choices=RunTrigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="gestartet von",
    )
    is_preview = models.BooleanField("nur Vorschau", default=False)
    status = models.CharField(
        "Status", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    on_day = models.DateField("Stichtag")
    created_at = models.DateTimeField("angelegt", auto_now_add=True)
    started_at = models.DateTimeField("begonnen", null=True, blank=True)
    finished_at = models.DateTimeField("beendet", null=True, blank=True)
    results = models.JSONField("Ergebnis", default=list, blank=True)
    # The exception's class name only: a message could quote data.
    error = models.CharField("Fehler", max_length=120, blank=True)

    class Meta:
        verbose_name = "Löschlauf"
        verbose_name_plural = "Löschläufe"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Löschlauf {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
