"""Writes of the budgets app. Every movement of money goes through `entry_book`.

Rules that protect the money (free budget, four eyes, payments within the commitment) are checked
here with the budget rows locked (`select_for_update`), so two people booking at the same moment
can never bind more than is free.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from budgets import calculations, rates
from budgets.forecast import (
    commitment_row_update,
    commitment_year_end_refresh,
    projection_follow,
    projection_move,
    projection_share,
)
from budgets.models import (
    Budget,
    BudgetSplit,
    BudgetSplitShare,
    Commitment,
    CommitmentPlaceTotal,
    CommitmentTotal,
    CostBasis,
    EntryKind,
    ErasureGround,
    Figure,
    FiscalYear,
    IncomeSource,
    LedgerEntry,
    LedgerText,
    Payment,
    Reserve,
    ReserveTransferRequest,
    SplitMethod,
    TransferStatus,
)
from budgets.selectors import budget_figures_locked, commitment_figures
from cases.models import Assignment, CaseKind
from corrections.models import CorrectionKind
from corrections.services import correction_record, record_snapshot
from sozialraum.access import has_role
from sozialraum.models import ASD_ROLES, Provider, Region, Role, Sozialraum, User
from sozialraum.money import money_format, money_round
from sozialraum.plausibility import Checks

PLANNING = (Role.PLANNER, Role.ADMIN)
CACHE_COLUMN: dict[str, str] = {
    Figure.ALLOCATED: "cached_allocated",
    Figure.COMMITTED: "cached_committed",
    Figure.PAID: "cached_paid",
    Figure.RECEIVED: "cached_received",
}
COMMITMENT_CACHE_COLUMN: dict[str, str] = {
    Figure.COMMITTED: "cached_bound",
    Figure.PAID: "cached_paid",
    Figure.RECEIVED: "cached_received",
}
TOTAL_COLUMN: dict[str, str] = {
    Figure.COMMITTED: "bound",
    Figure.PAID: "paid",
    Figure.RECEIVED: "received",
}


def entry_book(
    *,
    budget: Budget,
    kind: str,
    figure: str,
    amount: Decimal,
    by: User,
    text: str,
    reason: str = "",
    booked_on: datetime.date | None = None,
    **links,
) -> LedgerEntry:
    """Append one entry and move the cached figures (budget, commitment) in the same transaction.

    The one way an entry is written (here and in `provider_budgets`). The caller holds the lock
    on the budget row (`budgets_lock`, inside `transaction.atomic`); a commitment's entries are
    all booked in its budget, so that lock serialises its caches as well. `booked_on` is today
    unless the caller books money that arrived on an earlier day (income, `entry_income_book`).
    """
    entry = LedgerEntry(
        budget=budget,
        kind=kind,
        figure=figure,
        amount=money_round(amount),
        booked_on=booked_on or timezone.localdate(),
        created_by=by,
        **links,
    )
    if kind == EntryKind.REVERSAL and not reason.strip():
        raise ValidationError("Bitte begründen Sie das Storno.")
    entry.full_clean()
    entry.save()
    # The free text beside the entry, where retention and erasure can empty it.
    free_text = LedgerText(entry=entry, text=text[:300], reason=reason)
    free_text.full_clean()
    free_text.save()
    column = CACHE_COLUMN[figure]
    Budget.objects.filter(pk=budget.pk).update(**{column: F(column) + entry.amount})
    commitment_column = COMMITMENT_CACHE_COLUMN.get(figure)
    if entry.commitment is not None and commitment_column:
        Commitment.objects.filter(pk=entry.commitment.pk).update(
            **{commitment_column: F(commitment_column) + entry.amount}
        )
        _total_move(entry.commitment, TOTAL_COLUMN[figure], entry.amount)
        if figure == Figure.COMMITTED and projection_share(entry.commitment.pk) is not None:
            # A running commitment projects `year_end_amount - cached_bound`: binding more
            # projects that much less (and a release or its reversal the other way).
            projection_move(budget_id=budget.pk, amount=-entry.amount)
    return entry


def _text_to_copy(entry: LedgerEntry) -> str:
    """The entry's booking text for its reversal; an erased text is not copied back."""
    free_text = LedgerText.objects.filter(entry=entry).first()
    if free_text is None or free_text.erased_on is not None:
        return f"Buchung Nr. {entry.pk}"
    return free_text.text


def _total_move(commitment: Commitment, column: str, amount: Decimal) -> None:
    """Move the budget's total for the commitment's kind and help type (under the budget lock)."""
    help_type_id = None
    if commitment.assignment_id:
        help_type_id = (
            Assignment.objects.filter(pk=commitment.assignment_id)
            .values_list("help__help_type_id", flat=True)
            .first()
        )
    key = {"budget_id": commitment.budget_id, "kind": commitment.kind, "help_type_id": help_type_id}
    if not CommitmentTotal.objects.filter(**key).update(**{column: F(column) + amount}):
        CommitmentTotal.objects.create(**key, **{column: amount})
    if column in PLACE_COLUMNS:
        place = {
            "budget_id": commitment.budget_id,
            "provider_id": commitment.provider_id,
            "sozialraum_id": commitment.sozialraum_id,
        }
        if not CommitmentPlaceTotal.objects.filter(**place).update(**{column: F(column) + amount}):
            CommitmentPlaceTotal.objects.create(**place, **{column: amount})


