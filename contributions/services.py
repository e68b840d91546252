"""Writes of the cost contributions (§§ 91–94 SGB VIII).

Every receipt is booked as ledger income (`budgets.income.income_book`) in the same transaction
as the receipt itself, against the help's commitment of the year the money came in; claims and
receipts are checked with the claim row locked, so two people (or an import and a person) can
never book more than a claim leaves open. The monthly claim run is idempotent: one claim per
contribution and month is a database constraint.
"""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from budgets.income import income_book
from budgets.models import Budget, Commitment, IncomeSource
from cases.models import Case, Help, Person
from cases.permissions import can_change_case
from contributions.models import (
    ClaimRun,
    ContributionClaim,
    ContributionReceipt,
    ContributionWaiver,
    CostContribution,
    IncomeBracket,
    IncomeEvidence,
    IncomeTable,
    ReceiptSource,
)
from contributions.selectors import claim_open_amount
from sozialraum.models import User
from sozialraum.money import money_format, money_round
from sozialraum.plausibility import Checks, date_de

DUE_DAY = 15  # a month's contribution is due on the 15th of that month
STAGES = (1, 2, 3, 4)


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


def table_amount(
    *, table: IncomeTable, monthly_income: Decimal, stage: int, further_dependants: int = 0
) -> tuple[int, Decimal]:
    """(income group, monthly contribution) the table gives.

    The income falls into one group; for each further person the liable person owes maintenance
    of equal or higher rank, the contribution is taken from one group lower (§ 4 KostenbeitragsV),
    never below group 1. `stage` is the Beitragsstufe (column 2 to 5 of the Anlage).
    """
    if stage not in STAGES:
        raise ValidationError({"stage": "Die Beitragsstufe ist 1, 2, 3 oder 4."})
    brackets = list(table.brackets.order_by("group"))
    if not brackets:
        raise ValidationError("Die Kostenbeitragstabelle hat keine Einkommensgruppen.")
    income = money_round(monthly_income)
    found: IncomeBracket | None = None
    for bracket in brackets:
        if bracket.income_from <= income and (
            bracket.income_to is None or income <= bracket.income_to
        ):
            found = bracket
            break
    if found is None:
        # An income between two rows (cents) or below the first: the lower group applies.
        found = max((b for b in brackets if b.income_from <= income), key=lambda b: b.group)
    index = max(0, brackets.index(found) - max(0, further_dependants))
    applied = brackets[index]
    return applied.group, applied.amount(stage)


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
    ends_on: datetime.date | None = None,
    amount: Decimal | None = None,
    reduction_reason: str = "",
) -> CostContribution:
    """Set the monthly contribution of the evidence's person to a placement help.

    The amount is the table's (valid on `starts_on`); a lower `amount` needs a reason (§ 92
    Abs. 5 SGB VIII: a lower contribution where the full one would be a hardship); more than
    the table gives is refused.
    """
    case = help.case
    _require_change(user, case)
    checks = Checks()
    if not help.help_type.is_placement:
        checks.refuse(None, "Ein Kostenbeitrag wird nur zu einer Unterbringung erhoben.")
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
    group, full = table_amount(
        table=table,
        monthly_income=evidence.monthly_income,
        stage=stage,
        further_dependants=further_dependants,
    )
    chosen = full if amount is None else money_round(amount)
    reduction_reason = reduction_reason.strip()
    if chosen > full:
        checks.refuse(
            "amount",
            f"Der Kostenbeitrag von {money_format(chosen)} übersteigt den Höchstbetrag der "
            f"Tabelle ({money_format(full)} in Einkommensgruppe {group}, Beitragsstufe {stage}).",
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
        table_amount=full,
        amount=chosen,
        reduction_reason=reduction_reason if chosen < full else "",
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
    if contribution.amount <= 0 or contribution.starts_on > last:
        return None
    if contribution.ends_on is not None and contribution.ends_on < first:
        return None
    return ContributionClaim(
        contribution=contribution,
        month=first,
        amount=contribution.amount,
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
        CostContribution.objects.filter(starts_on__lte=last, amount__gt=0)
        .exclude(ends_on__lt=first)
        .exclude(claims__month=first)
        .only("pk", "amount", "starts_on", "ends_on")
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
