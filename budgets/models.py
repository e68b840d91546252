"""Fiscal years, the Vorwegabzug, region budgets, commitments and the append-only ledger.

Every movement of money is a `LedgerEntry`. Entries are never changed or deleted: the model,
the admin and the database (a trigger per vendor, see migration 0002) refuse it. A correction is a
reversal of the wrong entry plus a new one. Figures (allocated, committed, paid) are sums over the
ledger; `Budget` keeps a cached copy that `manage.py reconcile_budgets` checks against the ledger.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cases.models import CaseKind
from sozialraum.models import Provider, Region, Sozialraum
from sozialraum.money import MONEY


class LedgerImmutable(Exception):
    """Raised when code tries to change or delete a ledger entry."""


class FiscalYear(models.Model):
    """One calendar year's youth-welfare budget before the Vorwegabzug and the split."""

    year = models.PositiveSmallIntegerField("Haushaltsjahr", unique=True)
    total = models.DecimalField("Jugendhilfebudget gesamt (€)", **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "Haushaltsjahr"
        verbose_name_plural = "Haushaltsjahre"
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="fiscalyear_total_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="fiscalyear_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Haushaltsjahr {self.year}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


class Reserve(models.Model):
    """The Vorwegabzug rule of a year: a fixed amount or a percentage of the total.

    The money itself sits in the year's reserve `Budget` (the one without a region).
    """

    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.PROTECT, related_name="reserve", verbose_name="Haushaltsjahr"
    )
    amount = models.DecimalField("Betrag (€)", null=True, blank=True, **MONEY)
    percentage = models.DecimalField(
        "Prozent des Gesamtbudgets", max_digits=5, decimal_places=2, null=True, blank=True
    )
    resolved_amount = models.DecimalField("Vorwegabzug (€)", **MONEY)

    class Meta:
        verbose_name = "Vorwegabzug"
        verbose_name_plural = "Vorwegabzüge"
        constraints = [
            models.CheckConstraint(
                condition=(Q(amount__isnull=False) & Q(percentage__isnull=True))
                | (Q(amount__isnull=True) & Q(percentage__isnull=False)),
                name="reserve_amount_xor_percentage",
                violation_error_message=(
                    "Geben Sie entweder einen Betrag oder einen Prozentsatz an."
                ),
            ),
            models.CheckConstraint(
                condition=Q(resolved_amount__gte=0), name="reserve_resolved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True)
                | (Q(percentage__gte=0) & Q(percentage__lte=100)),
                name="reserve_percentage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Vorwegabzug {self.fiscal_year.year}"


class SplitMethod(models.TextChoices):
    MINORS = "minors", "nach Minderjährigen je Region"
    LAST_YEAR = "last_year", "nach Verbrauch im Vorjahr"
    MANUAL = "manual", "eigene Aufteilung"


class BudgetSplit(models.Model):
    """The planners' decision how the distributable amount is split among the regions."""

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="splits", verbose_name="Haushaltsjahr"
    )
    method = models.CharField("Grundlage", max_length=20, choices=SplitMethod.choices)
    rationale = models.TextField("Begründung")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("entschieden am", auto_now_add=True)
    distributable = models.DecimalField("verteilbarer Betrag (€)", **MONEY)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = "Budgetaufteilung"
        verbose_name_plural = "Budgetaufteilungen"

    def __str__(self) -> str:
        return f"Aufteilung {self.fiscal_year.year} ({self.get_method_display()})"


class BudgetSplitShare(models.Model):
    split = models.ForeignKey(BudgetSplit, on_delete=models.PROTECT, related_name="shares")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("Anteil (€)", **MONEY)

    class Meta:
        ordering = ["region__name"]
        constraints = [
            models.UniqueConstraint(fields=["split", "region"], name="splitshare_one_per_region"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="splitshare_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.amount}"


class Budget(models.Model):
    """An account of a fiscal year: a region's budget, or (region empty) the Vorwegabzug.

    The `cached_*` columns are updated in the same transaction as each ledger entry, with the
    row locked; `reconcile_budgets` proves they equal the ledger.
    """

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="budgets", verbose_name="Haushaltsjahr"
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="budgets",
        null=True,
        blank=True,
        verbose_name="Region",
        help_text="Leer beim Vorwegabzug.",
    )
    cached_allocated = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    cached_committed = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    cached_paid = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    # Money received on the budget (cost contributions, reimbursements from other offices): kept
    # beside the spending, never added to what the region may bind (see docs/contributions.md).
    cached_received = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    # What the running commitments (not ended, not cancelled) add to 31 December: the sum of
    # their `year_end_amount - cached_bound`, moved by every service that changes one of those
    # (`forecast.projection_move`), so the overview does not sum the commitments.
    cached_projection = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)

    class Meta:
        ordering = ["fiscal_year", "region__name"]
        verbose_name = "Budget"
        verbose_name_plural = "Budgets"
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "region"], name="budget_one_per_region_and_year"
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(region__isnull=True),
                name="budget_one_reserve_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.fiscal_year.year}"

    @property
    def is_reserve(self) -> bool:
        return self.region_id is None

    @property
    def label(self) -> str:
        return "Vorwegabzug" if self.region is None else f"Budget Region {self.region.name}"


