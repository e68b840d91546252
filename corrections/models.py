"""Berichtigung: the earlier version of a corrected record, with who, when and why.

Case files are legal records: a correction never overwrites silently. Each correction of a help,
a commission, a help plan review, a § 8a assessment, a note or a conference agreement (and each
withdrawal or revisited decision) leaves one `Correction` that names the record by content type
and id, keeps the values of the fields that changed before and after, and the reason. It lives
below casework, network and money so that every app can use it; the apps' own services decide
who may correct what and call `corrections.services.correction_record` in their transaction.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Berichtigung"
    WITHDRAWAL = "withdrawal", "Rücknahme"
    DECISION = "decision", "neue Entscheidung"


class Correction(models.Model):
    """One correction of one record: the changed fields' earlier and new values, and the reason.

    `changes` is what the history shows, already in German form ([{"field", "label", "before",
    "after"}, …]), so the entry still reads right when the record changes again; `before` keeps
    the raw earlier values (foreign keys as ids) of the changed fields for the audit.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(
        "Art", max_length=12, choices=CorrectionKind.choices, default=CorrectionKind.CORRECTION
    )
    reason = models.TextField("Grund")
    before = models.JSONField("vorher", encoder=DjangoJSONEncoder, default=dict)
    changes = models.JSONField("Änderungen", encoder=DjangoJSONEncoder, default=list)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="berichtigt von",
    )
    corrected_at = models.DateTimeField("berichtigt am", auto_now_add=True)

    class Meta:
        verbose_name = "Berichtigung"
        verbose_name_plural = "Berichtigungen"
        ordering = ["corrected_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="correction_record")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="correction_has_reason",
                violation_error_message="Eine Berichtigung braucht einen Grund.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.content_type_id}/{self.object_id}"

    # Integrity, not business logic: a history that could be rewritten would prove nothing.
    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Berichtigungen können nicht geändert werden.")
        super().save(*args, **kwargs)