# The breakdowns by provider and Sozialraum show what is bound and paid (not what was received).
PLACE_COLUMNS = ("bound", "paid")


def budgets_lock(*budget_ids: int) -> dict[int, Budget]:
    """Lock budget rows, always in id order so that two transactions cannot deadlock; every
    service that books into a budget (`entry_book`) takes this lock first."""
    locked = Budget.objects.select_for_update(of=("self",)).select_related("region", "fiscal_year")
    rows = {b.pk: b for b in locked.filter(pk__in=sorted(set(budget_ids))).order_by("pk")}
    return rows


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


# Fiscal year and split ------------------------------------------------------------------------


@transaction.atomic
def fiscal_year_create(
    *,
    year: int,
    total: Decimal,
    reserve_amount: Decimal | None = None,
    reserve_percentage: Decimal | None = None,
    by: User,
) -> FiscalYear:
    """Open a fiscal year: its total, the Vorwegabzug taken off first, a budget per region.

    The Vorwegabzug is booked to the reserve budget at once; the regions get their money when the
    planners decide the split (`budget_split_decide`).
    """
    _require(has_role(by, *PLANNING), "Nur die Jugendhilfeplanung legt Haushaltsjahre an.")
    _require(
        not FiscalYear.objects.filter(year=year).exists(),
        f"Das Haushaltsjahr {year} ist schon angelegt.",
    )
    _require(
        (reserve_amount is None) != (reserve_percentage is None),
        "Geben Sie den Vorwegabzug entweder als Betrag oder als Prozentsatz an.",
    )
    total = money_round(total)
    fiscal_year = FiscalYear(year=year, total=total, created_by=by)
    fiscal_year.full_clean()
    fiscal_year.save()
    resolved = calculations.reserve_resolve(
        total=total, amount=reserve_amount, percentage=reserve_percentage
    )
    _require(
        Decimal(0) <= resolved <= total,
        "Der Vorwegabzug darf nicht negativ und nicht größer als das Gesamtbudget sein.",
    )
    reserve = Reserve(
        fiscal_year=fiscal_year,
        amount=money_round(reserve_amount) if reserve_amount is not None else None,
        percentage=reserve_percentage,
        resolved_amount=resolved,
    )
    reserve.full_clean()
    reserve.save()
    reserve_budget = Budget.objects.create(fiscal_year=fiscal_year, region=None)
    Budget.objects.bulk_create(
        Budget(fiscal_year=fiscal_year, region=region) for region in Region.objects.all()
    )
    if resolved:
        entry_book(
            budget=reserve_budget,
            kind=EntryKind.ALLOCATION,
            figure=Figure.ALLOCATED,
            amount=resolved,
            by=by,
            text=f"Vorwegabzug {year}",
        )
    return fiscal_year


def fiscal_year_distributable(fiscal_year: FiscalYear) -> Decimal:
    """What is left for the regions after the Vorwegabzug."""
    return fiscal_year.total - fiscal_year.reserve.resolved_amount


@transaction.atomic
def budget_split_decide(
    *,
    fiscal_year: FiscalYear,
    method: str,
    shares: Mapping[Region, Decimal],
    rationale: str,
    by: User,
) -> BudgetSplit:
    """Record the planners' split with its rationale and book each region's allocation.

    A later split replaces an earlier one: only the differences are booked, and no region may end
    up with less than it has already bound.
    """
    _require(has_role(by, *PLANNING), "Nur die Jugendhilfeplanung legt die Aufteilung fest.")
    _require(method in SplitMethod.values, "Unbekannte Grundlage der Aufteilung.")
    _require(bool(rationale.strip()), "Bitte begründen Sie die Aufteilung.")
    distributable = fiscal_year_distributable(fiscal_year)
    shares = {region: money_round(amount) for region, amount in shares.items()}
    _require(all(amount >= 0 for amount in shares.values()), "Ein Anteil darf nicht negativ sein.")
    total = sum(shares.values(), Decimal("0.00"))
    _require(
        total == distributable,
        f"Die Anteile ergeben {money_format(total)}, verteilbar sind genau "
        f"{money_format(distributable)}.",
    )
    budgets = {
        b.region_id: b for b in Budget.objects.filter(fiscal_year=fiscal_year, region__isnull=False)
    }
    # Regions created after the year was opened get their budget now.
    for region in shares:
        if region.pk not in budgets:
            budgets[region.pk] = Budget.objects.create(fiscal_year=fiscal_year, region=region)
    locked = budgets_lock(*(b.pk for b in budgets.values()))
    previous = fiscal_year.splits.first()
    before = {share.region_id: share.amount for share in previous.shares.all()} if previous else {}
    split = BudgetSplit.objects.create(
        fiscal_year=fiscal_year,
        method=method,
        rationale=rationale.strip(),
        decided_by=by,
        distributable=distributable,
    )
    figures = budget_figures_locked(list(locked.values()))
    for region, amount in shares.items():
        BudgetSplitShare.objects.create(split=split, region=region, amount=amount)
        budget = locked[budgets[region.pk].pk]
        difference = amount - before.get(region.pk, Decimal("0.00"))
        if not difference:
            continue
        after = figures[budget.pk].allocated + difference
        _require(
            after >= figures[budget.pk].committed,
            f"Region {region.name}: Der neue Anteil ({money_format(amount)}) reicht nicht für "
            f"das bereits Gebundene ({money_format(figures[budget.pk].committed)}).",
        )
        entry_book(
            budget=budget,
            kind=EntryKind.ALLOCATION,
            figure=Figure.ALLOCATED,
            amount=difference,
            by=by,
            text=f"Zuweisung {fiscal_year.year} ({split.get_method_display()})",
            reason=split.rationale,
            split=split,
        )
    # Helps decided earlier that run in this year are bound as soon as the regions have money.
    from budgets.assignments import assignments_continue_into  # builds on this module

    assignments_continue_into(fiscal_year, by=by)
    return split


