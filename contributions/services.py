"""Writes of the cost contributions (§§ 91–94 SGB VIII).

Every receipt is booked as ledger income (`budgets.income.income_book`) in the same transaction
as the receipt itself, against the help's commitment of the year the money came in; claims and
receipts are checked with the claim row locked, so two people (or an import and a person) can
never book more than a claim leaves open. The monthly claim run is idempotent: one claim per
contribution and month is a database constraint.
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from budgets.income import income_book
from budgets.models import Budget, Commitment, IncomeSource
from cases.kjh_items import YOUNG_ADULT_KINDS, HelpKind, help_kind_of
from cases.models import Case, Help, HelpType, Person, PersonRole
from cases.permissions import can_change_case
from contributions.models import (
    ChildBenefitRate,
    ClaimRun,
    ContributionClaim,
    ContributionReceipt,
    ContributionWaiver,
    CostContribution,
    IncomeBracket,
    IncomeEvidence,
    IncomeTable,
    ReceiptSource,
    Stage,
)
from contributions.selectors import claim_open_amount
from sozialraum.models import User
from sozialraum.money import CENT, money_format, money_round
from sozialraum.plausibility import Checks, date_de

DUE_DAY = 15  # a month's contribution is due on the 15th of that month
STAGES = tuple(Stage.values)
ZERO = Decimal("0.00")


def _require_change(user: User, case: Case) -> None:
    if not can_change_case(user, case):
        raise ValidationError(
            "Kostenbeiträge dieses Falls ändern die fallsteuernde Fachkraft und die Teamleitung."
        )


def month_first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_last(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# The income table -------------------------------------------------------------------------------


def table_valid_on(day: datetime.date) -> IncomeTable:
    """The table in force on `day` (the latest that began by then and has not ended)."""
    table = (
        IncomeTable.objects.filter(valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )
    if table is None:
        raise ValidationError(
            f"Für den {date_de(day)} ist keine Kostenbeitragstabelle hinterlegt. Bitte wenden "
            "Sie sich an die Administration."
        )
    return table


def _bracket_index(brackets: list[IncomeBracket], income: Decimal) -> int | None:
    """Index of the group the income falls into; None when it is above the top group (§ 5)."""
    for index, bracket in enumerate(brackets):
        if bracket.income_from <= income and (
            bracket.income_to is None or income <= bracket.income_to
        ):
            return index
    top = brackets[-1]
    if top.income_to is not None and income > top.income_to:
        return None
    # An income between two rows (cents) or below the first: the lower group applies.
    lower = [index for index, b in enumerate(brackets) if b.income_from <= income]
    return lower[-1] if lower else 0


def _index_of_group(brackets: list[IncomeBracket], group: int) -> int:
    for index, bracket in enumerate(brackets):
        if bracket.group == group:
            return index
    raise ValidationError(
        f"Die Kostenbeitragstabelle verweist auf die Einkommensgruppe {group}, die es nicht "
        "gibt. Bitte wenden Sie sich an die Administration."
    )


def table_amount(
    *,
    table: IncomeTable,
    monthly_income: Decimal,
    stage: int,
    further_dependants: int = 0,
    young_adult: bool = False,
) -> tuple[int | None, Decimal]:
    """(income group applied, monthly contribution from income) by the KostenbeitragsV.

    The income falls into one group of the table. § 4: per further maintenance obligation the
    person is placed lower, step by step, by the number of groups the row names
    (`groups_lower_per_dependant`; 2024: groups 2–6 two, 7–14 one), never below the first
    group. § 6 (after § 4): a parent of a young adult is placed in the row's `young_adult_group`
    (2024: at most group 10; 2 and 3 → 1; 4 → 2). § 5: an income above the top group pays the
    table's percentage of the income for the stage (2024: 25/15/10 %, teilstationär 5 %), rounded
    to the cent half up; the group is then None. With a further obligation, an income above the
    top group is first placed in the top group (one step down from "above the table"): the
    Verordnung does not say, this reads § 4 as applying to every income.
    Stage 0 (fourth or further person placed full-time, § 2) owes nothing from income.
    """
    if stage not in STAGES:
        raise ValidationError({"stage": "Bitte wählen Sie eine der angebotenen Beitragsstufen."})
    brackets = list(table.brackets.order_by("group"))
    if not brackets:
        raise ValidationError("Die Kostenbeitragstabelle hat keine Einkommensgruppen.")
    income = money_round(monthly_income)
    index = _bracket_index(brackets, income)
    for _ in range(max(0, further_dependants)):  # § 4, step by step
        if index is None:
            index = len(brackets) - 1
        else:
            index = max(0, index - brackets[index].groups_lower_per_dependant)
    if young_adult:  # § 6, after § 4
        row = brackets[-1] if index is None else brackets[index]
        if row.young_adult_group is not None:
            index = _index_of_group(brackets, row.young_adult_group)
    if index is not None:
        bracket = brackets[index]
        return bracket.group, (ZERO if stage == Stage.NONE else bracket.amount(stage))
    if stage == Stage.NONE:
        return None, ZERO
    percent = table.above_top_percent(stage)
    if percent is None:
        raise ValidationError(
            f"Das Einkommen von {money_format(income)} liegt über der obersten Einkommensgruppe, "
            "und die Tabelle nennt dafür keinen Prozentsatz (§ 5 KostenbeitragsV). Bitte wenden "
            "Sie sich an die Administration."
        )
    return None, (income * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def child_benefit_on(day: datetime.date) -> Decimal:
    """The monthly child benefit in force on `day` (§ 94 Abs. 3 SGB VIII)."""
    rate = ChildBenefitRate.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if rate is None:
        raise ValidationError(
            {
                "receives_child_benefit": f"Für den {date_de(day)} ist kein Kindergeldbetrag "
                "hinterlegt. Bitte wenden Sie sich an die Administration."
            }
        )
    return rate.amount


def is_full_time(help_type: HelpType) -> bool | None:
    """True for a placement over day and night (vollstationär), False for a day group
    (teilstationär, § 32), None for a help without a contribution (§ 91 SGB VIII)."""
    if help_type.is_placement:
        return True
    if help_kind_of(help_type.code) == HelpKind.DAY_GROUP:
        return False
    return None


def is_young_adult(*, help: Help, day: datetime.date) -> bool:
    """§ 6 KostenbeitragsV: the help is for a young adult — a help of § 41 SGB VIII, or the young
    person the help is for (else the case's only child) is 18 or older on `day`."""
    if help_kind_of(help.help_type.code) in YOUNG_ADULT_KINDS:
        return True
    person = help.young_person
    if person is None:
        children = list(help.case.persons.filter(role=PersonRole.CHILD)[:2])
        person = children[0] if len(children) == 1 else None
    age = person.age_on(day) if person is not None else None
    return age is not None and age >= 18


# Income evidence and the contribution ----------------------------------------------------------


@transaction.atomic
def evidence_record(
    *,
    case: Case,
    person: Person,
    monthly_income: Decimal,
    period_start: datetime.date,
    period_end: datetime.date,
    submitted_on: datetime.date,
    user: User,
    note: str = "",
) -> IncomeEvidence:
    """Record a liable person's proof of income (an amount, its period, the day it came in)."""
    _require_change(user, case)
    checks = Checks()
    if person.case_id != case.pk:
        checks.refuse("person", "Die Person gehört nicht zu diesem Fall.")
    if monthly_income < 0:
        checks.refuse("monthly_income", "Das Einkommen darf nicht negativ sein.")
    checks.not_in_future("submitted_on", submitted_on, what="Der Eingang des Nachweises")
    checks.not_in_future("period_start", period_start, what="Der Beginn des Zeitraums")
    if period_end < period_start:
        checks.refuse("period_end", "Das Ende des Zeitraums liegt vor dem Beginn.")
    checks.raise_if_any()
    evidence = IncomeEvidence(
        case=case,
        person=person,
        monthly_income=money_round(monthly_income),
        period_start=period_start,
        period_end=period_end,
        submitted_on=submitted_on,
        note=note.strip(),
        created_by=user,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def contribution_set(
    *,
    help: Help,
    evidence: IncomeEvidence,
    stage: int,
    starts_on: datetime.date,
    user: User,
    further_dependants: int = 0,
    receives_child_benefit: bool = False,
    ends_on: datetime.date | None = None,
    amount: Decimal | None = None,
    reduction_reason: str = "",
) -> CostContribution:
    """Set the monthly contribution of the evidence's person to a placement or day-group help.

    The maximum from income (`table_amount`) is the table's (valid on `starts_on`) after §§ 4–6
    KostenbeitragsV, or § 5's share above the top group; a lower `amount` needs a reason (§ 92
    Abs. 5 SGB VIII: hardship); more is refused. A parent who receives child benefit owes, for a
    placement over day and night, a contribution equal to it besides (§ 94 Abs. 3 SGB VIII:
    `child_benefit_amount`, the rate in force on `starts_on`). Both together never exceed the
    help's monthly cost where it is known (§ 94 Abs. 1 S. 1 SGB VIII, § 5 Abs. 4
    KostenbeitragsV); the child benefit part is taken first. The monthly claim is the sum.
    """
    case = help.case
    _require_change(user, case)
    checks = Checks()
    full_time = is_full_time(help.help_type)
    if full_time is None:
        checks.refuse(
            None,
            "Ein Kostenbeitrag wird nur zu einer Unterbringung (vollstationär) oder einer "
            "Tagesgruppe (teilstationär) erhoben.",
        )
    elif full_time and stage == Stage.PART_TIME:
        checks.refuse(
            "stage",
            "Beitragsstufe 4 gilt für teilstationäre Hilfen. Diese Hilfe ist eine Unterbringung "
            "über Tag und Nacht (vollstationär): bitte wählen Sie Stufe 1, 2 oder 3 nach der "
            "Zahl der untergebrachten Kinder (§ 2 KostenbeitragsV).",
        )
    elif not full_time and stage != Stage.PART_TIME:
        checks.refuse(
            "stage",
            "Diese Hilfe ist teilstationär (Tagesgruppe): es gilt Beitragsstufe 4 (§ 3 "
            "KostenbeitragsV).",
        )
    if receives_child_benefit and full_time is False:
        checks.refuse(
            "receives_child_benefit",
            "Einen Kostenbeitrag in Höhe des Kindergeldes gibt es nur bei einer Unterbringung "
            "über Tag und Nacht (§ 94 Abs. 3 SGB VIII).",
        )
    if further_dependants < 0:
        checks.refuse("further_dependants", "Die Zahl darf nicht negativ sein.")
    if evidence.case_id != case.pk:
        checks.refuse("evidence", "Der Einkommensnachweis gehört nicht zu diesem Fall.")
    if starts_on < help.starts_on:
        checks.refuse(
            "starts_on",
            "Der Kostenbeitrag kann frühestens mit der Hilfe beginnen "
            f"({date_de(help.starts_on)}).",
        )
    last = help.ended_on or help.planned_end_on
    if ends_on is not None and ends_on < starts_on:
        checks.refuse("ends_on", "Das Ende liegt vor dem Beginn.")
    if ends_on is not None and last is not None and ends_on > last:
        checks.refuse(
            "ends_on",
            f"Der Kostenbeitrag kann höchstens bis zum Ende der Hilfe laufen ({date_de(last)}).",
        )
    checks.raise_if_any()
    table = table_valid_on(starts_on)
    young_adult = is_young_adult(help=help, day=starts_on)
    group, full = table_amount(
        table=table,
        monthly_income=evidence.monthly_income,
        stage=stage,
        further_dependants=further_dependants,
        young_adult=young_adult,
    )
    child_benefit = child_benefit_on(starts_on) if receives_child_benefit else ZERO
    if help.monthly_cost is not None:
        # Never more than the help costs: Help.monthly_cost is the decided monthly cost.
        child_benefit = min(child_benefit, help.monthly_cost)
        full = min(full, help.monthly_cost - child_benefit)
    chosen = full if amount is None else money_round(amount)
    reduction_reason = reduction_reason.strip()
    where = (
        f"Einkommensgruppe {group}"
        if group is not None
        else "Einkommen über der obersten Gruppe, § 5 KostenbeitragsV"
    )
    if chosen > full:
        checks.refuse(
            "amount",
            f"Der Kostenbeitrag von {money_format(chosen)} übersteigt den Höchstbetrag der "
            f"Tabelle ({money_format(full)}; {where}, Beitragsstufe {stage}).",
        )
    elif chosen < 0:
        checks.refuse("amount", "Der Kostenbeitrag darf nicht negativ sein.")
    elif chosen < full and not reduction_reason:
        checks.refuse(
            "reduction_reason",
            f"Der Betrag liegt unter dem der Tabelle ({money_format(full)}): bitte begründen Sie "
            "den niedrigeren Betrag.",
        )
    checks.raise_if_any()
    contribution = CostContribution(
        case=case,
        help=help,
        person=evidence.person,
        evidence=evidence,
        table=table,
        group=group,
        stage=stage,
        further_dependants=further_dependants,
        young_adult=young_adult,
        table_amount=full,
        amount=chosen,
        reduction_reason=reduction_reason if chosen < full else "",
        receives_child_benefit=receives_child_benefit,
        child_benefit_amount=child_benefit,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=user,
    )
    contribution.full_clean()
    contribution.save()
    return contribution


# Monthly claims --------------------------------------------------------------------------------


def _claim_for(contribution: CostContribution, month: datetime.date) -> ContributionClaim | None:
    """The claim a contribution makes for a month, or None when it does not run in that month
    (or its amount is 0)."""
    first, last = month_first(month), month_last(month)
    if contribution.monthly_total <= 0 or contribution.starts_on > last:
        return None
    if contribution.ends_on is not None and contribution.ends_on < first:
        return None
    return ContributionClaim(
        contribution=contribution,
        month=first,
        amount=contribution.monthly_total,  # income contribution + child benefit part
        due_on=first.replace(day=DUE_DAY),
    )


def claim_create(*, contribution: CostContribution, month: datetime.date) -> ContributionClaim:
    """Claim one month of one contribution; a month claimed already is refused in German."""
    claim = _claim_for(contribution, month)
    if claim is None:
        raise ValidationError(
            f"Der Kostenbeitrag läuft im Monat {month:%m/%Y} nicht; es gibt nichts zu fordern."
        )
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise ValidationError(
            f"Für {month:%m/%Y} ist schon eine Forderung angelegt; sie wird nicht doppelt gestellt."
        ) from None
    return claim


@transaction.atomic
def claims_create_for_month(*, month: datetime.date, batch_size: int = 5000) -> int:
    """Create the month's claims for every contribution that runs in the month; returns how many
    were new. Idempotent: a claim that exists is skipped (the unique constraint backs it), and
    the month's `ClaimRun` row is locked for the run, so two runs of one month follow one
    another and the second creates (and reports) nothing."""
    first, last = month_first(month), month_last(month)
    run, _ = ClaimRun.objects.get_or_create(month=first)
    run = ClaimRun.objects.select_for_update().get(pk=run.pk)
    running = (
        CostContribution.objects.filter(
            Q(amount__gt=0) | Q(child_benefit_amount__gt=0), starts_on__lte=last
        )
        .exclude(ends_on__lt=first)
        .exclude(claims__month=first)
        .only("pk", "amount", "child_benefit_amount", "starts_on", "ends_on")
        .order_by("pk")
    )
    created = 0
    batch: list[ContributionClaim] = []
    for contribution in running.iterator(chunk_size=batch_size):
        claim = _claim_for(contribution, first)
        if claim is not None:
            batch.append(claim)
        if len(batch) >= batch_size:
            ContributionClaim.objects.bulk_create(batch, ignore_conflicts=True)
            created += len(batch)
            batch = []
    if batch:
        ContributionClaim.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
    run.runs += 1
    run.claims_created += created
    run.last_run_at = timezone.now()
    run.save()
    return created


# Receipts and waivers --------------------------------------------------------------------------


def _income_target(
    contribution: CostContribution, day: datetime.date
) -> tuple[Budget, Commitment | None]:
    """Where income on a contribution is booked: the help's commitment in the year the money came
    in, else the budget of the case's region in that year (no commitment)."""
    commitment = (
        Commitment.objects.filter(
            assignment__help_id=contribution.help_id,
            budget__fiscal_year__year=day.year,
            is_cancelled=False,
        )
        .select_related("budget")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if commitment is not None:
        return commitment.budget, commitment
    budget = Budget.objects.filter(
        fiscal_year__year=day.year, region_id=contribution.case.region_id
    ).first()
    if budget is None:
        raise ValidationError(
            f"Für {day.year} gibt es noch kein Budget der Region: der Eingang kann nicht gebucht "
            "werden. Bitte wenden Sie sich an die Jugendhilfeplanung."
        )
    return budget, None


@transaction.atomic
def receipt_record(
    *,
    claim: ContributionClaim,
    amount: Decimal,
    received_on: datetime.date,
    user: User,
    source: str = ReceiptSource.MANUAL,
    reference: str = "",
) -> ContributionReceipt:
    """Record money received on a claim and book it as ledger income.

    Less than claimed is a partial payment and is kept as such (the rest stays open); more than
    is open is refused (the cash office refunds or assigns it to another claim). A cash-office
    reference already recorded is refused: an imported line is booked once.
    """
    claim = (
        ContributionClaim.objects.select_for_update()
        .select_related("contribution__case", "contribution__help")
        .get(pk=claim.pk)
    )
    contribution = claim.contribution
    _require_change(user, contribution.case)
    amount = money_round(amount)
    reference = reference.strip()
    checks = Checks()
    open_amount = claim_open_amount(claim)
    if amount <= 0:
        checks.refuse("amount", "Der Betrag muss größer als null sein.")
    elif amount > open_amount:
        checks.refuse(
            "amount",
            f"Der Eingang über {money_format(amount)} ist höher als der offene Betrag der "
            f"Forderung {claim.month:%m/%Y} ({money_format(open_amount)}).",
        )
    checks.not_in_future("received_on", received_on, what="Der Zahlungseingang")
    if reference and ContributionReceipt.objects.filter(reference=reference).exists():
        checks.refuse(
            "reference", f"Der Eingang mit dem Buchungszeichen {reference} ist schon erfasst."
        )
    checks.raise_if_any()
    budget, commitment = _income_target(contribution, received_on)
    entry = income_book(
        budget=budget,
        amount=amount,
        booked_on=received_on,
        user=user,
        text=f"Kostenbeitrag {claim.month:%m/%Y} (Forderung Nr. {claim.pk})",
        commitment=commitment,
        source=IncomeSource.CONTRIBUTION,
    )
    receipt = ContributionReceipt(
        claim=claim,
        amount=amount,
        received_on=received_on,
        source=source,
        reference=reference,
        entry=entry,
        created_by=user,
    )
    receipt.full_clean()
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        # Two imports of the same line at the same moment: the second one books nothing.
        raise ValidationError(
            {"reference": f"Der Eingang mit dem Buchungszeichen {reference} ist schon erfasst."}
        ) from None
    return receipt


@transaction.atomic
def waiver_record(
    *, claim: ContributionClaim, amount: Decimal, reason: str, user: User
) -> ContributionWaiver:
    """Waive (Erlass) part or all of what a claim leaves open, with a reason. The claim and its
    receipts stay; nothing is booked in the ledger (no money moves)."""
    claim = (
        ContributionClaim.objects.select_for_update()
        .select_related("contribution__case")
        .get(pk=claim.pk)
    )
    _require_change(user, claim.contribution.case)
    amount = money_round(amount)
    checks = Checks()
    open_amount = claim_open_amount(claim)
    if amount <= 0:
        checks.refuse("amount", "Der Betrag muss größer als null sein.")
    elif amount > open_amount:
        checks.refuse(
            "amount",
            f"Erlassen werden kann höchstens der offene Betrag ({money_format(open_amount)}).",
        )
    if not reason.strip():
        checks.refuse("reason", "Bitte begründen Sie den Erlass.")
    checks.raise_if_any()
    waiver = ContributionWaiver(
        claim=claim,
        amount=amount,
        reason=reason.strip(),
        decided_by=user,
        decided_on=timezone.localdate(),
    )
    waiver.full_clean()
    waiver.save()
    return waiver


def contributions_erase_for_cases(*, case_ids: list[int], placeholder: str) -> None:
    """Anonymising a case: the liable persons' income figures and the free texts (kind of proof,
    reasons of a lower amount and of waivers) go; the contributions' amounts, claims and
    receipts stay for the accounts, and the ledger is untouched."""
    IncomeEvidence.objects.filter(case_id__in=case_ids).update(monthly_income=0, note="")
    CostContribution.objects.filter(case_id__in=case_ids).exclude(reduction_reason="").update(
        reduction_reason=placeholder
    )
    ContributionWaiver.objects.filter(claim__contribution__case_id__in=case_ids).update(
        reason=placeholder
    )
