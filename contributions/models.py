"""Parents' and young people's cost contributions to placements (§§ 91–94 SGB VIII).

The amounts come from the income table of the Kostenbeitragsverordnung (`IncomeTable`, its rows
`IncomeBracket`), kept as data an administrator maintains with validity dates, never as code. A
liable person's `IncomeEvidence` gives the monthly net income (§ 93); a `CostContribution` for a
placement help and that person is the amount the table gives (or, with a reason, less — never
more). The contribution is claimed month by month (`ContributionClaim`, once per month: a
constraint); money received is a `ContributionReceipt`, each booked as ledger income
(`budgets.income`) against the help's commitment, partial payments kept as they are; what is
not to be collected is a `ContributionWaiver` (Erlass) with a reason. A claim is never deleted.
See docs/contributions.md.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from sozialraum.money import MONEY, MoneyFieldOptions

PERCENT: MoneyFieldOptions = {"max_digits": 5, "decimal_places": 2}


class Stage(models.IntegerChoices):
    """The Beitragsstufe: columns 2 to 5 of the Anlage (§§ 2, 3 KostenbeitragsV). From the
    fourth person placed full-time there is no Beitragsstufe: only § 94 Abs. 3 SGB VIII
    (child benefit) is owed (§ 2 KostenbeitragsV)."""

    NONE = 0, "keine: vierte oder weitere vollstationär untergebrachte Person (nur Kindergeld)"
    FIRST = 1, "1 – vollstationär, erste Person"
    SECOND = 2, "2 – vollstationär, zweite Person"
    THIRD = 3, "3 – vollstationär, dritte Person"
    PART_TIME = 4, "4 – teilstationär"


class IncomeTable(models.Model):
    """One version of the table of the Kostenbeitragsverordnung (Anlage zu § 1), valid from a
    day (and, once replaced, to a day)."""

    name = models.CharField("Bezeichnung", max_length=200)
    valid_from = models.DateField("gültig ab", unique=True)
    valid_to = models.DateField("gültig bis", null=True, blank=True)
    source = models.CharField(
        "Quelle", max_length=300, help_text="Fundstelle, z. B. BGBl. mit Jahr und Seite."
    )
    # § 5 KostenbeitragsV: income above the top group pays a share of the income per
    # Beitragsstufe (empty: the table has no such rule, such an income is refused in German).
    above_top_percent_1 = models.DecimalField(
        "über der obersten Gruppe: Stufe 1 (% des Einkommens)", null=True, blank=True, **PERCENT
    )
    above_top_percent_2 = models.DecimalField(
        "über der obersten Gruppe: Stufe 2 (%)", null=True, blank=True, **PERCENT
    )
    above_top_percent_3 = models.DecimalField(
        "über der obersten Gruppe: Stufe 3 (%)", null=True, blank=True, **PERCENT
    )
    above_top_percent_4 = models.DecimalField(
        "über der obersten Gruppe: Stufe 4 (%)", null=True, blank=True, **PERCENT
    )

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "Kostenbeitragstabelle"
        verbose_name_plural = "Kostenbeitragstabellen"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="incometable_valid_to_after_from",
                violation_error_message="„gültig bis“ liegt vor „gültig ab“.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (ab {self.valid_from:%d.%m.%Y})"

    def above_top_percent(self, stage: int) -> Decimal | None:
        return {
            1: self.above_top_percent_1,
            2: self.above_top_percent_2,
            3: self.above_top_percent_3,
            4: self.above_top_percent_4,
        }[stage]


class IncomeBracket(models.Model):
    """One income group of a table: monthly net income from/to and the contribution per
    Beitragsstufe (columns 2 to 5 of the Anlage)."""

    table = models.ForeignKey(
        IncomeTable, on_delete=models.CASCADE, related_name="brackets", verbose_name="Tabelle"
    )
    group = models.PositiveSmallIntegerField("Einkommensgruppe")
    income_from = models.DecimalField("Nettoeinkommen ab (€)", **MONEY)
    income_to = models.DecimalField(
        "Nettoeinkommen bis (€)", null=True, blank=True, help_text="Leer bei der obersten Gruppe.",
        **MONEY,
    )  # fmt: skip
    stage_1 = models.DecimalField("Beitragsstufe 1 (€)", **MONEY)
    stage_2 = models.DecimalField("Beitragsstufe 2 (€)", **MONEY)
    stage_3 = models.DecimalField("Beitragsstufe 3 (€)", **MONEY)
    stage_4 = models.DecimalField("Beitragsstufe 4 (€)", **MONEY)
    # § 4 KostenbeitragsV as data: how many groups lower a person of this group is placed per
    # further maintenance obligation (2024: groups 2–6 two, groups 7–14 one).
    groups_lower_per_dependant = models.PositiveSmallIntegerField(
        "Gruppen tiefer je weiterer Unterhaltspflicht (§ 4)", default=1
    )
    # § 6 KostenbeitragsV as data: the group a parent of a young adult is placed in instead
    # (2024: groups 2 and 3 → 1, 4 → 2, 11–14 → 10); empty = the same group.
    young_adult_group = models.PositiveSmallIntegerField(
        "Einkommensgruppe bei jungen Volljährigen (§ 6)",
        null=True,
        blank=True,
        help_text="Leer: dieselbe Gruppe.",
    )

    class Meta:
        ordering = ["table", "group"]
        verbose_name = "Einkommensgruppe"
        verbose_name_plural = "Einkommensgruppen"
        constraints = [
            models.UniqueConstraint(fields=["table", "group"], name="incomebracket_group_once"),
            models.CheckConstraint(
                condition=Q(income_to__isnull=True) | Q(income_to__gte=F("income_from")),
                name="incomebracket_range",
            ),
            models.CheckConstraint(
                condition=Q(stage_1__gte=0, stage_2__gte=0, stage_3__gte=0, stage_4__gte=0),
                name="incomebracket_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Einkommensgruppe {self.group}"

    def amount(self, stage: int) -> Decimal:
        return {1: self.stage_1, 2: self.stage_2, 3: self.stage_3, 4: self.stage_4}[stage]


class ChildBenefitRate(models.Model):
    """The monthly child benefit (Kindergeld) per child from a day: the contribution a parent
    who receives it owes for a full-time placement (§ 94 Abs. 3 SGB VIII)."""

    valid_from = models.DateField("gültig ab", unique=True)
    amount = models.DecimalField("Kindergeld monatlich (€)", **MONEY)
    source = models.CharField("Quelle", max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "Kindergeldbetrag"
        verbose_name_plural = "Kindergeldbeträge"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="childbenefitrate_positive"),
        ]

    def __str__(self) -> str:
        return f"Kindergeld ab {self.valid_from:%d.%m.%Y}: {self.amount} €"


class IncomeEvidence(models.Model):
    """The income a liable person proved (Einkommensnachweis): monthly net income after the
    deductions of § 93 SGB VIII, the period it is for, the day it came in."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="income_evidence")
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        related_name="income_evidence",
        verbose_name="kostenbeitragspflichtige Person",
    )
    monthly_income = models.DecimalField("maßgebliches Nettoeinkommen monatlich (€)", **MONEY)
    period_start = models.DateField("Einkommen im Zeitraum von")
    period_end = models.DateField("bis")
    submitted_on = models.DateField("Nachweis eingegangen am")
    note = models.CharField("Art des Nachweises", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = "Einkommensnachweis"
        verbose_name_plural = "Einkommensnachweise"
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0), name="incomeevidence_income_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="incomeevidence_period",
                violation_error_message="Das Ende des Zeitraums liegt vor dem Beginn.",
            ),
        ]

    def __str__(self) -> str:
        return f"Einkommensnachweis vom {self.submitted_on:%d.%m.%Y}"


