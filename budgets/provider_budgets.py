"""Trägerbudget: a year's money from a region's budget that its Schwerpunktträger (or a
Trägerverbund) manages itself (issue 20, part 5).

- Planners allocate (`provider_budget_allocate`): each allocation is a project commitment in the
  region's budget, booked in the ledger like any Bewilligung, with the planners' rationale.
- The provider books its own spending (`provider_budget_book`): individual help under one of its
  assignments, group offers, Sozialraum work, staff hours. Its book is append-only; a wrong
  booking is reversed by its opposite (`provider_budget_booking_reverse`). Spending beyond the
  allocation is refused unless the provider gives a reason.
- At year end the planners record one decision (`provider_budget_carry_over`): what is left is
  released from this year's allocation, carried into the next year through the region's
  existing carry-over (`services.year_end_carry_over`) and bound there in named Sozialraum
  projects (`Commitment.is_project_carry_over`). A second decision is refused (a constraint).

Both sides read the same overview (`provider_budget_overview`): allocated, spent by kind of work,
forecast to 31 December; each figure one SQL aggregate.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from budgets import services
from budgets.forecast import commitment_row_update
from budgets.models import (
    Budget,
    Commitment,
    EntryKind,
    Figure,
    LedgerEntry,
    ProviderBudget,
    ProviderBudgetAllocation,
    ProviderBudgetBooking,
    ProviderBudgetCarryOver,
    ProviderBudgetProject,
    SpendingKind,
)
from budgets.selectors import budget_figures_locked, commitment_figures
from cases.models import Assignment, CaseKind
from sozialraum.access import has_role
from sozialraum.models import (
    ASD_ROLES,
    Provider,
    ProviderAlliance,
    RegionProvider,
    Role,
    Sozialraum,
    User,
)
from sozialraum.money import money_format, money_round

ZERO = Decimal("0.00")
PLANNING = (Role.PLANNER, Role.ADMIN)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


# Reads ------------------------------------------------------------------------------------------


def provider_budgets_visible_to(user: User) -> QuerySet[ProviderBudget]:
    """Planners see every Trägerbudget, the ASD its region's, a provider only its own (its own
    or that of a Trägerverbund it belongs to)."""
    budgets = ProviderBudget.objects.select_related(
        "budget__fiscal_year", "budget__region", "provider", "alliance"
    )
    if has_role(user, *PLANNING):
        return budgets
    if has_role(user, *ASD_ROLES) and user.asd_team is not None:
        return budgets.filter(budget__region_id=user.asd_team.region_id)
    if has_role(user, Role.PROVIDER_STAFF) and user.provider_id is not None:
        return budgets.filter(
            Q(provider_id=user.provider_id) | Q(alliance__members=user.provider_id)
        ).distinct()
    return budgets.none()


def provider_budget_for_user(user: User, pk: int) -> ProviderBudget:
    budget = provider_budgets_visible_to(user).filter(pk=pk).first()
    if budget is None:
        raise Http404("Trägerbudget nicht gefunden.")
    return budget


def may_book_for(user: User, provider_budget: ProviderBudget) -> bool:
    """The holder's staff book its spending (every member's staff for a Trägerverbund)."""
    if not has_role(user, Role.PROVIDER_STAFF) or user.provider_id is None:
        return False
    if provider_budget.provider_id is not None:
        return provider_budget.provider_id == user.provider_id
    assert provider_budget.alliance is not None
    return provider_budget.alliance.members.filter(pk=user.provider_id).exists()


@dataclass
class KindRow:
    kind: str
    label: str
    spent: Decimal = ZERO
    hours: Decimal = ZERO
    forecast: Decimal = ZERO


@dataclass
class ProviderBudgetOverview:
    allocated: Decimal
    spent: Decimal
    forecast: Decimal
    rows: list[KindRow] = field(default_factory=list)
    over_allocation: bool = False

    @property
    def left(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def forecast_left(self) -> Decimal:
        return self.allocated - self.forecast


def _allocated(provider_budget: ProviderBudget) -> Decimal:
    """What was allocated: the allocation commitments' bookings, reversals included, but not the
    year-end release (that moves the rest into projects, it does not shrink the allocation)."""
    total = (
        LedgerEntry.objects.filter(
            commitment__provider_budget_allocation__provider_budget=provider_budget,
            figure=Figure.COMMITTED,
        )
        .exclude(kind=EntryKind.RELEASE)
        .aggregate(s=Sum("amount"))["s"]
    )
    return money_round(total or ZERO)


def _year_share(year: int, today: datetime.date) -> Decimal:
    """How much of the year has passed: 1 once it is over, 0 before it starts."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if today >= last:
        return Decimal(1)
    if today < first:
        return Decimal(0)
    return Decimal((today - first).days + 1) / Decimal((last - first).days + 1)