# Commitments and payments ---------------------------------------------------------------------


def commitment_cost(
    *,
    basis: str,
    year: int,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    amount: Decimal | None = None,
    hours_per_week: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    monthly_cost: Decimal | None = None,
    provider_id: int | None = None,
) -> tuple[Decimal, Decimal]:
    """(amount to bind, cost if it ran to 31 December) for a commitment in a fiscal year.

    An hourly commitment of a provider follows the provider's rate agreements: from the day a
    new hourly rate begins, the hours cost that rate (`budgets.rates`).
    """
    if basis == CostBasis.HOURS:
        if not (hours_per_week and hourly_rate and hours_per_week > 0 and hourly_rate > 0):
            raise ValidationError("Stunden je Woche und Stundensatz müssen größer als null sein.")
        changes = (
            rates.hourly_rate_changes(provider_id=provider_id, after=starts_on)
            if provider_id is not None
            else []
        )
        bound = calculations.hours_cost(
            hours_per_week=hours_per_week,
            hourly_rate=hourly_rate,
            starts_on=starts_on,
            ends_on=ends_on,
            year=year,
            rate_changes=changes,
        )
        to_year_end = calculations.hours_cost(
            hours_per_week=hours_per_week,
            hourly_rate=hourly_rate,
            starts_on=starts_on,
            ends_on=None,
            year=year,
            rate_changes=changes,
        )
        return bound, to_year_end
    if basis == CostBasis.MONTHLY:
        if not (monthly_cost and monthly_cost > 0):
            raise ValidationError("Die Monatskosten fehlen.")
        bound = calculations.monthly_cost(
            monthly_amount=monthly_cost, starts_on=starts_on, ends_on=ends_on, year=year
        )
        to_year_end = calculations.monthly_cost(
            monthly_amount=monthly_cost, starts_on=starts_on, ends_on=None, year=year
        )
        return bound, to_year_end
    if amount is None or not amount > 0:
        raise ValidationError("Der Betrag muss größer als null sein.")
    bound = money_round(amount)
    return bound, bound


def may_book_in(user: User, budget: Budget) -> bool:
    return (
        has_role(user, *ASD_ROLES)
        and budget.region_id is not None
        and user.asd_team is not None
        and user.asd_team.region_id == budget.region_id
    )


def is_team_lead_of(user: User, budget: Budget) -> bool:
    return (
        has_role(user, Role.TEAM_LEAD)
        and user.asd_team is not None
        and user.asd_team.region_id == budget.region_id
    )


