"""Clients of the read API and the log of their calls.

A client is a planners' tool (a spreadsheet, the town's dashboard) with a token and scopes. The
token is shown once when the client is created; only its SHA-256 is stored, so a leaked database
does not leak working tokens.
"""

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    BUDGETS = "budgets", "Budgets und ihre Verwendung"
    FIGURES = "figures", "Kennzahlen je Sozialraum"
    STATISTICS = "statistics", "Tabellen der KJH-Statistik"
    DIRECTORY = "directory", "Partner und Angebote (öffentliches Verzeichnis)"


class ApiClient(models.Model):
    name = models.CharField("Name des Werkzeugs", max_length=120, unique=True)
    # The first characters of the token, to find the row without comparing every hash.
    token_prefix = models.CharField(max_length=12, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField("Berechtigungen", default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)
    revoked_at = models.DateTimeField("gesperrt am", null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "API-Zugang"
        verbose_name_plural = "API-Zugänge"

    def __str__(self) -> str:
        # The throttle keys its counter on this text: one counter per client.
        return f"api-client-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def scope_labels(self) -> list[str]:
        return [Scope(value).label for value in self.scopes if value in Scope.values]


class ApiCall(models.Model):
    """One call of the read API, answered or refused. Append-only like the case audit."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="calls", null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "API-Aufruf"
        verbose_name_plural = "API-Aufrufe"

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