class CostContribution(models.Model):
    """A Kostenbeitrag: what one liable person pays monthly towards one placement help."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contributions")
    help = models.ForeignKey(
        "cases.Help", on_delete=models.CASCADE, related_name="contributions", verbose_name="Hilfe"
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name="kostenbeitragspflichtige Person",
    )
    evidence = models.ForeignKey(
        IncomeEvidence,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name="Einkommensnachweis",
    )
    table = models.ForeignKey(
        IncomeTable, on_delete=models.PROTECT, related_name="+", verbose_name="Tabelle"
    )
    # The group applied after §§ 4 and 6; empty when the income is above the top group (§ 5).
    group = models.PositiveSmallIntegerField("Einkommensgruppe", null=True, blank=True)
    stage = models.PositiveSmallIntegerField("Beitragsstufe", choices=Stage.choices)
    further_dependants = models.PositiveSmallIntegerField(
        "weitere Unterhaltsberechtigte", default=0
    )
    young_adult = models.BooleanField("junger Volljähriger (§ 6 KostenbeitragsV)", default=False)
    # The maximum from income: the table's amount (or § 5's share), capped at the help's cost.
    table_amount = models.DecimalField("Betrag laut Tabelle (€)", **MONEY)
    amount = models.DecimalField("monatlicher Kostenbeitrag aus Einkommen (€)", **MONEY)
    receives_child_benefit = models.BooleanField(
        "bezieht Kindergeld für den jungen Menschen", default=False
    )
    # § 94 Abs. 3 SGB VIII: the child benefit, owed besides the income contribution.
    child_benefit_amount = models.DecimalField(
        "Kostenbeitrag in Höhe des Kindergeldes (€)", default=Decimal("0.00"), **MONEY
    )
    reduction_reason = models.TextField("Begründung des niedrigeren Betrags", blank=True)
    starts_on = models.DateField("ab")
    ends_on = models.DateField("bis", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = "Kostenbeitrag"
        verbose_name_plural = "Kostenbeiträge"
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="contribution_running")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=F("table_amount")),
                name="contribution_not_above_table",
                violation_error_message=(
                    "Der Kostenbeitrag darf den Betrag der Tabelle nicht übersteigen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount=F("table_amount")) | ~Q(reduction_reason=""),
                name="contribution_reduction_has_reason",
                violation_error_message="Bitte begründen Sie den niedrigeren Betrag.",
            ),
            models.CheckConstraint(
                condition=Q(stage__gte=0, stage__lte=4), name="contribution_stage_range"
            ),
            models.CheckConstraint(
                condition=Q(child_benefit_amount__gte=0)
                & (Q(receives_child_benefit=True) | Q(child_benefit_amount=0)),
                name="contribution_child_benefit",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="contribution_end_after_start",
                violation_error_message="Das Ende liegt vor dem Beginn.",
            ),
        ]

    def __str__(self) -> str:
        return f"Kostenbeitrag Nr. {self.pk}"

    @property
    def monthly_total(self) -> Decimal:
        """What is claimed each month: the income contribution plus the child benefit part."""
        return self.amount + self.child_benefit_amount


class ContributionClaim(models.Model):
    """The contribution claimed for one month (Sollstellung), due on the 15th of the month."""

    contribution = models.ForeignKey(
        CostContribution, on_delete=models.PROTECT, related_name="claims"
    )
    month = models.DateField("Monat", help_text="Der Erste des Monats.")
    amount = models.DecimalField("Forderung (€)", **MONEY)
    due_on = models.DateField("fällig am")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "pk"]
        verbose_name = "Forderung"
        verbose_name_plural = "Forderungen"
        indexes = [models.Index(fields=["due_on"], name="contributionclaim_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "month"],
                name="contributionclaim_once_per_month",
                violation_error_message="Für diesen Monat ist schon eine Forderung angelegt.",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contributionclaim_positive"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="contributionclaim_first_of_month"
            ),
        ]

    def __str__(self) -> str:
        return f"Forderung {self.month:%m/%Y}"


class ClaimRun(models.Model):
    """The monthly claim run of one month: its row is locked while the run works, so two runs
    of the same month (the nightly task and the command, two workers) follow one another and
    each reports what it created itself."""

    month = models.DateField("Monat", unique=True)
    runs = models.PositiveIntegerField("Läufe", default=0)
    claims_created = models.PositiveIntegerField("angelegte Forderungen", default=0)
    last_run_at = models.DateTimeField("zuletzt gelaufen", null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = "Sollstellungslauf"
        verbose_name_plural = "Sollstellungsläufe"

    def __str__(self) -> str:
        return f"Sollstellung {self.month:%m/%Y}"


class ReceiptSource(models.TextChoices):
    MANUAL = "manual", "von Hand erfasst"
    CASH_OFFICE = "cash_office", "Import der Stadtkasse"


class ContributionReceipt(models.Model):
    """Money received on a claim; booked as ledger income in the same transaction."""

    claim = models.ForeignKey(ContributionClaim, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField("Betrag (€)", **MONEY)
    received_on = models.DateField("eingegangen am")
    source = models.CharField("Herkunft", max_length=20, choices=ReceiptSource.choices)
    # The cash office's booking reference: a line imported twice is recognised, not booked twice.
    reference = models.CharField("Buchungszeichen der Stadtkasse", max_length=40, blank=True)
    entry = models.OneToOneField(
        "budgets.LedgerEntry", on_delete=models.PROTECT, related_name="contribution_receipt"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = "Zahlungseingang"
        verbose_name_plural = "Zahlungseingänge"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contributionreceipt_positive"),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="contributionreceipt_reference_once",
                violation_error_message="Dieser Zahlungseingang ist schon erfasst.",
            ),
        ]

    def __str__(self) -> str:
        return f"Eingang vom {self.received_on:%d.%m.%Y}"


class ContributionWaiver(models.Model):
    """An Erlass: part or all of a claim that is not collected, with the reason. The claim
    stays; the waiver is its own record."""

    claim = models.ForeignKey(ContributionClaim, on_delete=models.PROTECT, related_name="waivers")
    amount = models.DecimalField("erlassener Betrag (€)", **MONEY)
    reason = models.TextField("Begründung")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField("entschieden am", default=timezone.localdate)

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = "Erlass"
        verbose_name_plural = "Erlasse"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contributionwaiver_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="contributionwaiver_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Erlass {self.amount}"