@transaction.atomic
def commitment_book(
    *,
    budget: Budget,
    kind: str,
    title: str,
    by: User,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    basis: str = CostBasis.AMOUNT,
    amount: Decimal | None = None,
    hours_per_week: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    monthly_cost: Decimal | None = None,
    sozialraum: Sozialraum | None = None,
    provider: Provider | None = None,
    override_reason: str = "",
    assignment: Assignment | None = None,
    obligation: bool = False,
) -> Commitment:
    """Bind money in a region's budget (a Bewilligung) and book it.

    Refused when it exceeds the free budget, unless a team lead of the region overrides with a
    reason. An individual help's commitment belongs to its `assignment` (see
    `budgets.assignments`). An `obligation` is a help decided earlier that runs on into this
    year: it binds whatever is free (the forecast then warns), and the planners may book it when
    they open the year; only `budgets.assignments` passes it.
    """
    _require(
        obligation or may_book_in(by, budget),
        "Sie können nur im Budget Ihrer eigenen Region buchen.",
    )
    _require(kind in CaseKind.values, "Unbekannte Art der Arbeit.")
    year = budget.fiscal_year.year
    _require(
        starts_on.year == year,
        f"Der Beginn muss im Haushaltsjahr {year} liegen.",
    )
    _require(ends_on is None or ends_on >= starts_on, "Das Ende liegt vor dem Beginn.")
    bound, to_year_end = commitment_cost(
        basis=basis,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
        hours_per_week=hours_per_week,
        hourly_rate=hourly_rate,
        monthly_cost=monthly_cost,
        provider_id=provider.pk if provider is not None else None,
    )
    _require(bound > 0, "Für diesen Zeitraum ergibt sich kein Betrag.")
    budget = budgets_lock(budget.pk)[budget.pk]
    free = budget_figures_locked([budget])[budget.pk].free
    override_reason = override_reason.strip()
    override_by = None
    if bound > free and not obligation:
        if not is_team_lead_of(by, budget):
            # Only an obligation may be booked outside a region's budget (may_book_in above).
            assert budget.region is not None
            raise ValidationError(
                f"Die Bewilligung über {money_format(bound)} übersteigt das freie Budget der "
                f"Region {budget.region.name} ({money_format(free)}). Eine Überschreitung kann "
                "nur die Teamleitung der Region mit Begründung freigeben."
            )
        if not override_reason:
            raise ValidationError(
                f"Die Bewilligung über {money_format(bound)} übersteigt das freie Budget "
                f"({money_format(free)}). Bitte begründen Sie die Überschreitung."
            )
        override_by = by
    commitment = Commitment(
        budget=budget,
        kind=kind,
        title=title.strip(),
        sozialraum=sozialraum,
        provider=provider,
        basis=basis,
        hours_per_week=hours_per_week if basis == CostBasis.HOURS else None,
        hourly_rate=hourly_rate if basis == CostBasis.HOURS else None,
        monthly_cost=monthly_cost if basis == CostBasis.MONTHLY else None,
        starts_on=starts_on,
        ends_on=ends_on,
        year_end_amount=to_year_end,
        override_by=override_by,
        override_reason=override_reason if override_by else "",
        created_by=by,
        assignment=assignment,
    )
    commitment.full_clean()
    commitment.save()
    # A new commitment runs and binds nothing yet: it projects its cost to 31 December (the
    # booking below then moves the projection by what it binds).
    projection_move(budget_id=budget.pk, amount=commitment.year_end_amount)
    entry_book(
        budget=budget,
        kind=EntryKind.COMMITMENT,
        figure=Figure.COMMITTED,
        amount=bound,
        by=by,
        text=f"Bewilligung: {commitment.title}",
        reason=(f"Überschreitung freigegeben: {override_reason}" if override_by else ""),
        commitment=commitment,
    )
    return commitment


@transaction.atomic
def commitment_end(
    *, commitment: Commitment, ended_on: datetime.date, by: User, reason: str
) -> LedgerEntry | None:
    """End a commitment early and release what it no longer needs.

    Time-based commitments keep the cost up to the end day; project commitments keep what was
    paid. Nothing already paid is ever released.
    """
    budget = budgets_lock(commitment.budget_id)[commitment.budget_id]
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _require(may_book_in(by, budget), "Sie können nur im Budget Ihrer eigenen Region buchen.")
    _require(
        commitment.ended_on is None and not commitment.is_cancelled,
        "Diese Bewilligung ist bereits beendet.",
    )
    _require(ended_on >= commitment.starts_on, "Das Ende liegt vor dem Beginn.")
    _require(bool(reason.strip()), "Bitte geben Sie einen Grund an.")
    figures = commitment_figures(commitment)
    if commitment.basis == CostBasis.AMOUNT:
        needed = figures.paid
    else:
        needed, _ = commitment_cost(
            basis=commitment.basis,
            year=budget.fiscal_year.year,
            starts_on=commitment.starts_on,
            ends_on=min(ended_on, commitment.ends_on or ended_on),
            hours_per_week=commitment.hours_per_week,
            hourly_rate=commitment.hourly_rate,
            monthly_cost=commitment.monthly_cost,
            provider_id=commitment.provider_id,
        )
        needed = max(needed, figures.paid)
    release = figures.committed - needed
    # An ended commitment projects nothing.
    commitment_row_update(commitment_id=commitment.pk, budget_id=budget.pk, ended_on=ended_on)
    commitment.ended_on = ended_on
    if release <= 0:
        return None
    return entry_book(
        budget=budget,
        kind=EntryKind.RELEASE,
        figure=Figure.COMMITTED,
        amount=-release,
        by=by,
        text=f"Freigabe (vorzeitig beendet am {ended_on:%d.%m.%Y}): {commitment.title}",
        reason=reason.strip(),
        commitment=commitment,
    )