class CostBasis(models.TextChoices):
    AMOUNT = "amount", "fester Betrag"
    HOURS = "hours", "Fachleistungsstunden je Woche"
    MONTHLY = "monthly", "monatliche Kosten"


class Commitment(models.Model):
    """A Bewilligung: money bound in a region's budget for a help or a project.

    Project commitments (cross-case, case-independent) carry a fixed amount. An individual help's
    commitment is computed from hours × weeks × rate or monthly cost × months (see
    `budgets.calculations`) and will point at a `cases.Assignment` once that app has landed.
    The bound amount itself lives in the ledger (commitment, releases, reversals).
    """

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="commitments", verbose_name="Budget"
    )
    kind = models.CharField("Art der Arbeit", max_length=20, choices=CaseKind.choices)
    title = models.CharField("Titel", max_length=200)
    sozialraum = models.ForeignKey(
        Sozialraum,
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name="Sozialraum",
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name="Träger",
    )
    basis = models.CharField(
        "Berechnung", max_length=10, choices=CostBasis.choices, default=CostBasis.AMOUNT
    )
    hours_per_week = models.DecimalField(
        "Fachleistungsstunden je Woche", max_digits=6, decimal_places=2, null=True, blank=True
    )
    hourly_rate = models.DecimalField("Stundensatz (€)", null=True, blank=True, **MONEY)
    monthly_cost = models.DecimalField("monatliche Kosten (€)", null=True, blank=True, **MONEY)
    starts_on = models.DateField("Beginn")
    ends_on = models.DateField("geplantes Ende", null=True, blank=True)
    ended_on = models.DateField("vorzeitig beendet am", null=True, blank=True)
    is_cancelled = models.BooleanField("storniert", default=False, editable=False)
    # Cost of the commitment if it ran to 31 December: the base of the year-end forecast.
    year_end_amount = models.DecimalField(
        "Hochrechnung bis Jahresende (€)", editable=False, **MONEY
    )
    is_project_carry_over = models.BooleanField(
        "Sozialraumprojekt aus Übertrag", default=False, editable=False
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="Überschreitung freigegeben von",
    )
    override_reason = models.TextField("Begründung der Überschreitung", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)
    # An individual help's commitment belongs to the assignment that commissioned it: one per
    # fiscal year the assignment runs in (a new provider binds anew).
    assignment = models.ForeignKey(
        "cases.Assignment",
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name="Falldurchführung",
    )
    # Sums of this commitment's ledger entries (bound: committed figure, paid: paid figure),
    # moved with each entry like the budget's caches, so that lists and breakdowns read thousands
    # of commitments instead of a million entries. `reconcile_budgets` checks them as well.
    cached_bound = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    cached_paid = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    cached_received = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "Bewilligung"
        verbose_name_plural = "Bewilligungen"
        indexes = [
            # The year-end forecast sums what running commitments would cost beyond what they
            # bind: only those where the two differ, read from the index alone.
            models.Index(
                fields=["budget"],
                include=["year_end_amount", "cached_bound"],
                condition=Q(ended_on__isnull=True, is_cancelled=False)
                & ~Q(year_end_amount=models.F("cached_bound")),
                name="commitment_projection",
            ),
            # A budget's breakdowns by provider and by Sozialraum sum its thousands of
            # commitments: read from this index alone instead of a heap page per commitment.
            models.Index(
                fields=["budget"],
                include=["provider", "sozialraum", "cached_bound", "cached_paid"],
                name="commitment_breakdown",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="commitment_end_after_start",
                violation_error_message="Das Ende liegt vor dem Beginn.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                name="commitment_ended_after_start",
            ),
            models.CheckConstraint(
                condition=Q(override_by__isnull=True) | ~Q(override_reason=""),
                name="commitment_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(basis=CostBasis.AMOUNT)
                | Q(basis=CostBasis.HOURS, hours_per_week__gt=0, hourly_rate__gt=0)
                | Q(basis=CostBasis.MONTHLY, monthly_cost__gt=0),
                name="commitment_basis_complete",
            ),
            models.UniqueConstraint(
                fields=["assignment", "budget"],
                name="commitment_once_per_assignment_and_budget",
                violation_error_message="Die Falldurchführung ist in diesem Budget schon gebunden.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if (
            self.sozialraum is not None
            and self.budget_id
            and self.budget.region_id is not None
            and self.sozialraum.region_id != self.budget.region_id
        ):
            raise ValidationError(
                {"sozialraum": "Der Sozialraum gehört nicht zur Region dieses Budgets."}
            )


class CommitmentTotal(models.Model):
    """What a budget's commitments bind and have paid, by kind of work and help type.

    Moved with every entry, like the caches of budgets and commitments, so that a year's overview
    reads a few dozen rows instead of every commitment; `reconcile_budgets` checks them.
    """

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="commitment_totals")
    kind = models.CharField(max_length=20, choices=CaseKind.choices)
    help_type = models.ForeignKey(
        "cases.HelpType", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    bound = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    paid = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    received = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "kind", "help_type"], name="commitmenttotal_one_per_key"
            ),
            models.UniqueConstraint(
                fields=["budget", "kind"],
                condition=Q(help_type__isnull=True),
                name="commitmenttotal_one_without_help_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.kind} {self.help_type_id}"


class CommitmentPlaceTotal(models.Model):
    """What a budget's commitments bind and have paid, by provider and Sozialraum.

    Moved with every entry beside `CommitmentTotal` (`services.entry_book`), so that a region's
    breakdowns by provider and by Sozialraum read a few hundred rows instead of every commitment;
    `reconcile_budgets` checks them. Either key may be empty (no provider, no Sozialraum): one
    conditional constraint per combination keeps one row per key on SQLite and PostgreSQL.
    """

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="place_totals")
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    bound = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)
    paid = models.DecimalField(default=Decimal("0.00"), editable=False, **MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "provider", "sozialraum"], name="placetotal_one_per_key"
            ),
            models.UniqueConstraint(
                fields=["budget", "sozialraum"],
                condition=Q(provider__isnull=True, sozialraum__isnull=False),
                name="placetotal_one_without_provider",
            ),
            models.UniqueConstraint(
                fields=["budget", "provider"],
                condition=Q(provider__isnull=False, sozialraum__isnull=True),
                name="placetotal_one_without_sozialraum",
            ),
            models.UniqueConstraint(
                fields=["budget"],
                condition=Q(provider__isnull=True, sozialraum__isnull=True),
                name="placetotal_one_without_either",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id} {self.provider_id} {self.sozialraum_id}"


