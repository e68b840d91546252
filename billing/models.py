"""Leistungsnachweise, payment orders and payment runs.

A `PaymentOrder` (Auszahlungsanordnung) is an approved sum for the town's cash office; it is booked
as a `budgets.Payment` against its commitment in the same transaction. A `PaymentRun` (Zahllauf)
hands a numbered set of orders to the cash office; each `PaymentRunLine` keeps what the file says
(creditor, IBAN, cost centre, budget line) as it was when the run was made, so the file can be
exported again byte for byte, and the line's unique order keeps an order out of a second run.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from budgets.models import Commitment, Payment
from cases.models import Assignment
from sozialraum.money import MONEY


def order_number(pk: int, created_at: datetime.datetime) -> str:
    """AO-<year the order was made>-<id>: what the cash office and the provider quote."""
    return f"AO-{created_at.year}-{pk:07d}"


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
    # A payee that is not the commitment's provider (another youth office's reimbursement claim,
    # `reimbursements`): its bank details as they were when the order was made. Empty: the
    # provider of the commitment is paid.
    payee_name = models.CharField("Zahlungsempfänger", max_length=200, blank=True)
    payee_iban = models.CharField("IBAN des Zahlungsempfängers", max_length=34, blank=True)
    payee_bic = models.CharField("BIC des Zahlungsempfängers", max_length=11, blank=True)
    payee_creditor_number = models.CharField(
        "Kreditorennummer des Zahlungsempfängers", max_length=20, blank=True
    )

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
        return order_number(self.pk, self.created_at)


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


class StatementStatus(models.TextChoices):
    SUBMITTED = "submitted", "eingereicht"
    FIRST_APPROVED = "first_approved", "erste Freigabe (zweite Prüfung offen)"
    APPROVED = "approved", "freigegeben"
    RETURNED = "returned", "zurückgegeben"


class LineKind(models.TextChoices):
    """What one line of a Leistungsnachweis counts (hours, days, a month or sessions)."""

    FACE_TO_FACE = "face_to_face", "Fachleistungsstunden direkt (face-to-face)"
    WITH_FAMILY = "with_family", "Fachleistungsstunden mit der Familie/im Umfeld"
    TRAVEL = "travel", "Fahrzeit"
    PRESENT = "present", "Anwesenheitstag"
    ABSENT = "absent", "Abwesenheitstag"
    MONTH = "month", "Monatspauschale"
    GROUP_SESSION = "group_session", "Gruppensitzung"


HOUR_KINDS = (LineKind.FACE_TO_FACE, LineKind.WITH_FAMILY, LineKind.TRAVEL)
DAY_KINDS = (LineKind.PRESENT, LineKind.ABSENT)


class ServiceStatement(models.Model):
    """A Leistungsnachweis: what a provider delivered for one assignment in one month.

    The provider submits it; the checking role approves it (a payment order books the approved
    sum), approves a corrected sum with a reason, or returns it with a reason. A returned
    statement stays as it was; the provider submits a new one for the month.
    """

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.PROTECT,
        related_name="service_statements",
        verbose_name="Falldurchführung",
    )
    month = models.DateField("Monat", help_text="Erster Tag des Monats.")
    status = models.CharField(
        "Status", max_length=20, choices=StatementStatus.choices, default=StatementStatus.SUBMITTED
    )
    claimed_amount = models.DecimalField("abgerechneter Betrag (€)", **MONEY)
    approved_amount = models.DecimalField(
        "freigegebener Betrag (€)", null=True, blank=True, **MONEY
    )
    correction_reason = models.TextField("Begründung der Korrektur", blank=True)
    return_reason = models.TextField("Grund der Rückgabe", blank=True)
    # The signed original, in the private statement storage (`billing.storage`), if any.
    document = models.CharField("unterschriebenes Original", max_length=200, blank=True)
    document_name = models.CharField("Dateiname", max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("eingereicht am", auto_now_add=True)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    first_approved_at = models.DateTimeField("erste Freigabe am", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    checked_at = models.DateTimeField("geprüft am", null=True, blank=True)
    # One payment per statement, also against two approvals at the same moment: the order is
    # unique here, so a second approval's transaction fails at commit and books nothing.
    payment_order = models.OneToOneField(
        PaymentOrder,
        on_delete=models.PROTECT,
        related_name="service_statement",
        null=True,
        blank=True,
        verbose_name="Auszahlungsanordnung",
    )

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = "Leistungsnachweis"
        verbose_name_plural = "Leistungsnachweise"
        indexes = [
            # The check queue (`billing.selectors.statements_to_check`): only the open
            # statements, in the queue's order (oldest month, then id), so a page is read off
            # the index and stops after its rows; decided statements (nearly all of them after
            # a few months) are not in it at all.
            models.Index(
                fields=["month", "id"],
                name="statement_open_queue",
                condition=Q(status__in=["submitted", "first_approved"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "month"],
                condition=~Q(status=StatementStatus.RETURNED),
                name="statement_once_per_month",
                violation_error_message=(
                    "Für diesen Monat ist schon ein Leistungsnachweis eingereicht."
                ),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="statement_month_first_day"),
            models.CheckConstraint(
                condition=Q(claimed_amount__gte=0), name="statement_claim_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.APPROVED)
                | Q(payment_order__isnull=False, approved_amount__isnull=False),
                name="statement_approved_has_order",
            ),
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True)
                | Q(first_approved_by__isnull=True)
                | ~Q(checked_by=models.F("first_approved_by")),
                name="statement_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.RETURNED) | ~Q(return_reason=""),
                name="statement_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Leistungsnachweis {self.month:%m/%Y} ({self.assignment_id})"


class ServiceLine(models.Model):
    """One line of a Leistungsnachweis: a day, what kind of work, how much (hours or count)."""

    statement = models.ForeignKey(ServiceStatement, on_delete=models.CASCADE, related_name="lines")
    day = models.DateField("Datum")
    kind = models.CharField("Art", max_length=20, choices=LineKind.choices)
    quantity = models.DecimalField("Stunden bzw. Anzahl", max_digits=6, decimal_places=2)
    rate = models.DecimalField("Satz (€)", **MONEY)
    amount = models.DecimalField("Betrag (€)", **MONEY)

    class Meta:
        ordering = ["day", "kind", "pk"]
        verbose_name = "Zeile eines Leistungsnachweises"
        verbose_name_plural = "Zeilen eines Leistungsnachweises"
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(quantity__lte=24), name="serviceline_quantity_range"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="serviceline_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y} {self.get_kind_display()} {self.quantity}"