@transaction.atomic
def payment_book(
    *,
    commitment: Commitment,
    amount: Decimal,
    paid_on: datetime.date,
    by: User,
    note: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    ordered: bool = False,
) -> Payment:
    """Record a payment against a commitment; never more than the commitment still binds.

    `ordered` is passed only by `billing.payment_orders`, whose approval checks who may order a
    payment (the checking role, not only the region's ASD); `period_start`/`period_end` name the
    service period the payment is for.
    """
    budget = budgets_lock(commitment.budget_id)[commitment.budget_id]
    _require(
        ordered or may_book_in(by, budget),
        "Sie können nur im Budget Ihrer eigenen Region buchen.",
    )
    amount = money_round(amount)
    checks = Checks()
    if amount <= 0:
        checks.refuse("amount", "Der Betrag muss größer als null sein.")
    figures = commitment_figures(commitment)
    open_amount = figures.committed - figures.paid
    if amount > open_amount:
        checks.refuse(
            "amount",
            f"Die Zahlung über {money_format(amount)} ist höher als der noch offene Betrag der "
            f"Bewilligung ({money_format(open_amount)}).",
        )
    checks.not_in_future("paid_on", paid_on, what="Eine Zahlung")
    checks.raise_if_any()
    payment = Payment(
        commitment=commitment,
        amount=amount,
        paid_on=paid_on,
        note=note.strip(),
        period_start=period_start,
        period_end=period_end,
        created_by=by,
    )
    payment.full_clean()
    payment.save()
    entry_book(
        budget=budget,
        kind=EntryKind.PAYMENT,
        figure=Figure.PAID,
        amount=amount,
        by=by,
        text=f"Zahlung: {commitment.title}" + (f" ({payment.note})" if payment.note else ""),
        commitment=commitment,
        payment=payment,
    )
    if payment.period_start is not None:
        # The facts of an invoiced period replace the plan in the year-end forecast.
        commitment_year_end_refresh(commitment)
    return payment


REVERSIBLE = (EntryKind.COMMITMENT, EntryKind.PAYMENT, EntryKind.RELEASE)


@transaction.atomic
def entry_reverse(*, entry: LedgerEntry, by: User, reason: str) -> LedgerEntry:
    """Cancel an entry by booking its exact opposite (Storno), with who and why.

    The wrong entry stays in the ledger; a correct one is then booked as usual.
    """
    budget = budgets_lock(entry.budget_id)[entry.budget_id]
    entry = LedgerEntry.objects.select_related("commitment").get(pk=entry.pk)
    _require(bool(reason.strip()), "Bitte begründen Sie das Storno.")
    _require(
        entry.kind in REVERSIBLE,
        "Stornieren lassen sich Bewilligungen, Zahlungen und Freigaben.",
    )
    _require(
        may_book_in(by, budget) or has_role(by, *PLANNING),
        "Sie können nur Buchungen Ihrer eigenen Region stornieren.",
    )
    _require(
        not LedgerEntry.objects.filter(reverses=entry).exists(),
        "Diese Buchung ist bereits storniert.",
    )
    commitment = entry.commitment
    figures = commitment_figures(commitment)
    if entry.figure == Figure.COMMITTED:
        committed_after = figures.committed - entry.amount
        _require(
            committed_after >= figures.paid,
            "Auf diese Bewilligung wurde schon gezahlt: Stornieren Sie zuerst die Zahlungen.",
        )
        if entry.amount < 0:  # undoing a release binds money again
            free = budget_figures_locked([budget])[budget.pk].free
            _require(
                -entry.amount <= free,
                f"Für das Storno der Freigabe reicht das freie Budget ({money_format(free)}) "
                "nicht.",
            )
    reversal = entry_book(
        budget=budget,
        kind=EntryKind.REVERSAL,
        figure=entry.figure,
        amount=-entry.amount,
        by=by,
        text=f"Storno: {_text_to_copy(entry)}",
        reason=reason.strip(),
        commitment=commitment,
        reverses=entry,
    )
    if entry.kind == EntryKind.COMMITMENT:
        # A Bewilligung and its release are always booked with their commitment.
        assert commitment is not None
        commitment_row_update(commitment_id=commitment.pk, budget_id=budget.pk, is_cancelled=True)
    elif entry.kind == EntryKind.RELEASE:
        assert commitment is not None
        # Running again: it projects again.
        commitment_row_update(commitment_id=commitment.pk, budget_id=budget.pk, ended_on=None)
    elif entry.kind == EntryKind.PAYMENT and entry.payment and entry.payment.period_start:
        assert commitment is not None
        commitment_year_end_refresh(commitment)
    return reversal


@transaction.atomic
def payment_correct(
    *, entry: LedgerEntry, by: User, reason: str, amount: Decimal, paid_on: datetime.date
) -> Payment:
    """Correct a payment: the Storno of the wrong entry and the payment as it should have been,
    in one transaction, so the ledger moves from the wrong amount to the right one or not at
    all. The wrong entry stays, as every booking does."""
    _require(entry.kind == EntryKind.PAYMENT, "Berichtigen lassen sich hier nur Zahlungen.")
    payment = entry.payment
    assert entry.commitment is not None and payment is not None
    entry_reverse(entry=entry, by=by, reason=reason)
    return payment_book(
        commitment=entry.commitment, amount=amount, paid_on=paid_on, by=by, note=payment.note
    )