class Payment(models.Model):
    """Money actually paid against a commitment (never more than it binds)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="payments", verbose_name="Bewilligung"
    )
    amount = models.DecimalField("Betrag (€)", **MONEY)
    paid_on = models.DateField("gezahlt am")
    note = models.CharField("Verwendungszweck", max_length=200, blank=True)
    # The service period a payment pays for (set by payment orders from a Leistungsnachweis):
    # the year-end forecast takes a paid month as fact and the plan only for the months after.
    period_start = models.DateField("Leistungszeitraum von", null=True, blank=True)
    period_end = models.DateField("Leistungszeitraum bis", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = "Zahlung"
        verbose_name_plural = "Zahlungen"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(period_start__isnull=False, period_end__gte=models.F("period_start")),
                name="payment_period_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Zahlung {self.amount} ({self.commitment})"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "offen"
    APPROVED = "approved", "genehmigt"
    REJECTED = "rejected", "abgelehnt"


class ReserveTransferRequest(models.Model):
    """A region lead asks for money from the Vorwegabzug; a second person decides (four eyes)."""

    budget = models.ForeignKey(
        Budget,
        on_delete=models.PROTECT,
        related_name="transfer_requests",
        verbose_name="Budget der Region",
    )
    amount = models.DecimalField("Betrag (€)", **MONEY)
    justification = models.TextField("Begründung")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("beantragt am", auto_now_add=True)
    status = models.CharField(
        "Status", max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField("entschieden am", null=True, blank=True)
    decision_note = models.TextField("Anmerkung zur Entscheidung", blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = "Antrag auf Mittel aus dem Vorwegabzug"
        verbose_name_plural = "Anträge auf Mittel aus dem Vorwegabzug"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            # Four eyes, also against direct writes: nobody decides their own request.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="transfer_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status=TransferStatus.PENDING, decided_by__isnull=True)
                | (~Q(status=TransferStatus.PENDING) & Q(decided_by__isnull=False)),
                name="transfer_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Antrag {self.pk} ({self.get_status_display()})"


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", "Zuweisung"
    TRANSFER = "transfer", "Umbuchung Vorwegabzug"
    COMMITMENT = "commitment", "Bewilligung"
    PAYMENT = "payment", "Zahlung"
    RELEASE = "release", "Freigabe"
    REVERSAL = "reversal", "Storno"
    CARRY_OVER = "carry_over", "Übertrag Sozialraumprojekte"
    INCOME = "income", "Einnahme"


class Figure(models.TextChoices):
    """The figure of a budget that an entry moves."""

    ALLOCATED = "allocated", "zugewiesen"
    COMMITTED = "committed", "gebunden"
    PAID = "paid", "gezahlt"
    RECEIVED = "received", "eingenommen"


class IncomeSource(models.TextChoices):
    """What income is, for Teil IV of the statistics (Einnahmen by kind)."""

    CONTRIBUTION = "contribution", "Kostenbeitrag (§§ 91 ff. SGB VIII)"
    REIMBURSEMENT = "reimbursement", "Kostenerstattung (§§ 89 ff. SGB VIII)"
    OTHER = "other", "sonstige Einnahme"


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise LedgerImmutable("Buchungen können nicht geändert werden.")

    def delete(self):
        raise LedgerImmutable("Buchungen können nicht gelöscht werden.")

    # Django's manager reads this marker off the method (keeps it off the manager); typeshed
    # gives functions no attributes, so the marker cannot be typed.
    update.queryset_only = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class LedgerEntry(models.Model):
    """One movement of money on one budget. Append-only: inserted once, never changed."""

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="entries", verbose_name="Budget"
    )
    kind = models.CharField("Buchungsart", max_length=20, choices=EntryKind.choices)
    figure = models.CharField("Größe", max_length=10, choices=Figure.choices)
    amount = models.DecimalField("Betrag (€)", **MONEY)
    booked_on = models.DateField("Buchungsdatum")
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="entries",
        null=True,
        blank=True,
        verbose_name="Bewilligung",
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="entry", null=True, blank=True
    )
    transfer_request = models.ForeignKey(
        ReserveTransferRequest,
        on_delete=models.PROTECT,
        related_name="entries",
        null=True,
        blank=True,
    )
    split = models.ForeignKey(
        BudgetSplit, on_delete=models.PROTECT, related_name="entries", null=True, blank=True
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="reversed_by",
        null=True,
        blank=True,
        verbose_name="storniert Buchung",
    )
    # Income only (and its Storno): what the money received is, for the statistics.
    income_source = models.CharField(
        "Art der Einnahme", max_length=20, choices=IncomeSource.choices, blank=True
    )
    # The booking text and a reversal's reason are free text and may name people: they live in
    # `LedgerText`, which retention and erasure can empty while this row stays untouched.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("gebucht am", auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "Buchung"
        verbose_name_plural = "Buchungen"
        indexes = [models.Index(fields=["budget", "figure"], name="ledger_budget_figure")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            # A reversal's reason is required by its service (`entry_reverse`) and kept in
            # `LedgerText`, where it can be erased; the entry it reverses stays a constraint.
            models.CheckConstraint(
                condition=Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=EntryKind.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_reversal_names_entry",
            ),
            # Income is money received, booked positive on its own figure; only its Storno is
            # negative there (`budgets.income`).
            models.CheckConstraint(
                condition=~Q(kind=EntryKind.INCOME) | Q(figure=Figure.RECEIVED, amount__gt=0),
                name="ledger_income_received_positive",
            ),
            models.CheckConstraint(
                condition=~Q(figure=Figure.RECEIVED)
                | Q(kind__in=[EntryKind.INCOME, EntryKind.REVERSAL]),
                name="ledger_received_only_income",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.budget})"

    def save(self, *args, **kwargs) -> None:
        # An integrity guard, not business logic: the ledger only ever grows.
        if not self._state.adding:
            raise LedgerImmutable("Buchungen können nicht geändert werden.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable("Buchungen können nicht gelöscht werden.")

    @property
    def text(self) -> str:
        """The booking text, or what became of it ("Text gelöscht am … (Aufbewahrungsfrist)")."""
        free_text = getattr(self, "free_text", None)
        if free_text is None:
            return ""
        return free_text.erased_note or free_text.text

    @property
    def reason(self) -> str:
        """A reversal's reason; empty once the text is erased (the booking text says so)."""
        free_text = getattr(self, "free_text", None)
        return "" if free_text is None else free_text.reason