def provider_budget_overview(
    provider_budget: ProviderBudget, *, today: datetime.date | None = None
) -> ProviderBudgetOverview:
    """Allocated, spent by kind of work (amount and hours), and the forecast to 31 December:
    what was spent so far, continued at the same pace for the rest of the year."""
    today = today or timezone.localdate()
    allocated = _allocated(provider_budget)
    # Reversed bookings and their reversals cancel out; leaving both out keeps the hours right.
    sums = {
        row["kind"]: row
        for row in ProviderBudgetBooking.objects.filter(
            provider_budget=provider_budget, reverses__isnull=True, reversed_by__isnull=True
        )
        .values("kind")
        .annotate(spent=Sum("amount"), hours=Sum("hours"))
        .order_by()
    }
    share = _year_share(provider_budget.budget.fiscal_year.year, today)
    rows = []
    for kind in SpendingKind:
        row = sums.get(kind.value, {})
        spent = money_round(row.get("spent") or ZERO)
        forecast = money_round(spent / share) if share else ZERO
        rows.append(
            KindRow(kind.value, kind.label, spent, row.get("hours") or ZERO, max(forecast, spent))
        )
    spent = sum((r.spent for r in rows), ZERO)
    forecast = sum((r.forecast for r in rows), ZERO)
    return ProviderBudgetOverview(
        allocated=allocated,
        spent=spent,
        forecast=forecast,
        rows=rows,
        over_allocation=spent > allocated,
    )


def provider_budget_bookings(provider_budget: ProviderBudget) -> QuerySet[ProviderBudgetBooking]:
    return provider_budget.bookings.select_related(
        "assignment__case", "created_by", "reversed_by"
    ).order_by("-spent_on", "-pk")


def provider_budget_assignments(provider_budget: ProviderBudget) -> QuerySet[Assignment]:
    """The holder's assignments in the region that individual help may be booked under."""
    holder = Q(provider_id=provider_budget.provider_id)
    if provider_budget.alliance_id is not None:
        holder = Q(alliance_id=provider_budget.alliance_id) | Q(
            provider__alliances=provider_budget.alliance_id
        )
    return (
        Assignment.objects.filter(holder, case__region_id=provider_budget.budget.region_id or 0)
        .select_related("case")
        .distinct()
        .order_by("case__number")
    )


def provider_budgets_of_year(year: int) -> list[tuple[ProviderBudget, ProviderBudgetOverview]]:
    """Every Trägerbudget of a year with its overview (for the committee report)."""
    budgets = ProviderBudget.objects.filter(budget__fiscal_year__year=year).select_related(
        "budget__region", "budget__fiscal_year", "provider", "alliance"
    )
    return [(pb, provider_budget_overview(pb)) for pb in budgets.order_by("budget__region__name")]


def provider_budget_projects_of_year(year: int) -> QuerySet[ProviderBudgetProject]:
    """The Sozialraum projects a year's Trägerbudgets were carried into."""
    return ProviderBudgetProject.objects.filter(
        carry_over__provider_budget__budget__fiscal_year__year=year
    ).select_related(
        "sozialraum",
        "carry_over__provider_budget__provider",
        "carry_over__provider_budget__alliance",
        "carry_over__provider_budget__budget__region",
    )


# Writes -----------------------------------------------------------------------------------------


def _is_lead(provider: Provider, budget: Budget) -> bool:
    leads = RegionProvider.objects.filter(
        region_id=budget.region_id or 0, provider=provider, is_lead=True
    )
    return any(_overlaps(lead, budget.fiscal_year.year) for lead in leads)


def _overlaps(row: RegionProvider | ProviderAlliance, year: int) -> bool:
    return row.valid_from <= datetime.date(year, 12, 31) and (
        row.valid_until is None or row.valid_until >= datetime.date(year, 1, 1)
    )


