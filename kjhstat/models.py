"""The KJH statistics' own records: delivery files built in the background, and the mapping of
our kinds of spending to the positions of Teil IV (Ausgaben und Einnahmen)."""

import uuid

from django.conf import settings
from django.db import models

from kjhstat.storage import delivery_storage


class SpendingPosition(models.TextChoices):
    """Positions of Teil IV (Ausgaben und Einnahmen der öffentlichen Jugendhilfe) that the
    office's spending falls under; wording of the questionnaire, codes ours (docs/statistics.md)."""

    HELP_27 = "27", "Hilfe zur Erziehung nach § 27 SGB VIII (ohne Verbindung zu §§ 28–35)"
    HELP_28 = "28", "Erziehungsberatung (§ 28)"
    HELP_29 = "29", "Soziale Gruppenarbeit (§ 29)"
    HELP_30 = "30", "Erziehungsbeistand, Betreuungshelfer (§ 30)"
    HELP_31 = "31", "Sozialpädagogische Familienhilfe (§ 31)"
    HELP_32 = "32", "Erziehung in einer Tagesgruppe (§ 32)"
    HELP_33 = "33", "Vollzeitpflege (§ 33)"
    HELP_34 = "34", "Heimerziehung, sonstige betreute Wohnform (§ 34)"
    HELP_35 = "35", "Intensive sozialpädagogische Einzelbetreuung (§ 35)"
    HELP_35A = "35a", "Eingliederungshilfe für seelisch behinderte junge Menschen (§ 35a)"
    HELP_41 = "41", "Hilfe für junge Volljährige (§ 41)"
    HELP_42 = "42", "Vorläufige Schutzmaßnahmen (§§ 42, 42a)"
    FAMILY_16 = "16", "Allgemeine Förderung der Erziehung in der Familie (§ 16)"
    YOUTH_WORK_11 = "11", "Jugendarbeit (§§ 11, 12)"
    SOCIAL_WORK_13 = "13", "Jugendsozialarbeit (§ 13)"
    OTHER = "99", "Sonstige Aufgaben der Jugendhilfe"
    INCOME_CONTRIBUTIONS = "E1", "Einnahmen: Kostenbeiträge (§§ 91 ff.)"
    INCOME_REIMBURSEMENTS = "E2", "Einnahmen: Kostenerstattungen (§§ 89 ff.)"
    NOT_REPORTED = "-", "nicht melden"


class SpendingMapping(models.Model):
    """Which Teil IV position one of our kinds of spending is reported under. Without a row the
    default of `kjhstat.surveys.spending.DEFAULT_POSITIONS` applies; a row overrides it."""

    source = models.CharField(
        "Kostenart im Portal",
        max_length=60,
        unique=True,
        help_text="z. B. „help_type:31“ (Hilfeart § 31), „kind:cross_case“ (Gruppen und Projekte)",
    )
    position = models.CharField(
        "Position in Teil IV", max_length=3, choices=SpendingPosition.choices
    )
    note = models.CharField("Anmerkung", max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changed_at = models.DateTimeField("geändert am", auto_now=True)

    class Meta:
        verbose_name = "Zuordnung zu Teil IV"
        verbose_name_plural = "Zuordnungen zu Teil IV (Ausgaben und Einnahmen)"
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.source} → {self.position}"


class DeliveryState(models.TextChoices):
    WAITING = "waiting", "wartet"
    RUNNING = "running", "wird erstellt"
    DONE = "done", "fertig"
    FAILED = "failed", "fehlgeschlagen"


class Delivery(models.Model):
    """One delivery file of one survey and year, built by a Celery task (kjhstat.tasks)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.CharField("Erhebung", max_length=20)
    year = models.PositiveSmallIntegerField("Berichtsjahr")
    is_preview = models.BooleanField("Vorschau (Jahr noch nicht beendet)", default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("angefordert am", auto_now_add=True)
    state = models.CharField(
        "Stand", max_length=10, choices=DeliveryState.choices, default=DeliveryState.WAITING
    )
    progress = models.PositiveSmallIntegerField("Fortschritt (%)", default=0)
    step = models.CharField("Arbeitsschritt", max_length=120, blank=True)
    finished_at = models.DateTimeField("fertig am", null=True, blank=True)
    error = models.TextField("Fehlermeldung", blank=True)
    record_count = models.PositiveIntegerField("Datensätze", null=True, blank=True)
    sha256 = models.CharField("Prüfsumme (SHA-256)", max_length=64, blank=True)
    file = models.FileField(storage=delivery_storage, blank=True, editable=False)

    class Meta:
        verbose_name = "Lieferdatei"
        verbose_name_plural = "Lieferdateien"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["survey", "year"], name="kjh_delivery_survey_year")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="kjh_delivery_progress_range"
            )
        ]

    def __str__(self) -> str:
        return self.download_name

    @property
    def download_name(self) -> str:
        suffix = "_VORSCHAU" if self.is_preview else ""
        return f"kjh_{self.survey}_{self.year}{suffix}.csv"

    @property
    def is_open(self) -> bool:
        return self.state in (DeliveryState.WAITING, DeliveryState.RUNNING)