class ErasureGround(models.TextChoices):
    RETENTION = "retention", "Aufbewahrungsfrist"
    REQUEST = "request", "Löschung auf Antrag (Art. 17 DSGVO, § 84 SGB X)"


class LedgerText(models.Model):
    """The free text of one ledger entry (booking text, a reversal's reason), kept beside the
    append-only ledger so that retention and erasure can empty it: amounts, dates, accounts and
    codes stay in `LedgerEntry`, untouched. Once erased, the texts are empty and the entry shows
    when and why."""

    entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="free_text",
        verbose_name="Buchung",
    )
    text = models.CharField("Buchungstext", max_length=300, blank=True)
    reason = models.TextField("Begründung", blank=True)
    erased_on = models.DateField("Text gelöscht am", null=True, blank=True)
    erased_because = models.CharField(
        "Grund der Löschung", max_length=20, choices=ErasureGround.choices, blank=True
    )

    class Meta:
        verbose_name = "Buchungstext"
        verbose_name_plural = "Buchungstexte"
        constraints = [
            models.CheckConstraint(
                condition=Q(erased_on__isnull=True, erased_because="")
                | (Q(erased_on__isnull=False, text="", reason="") & ~Q(erased_because="")),
                name="ledger_text_erased_empty_with_ground",
            ),
        ]

    def __str__(self) -> str:
        return self.erased_note or self.text

    @property
    def erased_note(self) -> str:
        return erased_note(self.erased_on, self.erased_because)