# Transfers from the Vorwegabzug ---------------------------------------------------------------


@transaction.atomic
def reserve_transfer_request(
    *, budget: Budget, amount: Decimal, justification: str, by: User
) -> ReserveTransferRequest:
    """A region's team lead asks for money from the Vorwegabzug. Nothing is booked yet."""
    _require(
        budget.region_id is not None and is_team_lead_of(by, budget),
        "Mittel aus dem Vorwegabzug beantragt die Teamleitung der Region.",
    )
    amount = money_round(amount)
    checks = Checks()
    if amount <= 0:
        checks.refuse("amount", "Der Betrag muss größer als null sein.")
    if not justification.strip():
        checks.refuse("justification", "Bitte begründen Sie den Antrag.")
    # Said when it is asked for, not only when the planner decides (who checks it again then).
    reserve = Budget.objects.filter(
        fiscal_year_id=budget.fiscal_year_id, region__isnull=True
    ).first()
    free = budget_figures_locked([reserve])[reserve.pk].free if reserve else Decimal(0)
    if amount > free:
        checks.refuse(
            "amount",
            f"Im Vorwegabzug sind nur {money_format(free)} frei; beantragt sind "
            f"{money_format(amount)}. Bitte beantragen Sie höchstens den freien Betrag.",
        )
    checks.raise_if_any()
    request = ReserveTransferRequest(
        budget=budget, amount=amount, justification=justification.strip(), requested_by=by
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def reserve_transfer_decide(
    *, request: ReserveTransferRequest, approve: bool, by: User, note: str = ""
) -> ReserveTransferRequest:
    """A planner or administrator approves or rejects a request; the requester never decides.

    On approval the money moves from the reserve budget to the region's budget (two entries). A
    refusal needs a reason (`note`). A decided request can be revisited by a new decision with a
    reason, never undone silently: the earlier decision stays in its history
    (`corrections.Correction`), and an approval turned into a refusal reverses the two entries.
    """
    _require(has_role(by, *PLANNING), "Über Anträge entscheidet die Jugendhilfeplanung.")
    request = ReserveTransferRequest.objects.select_for_update().get(pk=request.pk)
    _require(
        request.requested_by_id != by.pk,
        "Sie können Ihren eigenen Antrag nicht entscheiden (Vier-Augen-Prinzip).",
    )
    note = note.strip()
    if not approve and not note:
        raise ValidationError(
            {"note": "Bitte begründen Sie die Ablehnung; die Region erfährt den Grund."}
        )
    revisited = request.status != TransferStatus.PENDING
    if revisited:
        if not note:
            raise ValidationError({"note": "Bitte begründen Sie, warum Sie neu entscheiden."})
        _require(
            request.status != (TransferStatus.APPROVED if approve else TransferStatus.REJECTED),
            f"Der Antrag ist bereits {request.get_status_display()}.",
        )
    before = record_snapshot(request)
    region_budget = request.budget
    reserve = Budget.objects.get(fiscal_year_id=region_budget.fiscal_year_id, region__isnull=True)
    locked = budgets_lock(reserve.pk, region_budget.pk)
    if approve:
        free = budget_figures_locked([locked[reserve.pk]])[reserve.pk].free
        _require(
            request.amount <= free,
            f"Im Vorwegabzug sind nur noch {money_format(free)} frei.",
        )
    request.status = TransferStatus.APPROVED if approve else TransferStatus.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note.strip()
    request.full_clean()
    request.save()
    if revisited:
        correction_record(
            user=by, record=request, before=before, reason=note, kind=CorrectionKind.DECISION
        )
        if not approve:
            _transfer_reverse(request=request, locked=locked, reason=note, by=by)
    if approve:
        region = locked[region_budget.pk].region
        assert region is not None  # a transfer is asked for by a region, for its budget
        region_name = region.name
        entry_book(
            budget=locked[reserve.pk],
            kind=EntryKind.TRANSFER,
            figure=Figure.ALLOCATED,
            amount=-request.amount,
            by=by,
            text=f"Umbuchung an Region {region_name}",
            reason=request.justification,
            transfer_request=request,
        )
        entry_book(
            budget=locked[region_budget.pk],
            kind=EntryKind.TRANSFER,
            figure=Figure.ALLOCATED,
            amount=request.amount,
            by=by,
            text="Umbuchung aus dem Vorwegabzug",
            reason=request.justification,
            transfer_request=request,
        )
    return request


def _transfer_reverse(
    *, request: ReserveTransferRequest, locked: dict[int, Budget], reason: str, by: User
) -> None:
    """Undo an approved transfer by reversing its two entries (the region must still have the
    money free)."""
    free = budget_figures_locked([locked[request.budget_id]])[request.budget_id].free
    _require(
        request.amount <= free,
        f"Die Region hat von der Umbuchung schon Geld gebunden: frei sind nur "
        f"{money_format(free)}, zurückzubuchen wären {money_format(request.amount)}.",
    )
    open_entries = request.entries.filter(
        kind=EntryKind.TRANSFER, reversed_by__isnull=True
    ).order_by("pk")
    for entry in open_entries:
        entry_book(
            budget=locked[entry.budget_id],
            kind=EntryKind.REVERSAL,
            figure=entry.figure,
            amount=-entry.amount,
            by=by,
            text=f"Storno: {_text_to_copy(entry)}",
            reason=f"Neue Entscheidung: {reason}",
            transfer_request=request,
            reverses=entry,
        )


# Year end -------------------------------------------------------------------------------------


@transaction.atomic
def year_end_carry_over(
    *, budget: Budget, by: User, amount: Decimal | None = None, reason: str = ""
) -> tuple[LedgerEntry, LedgerEntry]:
    """Carry money left in a region's budget into Sozialraum projects of the next year.

    Booked twice: out of this year's budget and into the next year's budget of the same region,
    both as `carry_over`, so the next year shows how much came from the year before.
    """
    _require(has_role(by, *PLANNING), "Den Jahresübertrag bucht die Jugendhilfeplanung.")
    if budget.region_id is None:
        raise ValidationError("Der Vorwegabzug wird nicht übertragen.")
    following = Budget.objects.filter(
        fiscal_year__year=budget.fiscal_year.year + 1, region_id=budget.region_id
    ).first()
    if following is None:
        raise ValidationError(
            f"Legen Sie zuerst das Haushaltsjahr {budget.fiscal_year.year + 1} an."
        )
    locked = budgets_lock(budget.pk, following.pk)
    free = budget_figures_locked([locked[budget.pk]])[budget.pk].free
    amount = free if amount is None else money_round(amount)
    _require(amount > 0, "Es ist kein Geld übrig, das übertragen werden könnte.")
    _require(
        amount <= free,
        f"Übertragen werden kann höchstens das freie Budget ({money_format(free)}).",
    )
    year = budget.fiscal_year.year
    text = f"Übertrag {year} → {year + 1} für Sozialraumprojekte"
    out = entry_book(
        budget=locked[budget.pk],
        kind=EntryKind.CARRY_OVER,
        figure=Figure.ALLOCATED,
        amount=-amount,
        by=by,
        text=text,
        reason=reason.strip(),
    )
    into = entry_book(
        budget=locked[following.pk],
        kind=EntryKind.CARRY_OVER,
        figure=Figure.ALLOCATED,
        amount=amount,
        by=by,
        text=text,
        reason=reason.strip(),
    )
    return out, into


# Corrections ----------------------------------------------------------------------------------


@transaction.atomic
def commitment_correct(
    *,
    commitment: Commitment,
    by: User,
    reason: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    hours_per_week: Decimal | None = None,
    hourly_rate: Decimal | None = None,
    monthly_cost: Decimal | None = None,
) -> list[LedgerEntry]:
    """Correct what a help's commitment binds (Berichtigung): never by editing an entry, but by
    reversing each of its bound entries (the Bewilligung and any release) and booking the
    corrected amount anew, so that old entries, reversals and the new booking sum to it.

    The period is cut at the fiscal year; a period that no longer touches the year binds
    nothing (the commitment is then cancelled). An ended commitment keeps its end day. Refused
    below what was paid, and above the free budget unless a team lead of the region corrects.
    """
    budget = budgets_lock(commitment.budget_id)[commitment.budget_id]
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _require(may_book_in(by, budget), "Sie können nur im Budget Ihrer eigenen Region buchen.")
    _require(not commitment.is_cancelled, "Diese Bewilligung ist storniert.")
    reason = reason.strip()
    _require(bool(reason), "Bitte begründen Sie die Berichtigung.")
    fiscal_year = budget.fiscal_year
    first = max(starts_on, fiscal_year.starts_on)
    last = min(
        commitment.ended_on or ends_on or fiscal_year.ends_on, ends_on or fiscal_year.ends_on
    )
    basis_args: dict[str, dict[str, Decimal | None]] = {
        CostBasis.HOURS: {"hours_per_week": hours_per_week, "hourly_rate": hourly_rate},
        CostBasis.MONTHLY: {"monthly_cost": monthly_cost},
    }
    if first > fiscal_year.ends_on or last < first:
        bound, to_year_end = Decimal("0.00"), Decimal("0.00")
    else:
        bound, to_year_end = commitment_cost(
            basis=commitment.basis,
            year=fiscal_year.year,
            starts_on=first,
            ends_on=last,
            provider_id=commitment.provider_id,
            **basis_args[commitment.basis],
        )
    figures = commitment_figures(commitment)
    _require(
        bound >= figures.paid,
        f"Auf diese Bewilligung wurden schon {money_format(figures.paid)} gezahlt; berichtigt "
        f"ergäbe sie nur {money_format(bound)}. Stornieren Sie zuerst die Zahlungen.",
    )
    increase = bound - figures.committed
    if increase > 0:
        free = budget_figures_locked([budget])[budget.pk].free
        _require(
            increase <= free or is_team_lead_of(by, budget),
            f"Die Berichtigung bindet {money_format(increase)} mehr, frei sind "
            f"{money_format(free)}. Eine Überschreitung kann nur die Teamleitung der Region "
            "freigeben.",
        )
    open_entries = commitment.entries.filter(
        figure=Figure.COMMITTED,
        kind__in=(EntryKind.COMMITMENT, EntryKind.RELEASE),
        reversed_by__isnull=True,
    ).order_by("pk")
    entries = [
        entry_book(
            budget=budget,
            kind=EntryKind.REVERSAL,
            figure=entry.figure,
            amount=-entry.amount,
            by=by,
            text=f"Storno (Berichtigung): {_text_to_copy(entry)}",
            reason=reason,
            commitment=commitment,
            reverses=entry,
        )
        for entry in open_entries
    ]
    if bound > 0:
        entries.append(
            entry_book(
                budget=budget,
                kind=EntryKind.COMMITMENT,
                figure=Figure.COMMITTED,
                amount=bound,
                by=by,
                text=f"Bewilligung (berichtigt): {commitment.title}",
                reason=f"Berichtigung: {reason}",
                commitment=commitment,
            )
        )
    commitment.refresh_from_db()
    before = projection_share(commitment.pk)
    if bound > 0:
        commitment.starts_on, commitment.ends_on = first, ends_on
        commitment.hours_per_week = hours_per_week if commitment.basis == CostBasis.HOURS else None
        commitment.hourly_rate = hourly_rate if commitment.basis == CostBasis.HOURS else None
        commitment.monthly_cost = monthly_cost if commitment.basis == CostBasis.MONTHLY else None
        commitment.year_end_amount = to_year_end
    else:
        commitment.is_cancelled = True
    commitment.full_clean()
    commitment.save()
    # A new forecast, or cancelled.
    projection_follow(commitment_id=commitment.pk, budget_id=budget.pk, before=before)
    if bound > 0:
        commitment_year_end_refresh(commitment)  # invoiced months stay facts after a correction
    return entries


@transaction.atomic
def ledger_texts_erase(*, entries: QuerySet[LedgerEntry], ground: str) -> int:
    """Empty the free text of the entries (retention: `ErasureGround.RETENTION`; an upheld
    erasure request, Art. 17 DSGVO / § 84 SGB X: `ErasureGround.REQUEST`).

    Only the `LedgerText` rows change: the entries, their amounts and every sum stay as they
    were, and the ledger's append-only trigger is not touched. Returns how many texts were
    erased; texts erased before stay as they are.
    """
    if ground not in ErasureGround.values:
        raise ValueError(f"unknown erasure ground {ground!r}")
    return LedgerText.objects.filter(entry__in=entries.values("pk"), erased_on__isnull=True).update(
        text="", reason="", erased_on=timezone.localdate(), erased_because=ground
    )


# Income ---------------------------------------------------------------------------------------


@transaction.atomic
def entry_income_append(
    *,
    budget: Budget,
    amount: Decimal,
    booked_on: datetime.date,
    by: User,
    text: str,
    commitment: Commitment | None = None,
    source: str = IncomeSource.OTHER,
) -> LedgerEntry:
    """Append an income entry (figure `received`) with the budget row locked and move the
    received caches of budget, commitment and total. The rules of who may book income and what
    is plausible live in `budgets.income`, the entry point every other app calls."""
    locked = budgets_lock(budget.pk)[budget.pk]
    return entry_book(
        budget=locked,
        kind=EntryKind.INCOME,
        figure=Figure.RECEIVED,
        amount=amount,
        by=by,
        text=text,
        booked_on=booked_on,
        commitment=commitment,
        income_source=source,
    )


@transaction.atomic
def entry_income_reverse_append(*, entry: LedgerEntry, by: User, reason: str) -> LedgerEntry:
    """Book the exact opposite of an income entry (Storno) with the budget row locked; refused
    when it is reversed already (checked under the lock, so two clicks cannot reverse twice)."""
    budget = budgets_lock(entry.budget_id)[entry.budget_id]
    entry = LedgerEntry.objects.select_related("commitment").get(pk=entry.pk)
    _require(entry.kind == EntryKind.INCOME, "Stornieren lassen sich hier nur Einnahmen.")
    _require(
        not LedgerEntry.objects.filter(reverses=entry).exists(),
        "Diese Einnahme ist bereits storniert.",
    )
    return entry_book(
        budget=budget,
        kind=EntryKind.REVERSAL,
        figure=Figure.RECEIVED,
        amount=-entry.amount,
        by=by,
        text=f"Storno: {_text_to_copy(entry)}",
        reason=reason.strip(),
        commitment=entry.commitment,
        reverses=entry,
        income_source=entry.income_source,
    )
