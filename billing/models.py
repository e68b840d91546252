"""Leistungsnachweise, payment orders and payment runs.

A `PaymentOrder` (Auszahlungsanordnung) is an approved sum for the town's cash office; it is booked
as a `budgets.Payment` against its commitment in the same transaction. A `PaymentRun` (Zahllauf)
hands a numbered set of orders to the cash office; each `PaymentRunLine` keeps what the file says
(creditor, IBAN, cost centre, budget line) as it was when the run was made, so the file can be
exported again byte for byte, and the line's unique order keeps an order out of a second run.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from budgets.models import Commitment, Payment
from sozialraum.money import MONEY


class PaymentOrder(models.Model):
    """An Auszahlungsanordnung: one approved sum for one commitment and one service period."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name="Bewilligung",
    )
    payment = models.OneToOneField(
        Payment,
        on_delete=models.PROTECT,
        related_name="payment_order",
        verbose_name="Zahlung",
    )
    amount = models.DecimalField("Betrag (€)", **MONEY)
    period_start = models.DateField("Leistungszeitraum von")
    period_end = models.DateField("Leistungszeitraum bis")
    # Internal purpose (may name the help); the cash office's file builds its own purpose from
    # the order number and the period, never from this text.
    purpose = models.CharField("Zweck (intern)", max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angeordnet am", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Auszahlungsanordnung"
        verbose_name_plural = "Auszahlungsanordnungen"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="paymentorder_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="paymentorder_period_order",
                violation_error_message="Das Ende des Leistungszeitraums liegt vor dem Beginn.",
            ),
        ]

    def __str__(self) -> str:
        return f"Auszahlungsanordnung {self.number}"

    @property
    def number(self) -> str:
        """The order number the cash office and the provider quote (year of the order, id)."""
        year = self.created_at.year if self.created_at else self.period_end.year
        return f"AO-{year}-{self.pk:07d}"


class PaymentRun(models.Model):
    """A Zahllauf: a numbered set of payment orders handed to the cash office as one file."""

    year = models.PositiveSmallIntegerField("Jahr")
    number = models.PositiveIntegerField("laufende Nummer")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = "Zahllauf"
        verbose_name_plural = "Zahlläufe"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="paymentrun_unique_number",
                violation_error_message="Diese Zahllauf-Nummer ist schon vergeben.",
            )
        ]

    def __str__(self) -> str:
        return f"Zahllauf {self.label}"

    @property
    def label(self) -> str:
        return f"{self.year}-{self.number:04d}"


class PaymentRunLine(models.Model):
    """One order in one run, with the cash office's columns frozen when the run was made."""

    run = models.ForeignKey(
        PaymentRun, on_delete=models.PROTECT, related_name="lines", verbose_name="Zahllauf"
    )
    order = models.OneToOneField(
        PaymentOrder,
        on_delete=models.PROTECT,
        related_name="run_line",
        verbose_name="Auszahlungsanordnung",
    )
    position = models.PositiveIntegerField("Position")
    creditor = models.CharField("Zahlungsempfänger", max_length=200)
    creditor_number = models.CharField("Kreditorennummer", max_length=20, blank=True)
    iban = models.CharField("IBAN", max_length=34)
    bic = models.CharField("BIC", max_length=11, blank=True)
    amount = models.DecimalField("Betrag (€)", **MONEY)
    purpose = models.CharField("Verwendungszweck", max_length=140)
    cost_centre = models.CharField("Kostenstelle", max_length=40)
    budget_line = models.CharField("Haushaltsstelle", max_length=40)

    class Meta:
        ordering = ["run", "position"]
        verbose_name = "Position eines Zahllaufs"
        verbose_name_plural = "Positionen eines Zahllaufs"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "position"], name="paymentrunline_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} / {self.position}"