def erased_note(erased_on: datetime.date | None, erased_because: str) -> str:
    """What an erased booking text shows instead ("Text gelöscht am … (Aufbewahrungsfrist)"),
    empty while the text stands (`LedgerText.erased_note`, and the ledger's rows of values)."""
    if erased_on is None:
        return ""
    ground = ErasureGround(erased_because).label if erased_because else ""
    return f"Text gelöscht am {erased_on:%d.%m.%Y} ({ground})"


class ServiceUnit(models.TextChoices):
    """How a rate agreement prices a help (§§ 78a ff. SGB VIII)."""

    HOURLY = "hourly", "Fachleistungsstunde"
    DAILY = "daily", "Tagessatz"
    MONTHLY = "monthly", "Monatspauschale"
    GROUP_SESSION = "group_session", "Gruppensitzung"


class RateAgreement(models.Model):
    """An Entgeltvereinbarung: a provider's rate for one kind of service, valid from a date.

    A rate has no end date: the agreement valid on a day is the one with the latest `valid_from`
    up to that day, so a new rate from a date never changes an earlier row (`budgets.rates`
    refuses to change a row once a commitment ran under it).
    """

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="rate_agreements", verbose_name="Träger"
    )
    unit = models.CharField("Leistungsart", max_length=20, choices=ServiceUnit.choices)
    valid_from = models.DateField("gültig ab")
    rate = models.DecimalField("Satz (€)", **MONEY)
    # Fachleistungsstunde: whether travel time is billable at the hourly rate.
    travel_billable = models.BooleanField("Fahrzeit abrechenbar", default=False)
    # Tagessatz: the share of the daily rate paid for a day of absence (Abwesenheitsvergütung).
    absence_percent = models.DecimalField(
        "Vergütung bei Abwesenheit (% des Tagessatzes)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    note = models.CharField("Bezeichnung der Vereinbarung", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["provider__name", "unit", "-valid_from"]
        verbose_name = "Entgeltvereinbarung"
        verbose_name_plural = "Entgeltvereinbarungen"
        indexes = [
            models.Index(fields=["provider", "unit", "valid_from"], name="rateagreement_lookup")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "unit", "valid_from"],
                name="rateagreement_one_per_start",
                violation_error_message=(
                    "Für diesen Träger und diese Leistungsart gibt es ab diesem Tag schon einen "
                    "Satz."
                ),
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rateagreement_rate_positive"),
            models.CheckConstraint(
                condition=Q(absence_percent__gte=0) & Q(absence_percent__lte=100),
                name="rateagreement_absence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} {self.provider} ab {self.valid_from:%d.%m.%Y}"


# Trägerbudget ---------------------------------------------------------------------------------


class ProviderBudget(models.Model):
    """A Trägerbudget: a year's money from a region's budget that its Schwerpunktträger (or a
    Trägerverbund) manages itself. The money is bound in the region's budget by allocation
    commitments (`ProviderBudgetAllocation`); the provider books its own spending against it
    (`ProviderBudgetBooking`), and what is left at year end goes by one recorded decision into
    named Sozialraum projects (`ProviderBudgetCarryOver`). See `budgets.provider_budgets`."""

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="provider_budgets", verbose_name="Budget"
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="provider_budgets",
        null=True,
        blank=True,
        verbose_name="Schwerpunktträger",
    )
    alliance = models.ForeignKey(
        "sozialraum.ProviderAlliance",
        on_delete=models.PROTECT,
        related_name="provider_budgets",
        null=True,
        blank=True,
        verbose_name="Trägerverbund",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)

    class Meta:
        ordering = ["budget", "pk"]
        verbose_name = "Trägerbudget"
        verbose_name_plural = "Trägerbudgets"
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__isnull=False, alliance__isnull=True)
                | Q(provider__isnull=True, alliance__isnull=False),
                name="providerbudget_provider_xor_alliance",
                violation_error_message="Ein Trägerbudget gehört einem Träger oder einem Verbund.",
            ),
            models.UniqueConstraint(
                fields=["budget", "provider"],
                name="providerbudget_once_per_provider",
                violation_error_message="Dieser Träger hat hier schon ein Trägerbudget.",
            ),
            models.UniqueConstraint(
                fields=["budget", "alliance"],
                name="providerbudget_once_per_alliance",
                violation_error_message="Dieser Verbund hat hier schon ein Trägerbudget.",
            ),
        ]

    def __str__(self) -> str:
        return f"Trägerbudget {self.holder_name} {self.budget.fiscal_year.year}"

    @property
    def holder_name(self) -> str:
        holder = self.provider or self.alliance
        return str(holder)