@transaction.atomic
def provider_budget_allocate(
    *,
    budget: Budget,
    amount: Decimal,
    rationale: str,
    by: User,
    provider: Provider | None = None,
    alliance: ProviderAlliance | None = None,
) -> ProviderBudgetAllocation:
    """Allocate money of a region's budget to its Schwerpunktträger or a Trägerverbund.

    Booked as a project commitment in the region's budget (the money is bound there), never
    above what is free; a further allocation adds another. Refused for a provider that is not a
    Schwerpunktträger of the region in that year.
    """
    _require(has_role(by, *PLANNING), "Trägerbudgets weist die Jugendhilfeplanung zu.")
    _require(budget.region_id is not None, "Aus dem Vorwegabzug gibt es kein Trägerbudget.")
    _require(
        (provider is None) != (alliance is None),
        "Bitte wählen Sie entweder einen Schwerpunktträger oder einen Trägerverbund.",
    )
    rationale = rationale.strip()
    _require(bool(rationale), "Bitte begründen Sie die Zuweisung.")
    amount = money_round(amount)
    _require(amount > 0, "Der Betrag muss größer als null sein.")
    year = budget.fiscal_year.year
    assert budget.region is not None
    if provider is not None:
        _require(
            _is_lead(provider, budget),
            f"{provider.name} ist {year} kein Schwerpunktträger der Region {budget.region.name}.",
        )
    else:
        assert alliance is not None
        _require(
            alliance.region_id == budget.region_id and _overlaps(alliance, year),
            f"Der Trägerverbund {alliance.name} arbeitet {year} nicht in der Region "
            f"{budget.region.name}.",
        )
    locked = services.budgets_lock(budget.pk)[budget.pk]
    free = budget_figures_locked([locked])[locked.pk].free
    _require(
        amount <= free,
        f"Im Budget der Region {budget.region.name} sind nur {money_format(free)} frei; "
        f"zugewiesen werden sollen {money_format(amount)}.",
    )
    provider_budget, _ = ProviderBudget.objects.get_or_create(
        budget=budget, provider=provider, alliance=alliance, defaults={"created_by": by}
    )
    holder = provider.name if provider is not None else str(alliance)
    commitment = services.commitment_book(
        budget=locked,
        kind=CaseKind.CROSS_CASE,
        title=f"Trägerbudget {holder} {year}",
        by=by,
        amount=amount,
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
        provider=provider if provider is not None else alliance.lead_provider,  # type: ignore[union-attr]
        # Checked above against the free budget under the same lock; a planner books it.
        obligation=True,
    )
    allocation = ProviderBudgetAllocation(
        provider_budget=provider_budget, commitment=commitment, rationale=rationale
    )
    allocation.full_clean()
    allocation.save()
    return allocation


def _lock(provider_budget: ProviderBudget) -> ProviderBudget:
    """Serialise the bookings of one Trägerbudget (the over-allocation check reads their sum)."""
    return (
        ProviderBudget.objects.select_for_update(of=("self",))
        .select_related("budget__fiscal_year", "budget__region", "provider", "alliance")
        .get(pk=provider_budget.pk)
    )


