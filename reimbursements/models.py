"""Cost reimbursement between youth offices (§§ 89 ff. SGB VIII).

`YouthOffice` is another office as master data (address, contact, bank details for what we pay
it). A `ReimbursementClaim` is our claim to another office for one of our helps and a period; its
amount is what the ledger paid for the help in that period, frozen when the claim is made. The
other office's payments are `ClaimReceipt`s, each booked as ledger income (`budgets.income`);
partial payments are normal and stay as they are. A `ReceivedClaim` is another office's claim
on us: the region's ASD team lead checks it, and an approval becomes a `billing.PaymentOrder` to
the office's IBAN, booked as a payment in the ledger like every payment order.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from sozialraum import banking
from sozialraum.money import MONEY


class YouthOffice(models.Model):
    """Another youth office (Jugendamt) we claim from or that claims from us."""

    name = models.CharField("Name", max_length=200, unique=True)
    department = models.CharField("Abteilung / Sachgebiet", max_length=200, blank=True)
    street = models.CharField("Straße und Hausnummer", max_length=200)
    postcode = models.CharField("PLZ", max_length=5)
    city = models.CharField("Ort", max_length=80)
    contact_person = models.CharField("Ansprechperson", max_length=120, blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    # What we pay a claim of this office to (billing's payment orders); kept without blanks.
    iban = models.CharField("IBAN", max_length=34, blank=True, validators=[banking.iban_validate])
    bic = models.CharField("BIC", max_length=11, blank=True, validators=[banking.bic_validate])
    creditor_number = models.CharField("Kreditorennummer der Stadtkasse", max_length=20, blank=True)
    is_active = models.BooleanField("aktiv", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "Jugendamt"
        verbose_name_plural = "Jugendämter"
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=r"^[0-9]{5}$"),
                name="youthoffice_postcode_five_digits",
                violation_error_message="Die Postleitzahl hat fünf Ziffern.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.iban = banking.iban_normalise(self.iban)
        self.bic = self.bic.strip().upper()


class LegalBasis(models.TextChoices):
    """Why the other office reimburses (or we do)."""

    S89 = "89", "§ 89 SGB VIII (kein gewöhnlicher Aufenthalt)"
    S89A = "89a", "§ 89a SGB VIII (Pflegestelle, Zuständigkeit nach § 86 Abs. 6)"
    S89B = "89b", "§ 89b SGB VIII (Inobhutnahme, § 42)"
    S89C = "89c", "§ 89c SGB VIII (fortdauernde Vollzugsleistung, § 86c)"
    S89D = "89d", "§ 89d SGB VIII (Einreise aus dem Ausland)"
    S89E = "89e", "§ 89e SGB VIII (Schutz der Einrichtungsorte)"
    S86C = "86c", "§ 86c SGB VIII (Fortdauer nach Zuständigkeitswechsel)"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Entwurf"
    SENT = "sent", "versandt"
    ACKNOWLEDGED = "acknowledged", "anerkannt"
    PART_PAID = "part_paid", "teilweise gezahlt"
    PAID = "paid", "gezahlt"
    DISPUTED = "disputed", "strittig"
    SETTLED = "settled", "abgeschlossen"
    WITHDRAWN = "withdrawn", "zurückgenommen"


# Claims that still count against a second claim for the same help and period.
LIVE_STATUSES = tuple(s for s in ClaimStatus.values if s != ClaimStatus.WITHDRAWN)
# Statuses in which the other office's payments are recorded.
RECEIVING_STATUSES = (
    ClaimStatus.SENT,
    ClaimStatus.ACKNOWLEDGED,
    ClaimStatus.PART_PAID,
    ClaimStatus.DISPUTED,
)


def claim_number(pk: int, created_at: datetime.datetime) -> str:
    """KE-<year>-<id>: our reference the other office quotes."""
    return f"KE-{created_at.year}-{pk:06d}"


class ReimbursementClaim(models.Model):
    """Our claim to another office for a help and a period (Kostenerstattungsanspruch)."""

    help = models.ForeignKey(
        "cases.Help",
        on_delete=models.PROTECT,
        related_name="reimbursement_claims",
        verbose_name="Hilfe",
    )
    office = models.ForeignKey(
        YouthOffice, on_delete=models.PROTECT, related_name="claims", verbose_name="Jugendamt"
    )
    legal_basis = models.CharField("Rechtsgrundlage", max_length=4, choices=LegalBasis.choices)
    period_start = models.DateField("Zeitraum von")
    period_end = models.DateField("Zeitraum bis")
    # The ledger's payments for the help in the period when the claim was made (Decimal, frozen:
    # the letter and the other office's payments refer to this figure).
    amount = models.DecimalField("geforderter Betrag (€)", **MONEY)
    status = models.CharField(
        "Status", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    their_reference = models.CharField("Aktenzeichen des Jugendamts", max_length=60, blank=True)
    sent_on = models.DateField("versandt am", null=True, blank=True)
    acknowledged_on = models.DateField("anerkannt am", null=True, blank=True)
    dispute_reason = models.TextField("Einwand des Jugendamts", blank=True)
    settled_on = models.DateField("abgeschlossen am", null=True, blank=True)
    settlement_note = models.TextField("Ergebnis der Klärung", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Kostenerstattungsanspruch"
        verbose_name_plural = "Kostenerstattungsansprüche"
        indexes = [models.Index(fields=["help", "period_start"], name="claim_help_period")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="claim_period_order",
                violation_error_message="Das Ende des Zeitraums liegt vor dem Beginn.",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.DISPUTED) | ~Q(dispute_reason=""),
                name="claim_dispute_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.SETTLED)
                | (Q(settled_on__isnull=False) & ~Q(settlement_note="")),
                name="claim_settled_complete",
            ),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.DRAFT) | Q(sent_on__isnull=False),
                name="claim_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Kostenerstattung {self.number}"

    @property
    def number(self) -> str:
        return claim_number(self.pk, self.created_at)

    @property
    def case(self):
        return self.help.case


class ClaimReceipt(models.Model):
    """A payment of the other office on our claim, booked as ledger income. Never changed: a
    wrong receipt is reversed by the ledger's reversal of its entry (`reversed_on`)."""

    claim = models.ForeignKey(ReimbursementClaim, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField("Betrag (€)", **MONEY)
    received_on = models.DateField("eingegangen am")
    # The income entry in the ledger (`budgets.income.income_book`); the ledger row itself is
    # append-only, so the link is kept here.
    entry = models.OneToOneField(
        "budgets.LedgerEntry",
        on_delete=models.PROTECT,
        related_name="claim_receipt",
        verbose_name="Buchung",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("erfasst am", auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = "Zahlungseingang"
        verbose_name_plural = "Zahlungseingänge"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claimreceipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Eingang {self.amount} ({self.claim_id})"


class ReceivedStatus(models.TextChoices):
    RECEIVED = "received", "eingegangen (Prüfung offen)"
    APPROVED = "approved", "anerkannt, Auszahlung angeordnet"
    REJECTED = "rejected", "abgelehnt"


class ReceivedClaim(models.Model):
    """Another office's claim on us for one of our cases; checked by the region's team lead and
    paid through a `billing.PaymentOrder` (one order per claim, also against two approvals)."""

    office = models.ForeignKey(
        YouthOffice,
        on_delete=models.PROTECT,
        related_name="received_claims",
        verbose_name="Jugendamt",
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="received_reimbursement_claims",
        verbose_name="Fall",
    )
    legal_basis = models.CharField("Rechtsgrundlage", max_length=4, choices=LegalBasis.choices)
    their_reference = models.CharField("Aktenzeichen des Jugendamts", max_length=60)
    period_start = models.DateField("Zeitraum von")
    period_end = models.DateField("Zeitraum bis")
    claimed_amount = models.DecimalField("geforderter Betrag (€)", **MONEY)
    received_on = models.DateField("eingegangen am")
    status = models.CharField(
        "Status", max_length=20, choices=ReceivedStatus.choices, default=ReceivedStatus.RECEIVED
    )
    approved_amount = models.DecimalField("anerkannter Betrag (€)", null=True, blank=True, **MONEY)
    decision_reason = models.TextField("Begründung", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    checked_at = models.DateTimeField("geprüft am", null=True, blank=True)
    payment_order = models.OneToOneField(
        "billing.PaymentOrder",
        on_delete=models.PROTECT,
        related_name="received_claim",
        null=True,
        blank=True,
        verbose_name="Auszahlungsanordnung",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("erfasst am", auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = "Erstattungsforderung eines anderen Jugendamts"
        verbose_name_plural = "Erstattungsforderungen anderer Jugendämter"
        indexes = [
            models.Index(
                fields=["received_on", "id"],
                name="receivedclaim_open_queue",
                condition=Q(status="received"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="receivedclaim_period_order",
                violation_error_message="Das Ende des Zeitraums liegt vor dem Beginn.",
            ),
            models.CheckConstraint(
                condition=Q(claimed_amount__gt=0), name="receivedclaim_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReceivedStatus.APPROVED)
                | Q(payment_order__isnull=False, approved_amount__gt=0),
                name="receivedclaim_approved_has_order",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReceivedStatus.REJECTED) | ~Q(decision_reason=""),
                name="receivedclaim_rejection_has_reason",
            ),
            models.UniqueConstraint(
                fields=["office", "their_reference", "period_start"],
                name="receivedclaim_once_per_reference",
                violation_error_message=(
                    "Diese Forderung (Aktenzeichen und Zeitraum) ist schon erfasst."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Forderung {self.office} {self.their_reference}"