class ProviderBudgetAllocation(models.Model):
    """One allocation to a Trägerbudget: a commitment in the region's budget, with the planners'
    rationale. An allocation is never changed; more money is a further allocation."""

    provider_budget = models.ForeignKey(
        ProviderBudget, on_delete=models.PROTECT, related_name="allocations"
    )
    commitment = models.OneToOneField(
        Commitment, on_delete=models.PROTECT, related_name="provider_budget_allocation"
    )
    rationale = models.TextField("Begründung")

    class Meta:
        ordering = ["pk"]
        verbose_name = "Zuweisung an ein Trägerbudget"
        verbose_name_plural = "Zuweisungen an Trägerbudgets"

    def __str__(self) -> str:
        return f"{self.provider_budget}: {self.commitment}"


class SpendingKind(models.TextChoices):
    INDIVIDUAL = "individual", "Einzelfallhilfe (Falldurchführung)"
    GROUP = "group", "Gruppenangebot"
    SOZIALRAUM = "sozialraum", "Sozialraumarbeit"
    STAFF = "staff", "Personalstunden"


class ProviderBudgetBooking(models.Model):
    """The provider's own spending from its Trägerbudget. Append-only like the ledger: a wrong
    booking is reversed by its exact opposite (`reverses`), never changed."""

    provider_budget = models.ForeignKey(
        ProviderBudget, on_delete=models.PROTECT, related_name="bookings"
    )
    kind = models.CharField("Art der Arbeit", max_length=20, choices=SpendingKind.choices)
    assignment = models.ForeignKey(
        "cases.Assignment",
        on_delete=models.PROTECT,
        related_name="provider_budget_bookings",
        null=True,
        blank=True,
        verbose_name="Falldurchführung",
    )
    hours = models.DecimalField("Stunden", max_digits=8, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField("Betrag (€)", **MONEY)
    spent_on = models.DateField("Datum der Ausgabe")
    text = models.CharField("Buchungstext", max_length=200)
    over_reason = models.TextField("Begründung der Überschreitung", blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="reversed_by",
        null=True,
        blank=True,
        verbose_name="storniert Buchung",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("gebucht am", auto_now_add=True)

    class Meta:
        ordering = ["spent_on", "pk"]
        verbose_name = "Buchung im Trägerbudget"
        verbose_name_plural = "Buchungen im Trägerbudget"
        indexes = [
            models.Index(fields=["provider_budget", "kind"], name="providerbooking_budget_kind")
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="providerbooking_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=False) | Q(amount__gt=0),
                name="providerbooking_only_reversal_negative",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SpendingKind.INDIVIDUAL)
                | Q(assignment__isnull=False)
                | Q(reverses__isnull=False),
                name="providerbooking_individual_has_assignment",
                violation_error_message="Einzelfallhilfe braucht eine Falldurchführung.",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="providerbooking_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs) -> None:
        # The provider's book only grows, like the ledger.
        if not self._state.adding:
            raise LedgerImmutable("Buchungen können nicht geändert werden.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable("Buchungen können nicht gelöscht werden.")


class ProviderBudgetCarryOver(models.Model):
    """The recorded year-end decision: what is left of a Trägerbudget goes into named Sozialraum
    projects of the next year. Once per Trägerbudget (a constraint, also against two clicks)."""

    provider_budget = models.OneToOneField(
        ProviderBudget,
        on_delete=models.PROTECT,
        related_name="carry_over",
        verbose_name="Trägerbudget",
    )
    amount = models.DecimalField("übertragen (€)", **MONEY)
    rationale = models.TextField("Begründung der Entscheidung")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("entschieden am", auto_now_add=True)

    class Meta:
        verbose_name = "Übertrag eines Trägerbudgets"
        verbose_name_plural = "Überträge von Trägerbudgets"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="providercarryover_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Übertrag {self.provider_budget}"


class ProviderBudgetProject(models.Model):
    """A named Sozialraum project of the next year funded by a carry-over decision; its money is
    a project commitment (`is_project_carry_over`) in the next year's region budget."""

    carry_over = models.ForeignKey(
        ProviderBudgetCarryOver, on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField("Projekt", max_length=200)
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="+", verbose_name="Sozialraum"
    )
    amount = models.DecimalField("Betrag (€)", **MONEY)
    commitment = models.OneToOneField(
        Commitment, on_delete=models.PROTECT, related_name="provider_budget_project"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = "Sozialraumprojekt aus einem Trägerbudget"
        verbose_name_plural = "Sozialraumprojekte aus Trägerbudgets"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="providerproject_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name