@transaction.atomic
def provider_budget_book(
    *,
    provider_budget: ProviderBudget,
    kind: str,
    amount: Decimal,
    spent_on: datetime.date,
    text: str,
    by: User,
    assignment: Assignment | None = None,
    hours: Decimal | None = None,
    over_reason: str = "",
) -> ProviderBudgetBooking:
    """The provider books one item of its spending. Refused with a German message naming the
    field; above the allocation only with a reason (`over_reason`), which stays with it."""
    provider_budget = _lock(provider_budget)
    _require(
        may_book_for(by, provider_budget),
        "Im Trägerbudget bucht nur der Träger selbst.",
    )
    _require(
        not ProviderBudgetCarryOver.objects.filter(provider_budget=provider_budget).exists(),
        "Das Trägerbudget ist abgeschlossen: Über den Rest wurde schon entschieden.",
    )
    year = provider_budget.budget.fiscal_year.year
    errors: dict[str, str] = {}
    if kind not in SpendingKind.values:
        errors["kind"] = "Bitte wählen Sie die Art der Arbeit."
    amount = money_round(amount)
    if amount <= 0:
        errors["amount"] = "Der Betrag muss größer als null sein."
    if spent_on.year != year:
        errors["spent_on"] = f"Das Datum muss im Haushaltsjahr {year} liegen."
    elif spent_on > timezone.localdate():
        errors["spent_on"] = "Eine Ausgabe kann nicht in der Zukunft liegen."
    if not text.strip():
        errors["text"] = "Bitte beschreiben Sie die Ausgabe."
    if hours is not None and not (Decimal(0) < hours <= Decimal(2000)):
        errors["hours"] = "Die Stunden müssen größer als null und plausibel sein (höchstens 2000)."
    if kind == SpendingKind.STAFF and hours is None:
        errors["hours"] = "Personalstunden bitte mit der Zahl der Stunden buchen."
    if kind == SpendingKind.INDIVIDUAL:
        if assignment is None:
            errors["assignment"] = "Einzelfallhilfe wird unter einer Falldurchführung gebucht."
        elif not provider_budget_assignments(provider_budget).filter(pk=assignment.pk).exists():
            errors["assignment"] = "Diese Falldurchführung gehört nicht zu Ihrem Träger."
    elif assignment is not None:
        errors["assignment"] = "Eine Falldurchführung gehört nur zur Einzelfallhilfe."
    if errors:
        raise ValidationError(errors)
    overview = provider_budget_overview(provider_budget)
    over_reason = over_reason.strip()
    if overview.spent + amount > overview.allocated and not over_reason:
        raise ValidationError(
            {
                "over_reason": (
                    f"Mit {money_format(amount)} wären {money_format(overview.spent + amount)} "
                    f"ausgegeben, zugewiesen sind {money_format(overview.allocated)}. Bitte "
                    "begründen Sie die Überschreitung oder buchen Sie weniger."
                )
            }
        )
    booking = ProviderBudgetBooking(
        provider_budget=provider_budget,
        kind=kind,
        assignment=assignment,
        hours=hours,
        amount=amount,
        spent_on=spent_on,
        text=text.strip()[:200],
        over_reason=over_reason if overview.spent + amount > overview.allocated else "",
        created_by=by,
    )
    booking.full_clean()
    booking.save()
    return booking


@transaction.atomic
def provider_budget_booking_reverse(
    *, booking: ProviderBudgetBooking, by: User, reason: str
) -> ProviderBudgetBooking:
    """Cancel a booking by its exact opposite; the wrong booking stays."""
    provider_budget = _lock(booking.provider_budget)
    _require(may_book_for(by, provider_budget), "Im Trägerbudget bucht nur der Träger selbst.")
    _require(bool(reason.strip()), "Bitte begründen Sie das Storno.")
    _require(booking.reverses_id is None, "Ein Storno lässt sich nicht stornieren.")
    _require(
        not ProviderBudgetBooking.objects.filter(reverses=booking).exists(),
        "Diese Buchung ist bereits storniert.",
    )
    _require(
        not ProviderBudgetCarryOver.objects.filter(provider_budget=provider_budget).exists(),
        "Das Trägerbudget ist abgeschlossen: Über den Rest wurde schon entschieden.",
    )
    reversal = ProviderBudgetBooking(
        provider_budget=provider_budget,
        kind=booking.kind,
        assignment=booking.assignment,
        amount=-booking.amount,
        spent_on=booking.spent_on,
        text=f"Storno: {reason.strip()}"[:200],
        reverses=booking,
        created_by=by,
    )
    reversal.save()
    return reversal


@dataclass
class ProjectPlan:
    """One named Sozialraum project of a carry-over decision."""

    name: str
    sozialraum: Sozialraum
    amount: Decimal


def provider_budget_carry_over(
    *, provider_budget: ProviderBudget, projects: Sequence[ProjectPlan], rationale: str, by: User
) -> ProviderBudgetCarryOver:
    """Record the year-end decision and book it (see the module docstring). Refused when the
    decision was taken already, also by someone else at the same moment."""
    try:
        with transaction.atomic():
            return _carry_over(
                provider_budget=provider_budget, projects=projects, rationale=rationale, by=by
            )
    except IntegrityError as error:
        raise ValidationError(
            "Über den Rest dieses Trägerbudgets wurde gerade schon entschieden; es wurde nichts "
            "doppelt gebucht."
        ) from error


def _carry_over(
    *, provider_budget: ProviderBudget, projects: Sequence[ProjectPlan], rationale: str, by: User
) -> ProviderBudgetCarryOver:
    _require(has_role(by, *PLANNING), "Über den Rest eines Trägerbudgets entscheidet die Planung.")
    provider_budget = _lock(provider_budget)
    _require(
        not ProviderBudgetCarryOver.objects.filter(provider_budget=provider_budget).exists(),
        "Über den Rest dieses Trägerbudgets ist schon entschieden.",
    )
    rationale = rationale.strip()
    _require(bool(rationale), "Bitte begründen Sie die Entscheidung.")
    projects = [p for p in projects if p.name.strip() or p.amount]
    _require(bool(projects), "Bitte nennen Sie mindestens ein Sozialraumprojekt.")
    budget = provider_budget.budget
    assert budget.region is not None
    for project in projects:
        _require(bool(project.name.strip()), "Jedes Projekt braucht einen Namen.")
        _require(
            money_round(project.amount) > 0,
            f"Projekt {project.name}: Der Betrag muss größer als null sein.",
        )
        _require(
            project.sozialraum.region_id == budget.region_id,
            f"Projekt {project.name}: Der Sozialraum {project.sozialraum.name} liegt nicht in "
            f"der Region {budget.region.name}.",
        )
    total = sum((money_round(p.amount) for p in projects), ZERO)
    overview = provider_budget_overview(provider_budget)
    _require(
        total <= overview.left,
        f"Die Projekte ergeben {money_format(total)}; übrig sind nur "
        f"{money_format(max(overview.left, ZERO))}.",
    )
    year = budget.fiscal_year.year
    following = Budget.objects.filter(
        fiscal_year__year=year + 1, region_id=budget.region_id or 0
    ).first()
    _require(following is not None, f"Legen Sie zuerst das Haushaltsjahr {year + 1} an.")
    assert following is not None
    decision = ProviderBudgetCarryOver.objects.create(
        provider_budget=provider_budget, amount=total, rationale=rationale, decided_by=by
    )
    # 1. What the provider did not spend is released from this year's allocation commitments.
    locked = services.budgets_lock(budget.pk, following.pk)
    rest = overview.left
    for allocation in provider_budget.allocations.select_related("commitment").order_by("-pk"):
        if rest <= 0:
            break
        commitment = allocation.commitment
        figures = commitment_figures(commitment)
        release = min(rest, figures.committed - figures.paid)
        if release > 0:
            services.entry_book(
                budget=locked[budget.pk],
                kind=EntryKind.RELEASE,
                figure=Figure.COMMITTED,
                amount=-release,
                by=by,
                text=f"Freigabe zum Jahresende: {commitment.title}",
                reason=rationale,
                commitment=commitment,
            )
            rest -= release
        # The year is over for it: it no longer projects anything to 31 December.
        commitment_row_update(
            commitment_id=commitment.pk, budget_id=budget.pk, ended_on=datetime.date(year, 12, 31)
        )
    # 2. The decided sum moves into next year's region budget (the existing carry-over) ...
    services.year_end_carry_over(
        budget=locked[budget.pk],
        by=by,
        amount=total,
        reason=f"Trägerbudget {provider_budget.holder_name}: {rationale}",
    )
    # 3. ... and is bound there in the named projects.
    holder_provider = provider_budget.provider or provider_budget.alliance.lead_provider  # type: ignore[union-attr]
    for project in projects:
        commitment = services.commitment_book(
            budget=locked[following.pk],
            kind=CaseKind.CASE_INDEPENDENT,
            title=project.name.strip(),
            by=by,
            amount=money_round(project.amount),
            starts_on=datetime.date(year + 1, 1, 1),
            sozialraum=project.sozialraum,
            provider=holder_provider,
            obligation=True,  # the carried money is free in the following budget: booked above
        )
        Commitment.objects.filter(pk=commitment.pk).update(is_project_carry_over=True)
        ProviderBudgetProject.objects.create(
            carry_over=decision,
            name=project.name.strip(),
            sozialraum=project.sozialraum,
            amount=money_round(project.amount),
            commitment=commitment,
        )
    return decision
