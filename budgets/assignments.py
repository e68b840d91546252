"""Money for individual helps: the commitments that follow a provider's assignment.

Commissioning a provider (cases) binds the cost of the assignment in the region's budget of each
fiscal year it runs in: specialist hours × weeks × the hourly rate agreed with the provider, or
the monthly placement cost × months, each year cut at 31 December. The starting year is the
caseworker's decision and is checked against the free budget; a later year's share is an
obligation already decided and is booked as such (the forecast warns if it overruns). When the
planners open a new year, the helps running into it are bound there (`assignments_continue_into`).
Ending the help early releases what it no longer needs. `budgets.commissioning` calls these inside
the casework step's transaction, so an assignment the budget cannot carry is refused as a whole.
"""

import datetime
from decimal import Decimal
from typing import Required, TypedDict

from django.core.exceptions import ValidationError
from django.db.models import Q

from budgets.models import Budget, Commitment, CostBasis, EntryKind, FiscalYear, ServiceUnit
from budgets.rates import rate_on
from budgets.services import commitment_book, commitment_correct, commitment_end, entry_reverse
from cases.models import Assignment, CaseKind
from sozialraum.models import Agreement, User
from sozialraum.money import money_format


def hourly_rate_for(assignment: Assignment, on: datetime.date) -> Decimal | None:
    """The hourly rate agreed with the provider on that day.

    A rate agreement (`budgets.rates`) wins; without one, the hourly rate of the provider's
    agreement, where one for the case's region wins over one for all regions.
    """
    agreed = rate_on(provider_id=assignment.provider_id, unit=ServiceUnit.HOURLY, day=on)
    if agreed is not None:
        return agreed.rate
    agreements = (
        Agreement.objects.valid_on(on)
        .filter(provider_id=assignment.provider_id, hourly_rate__isnull=False)
        .filter(Q(region_id=assignment.case.region_id) | Q(region__isnull=True))
        .order_by("-valid_from")
    )
    regional = [a for a in agreements if a.region_id is not None]
    chosen = regional[0] if regional else next(iter(agreements), None)
    return chosen.hourly_rate if chosen else None


class CostArgs(TypedDict, total=False):
    """How a help's commitment is costed: the cost arguments of `commitment_book`."""

    basis: Required[str]
    monthly_cost: Decimal | None
    hours_per_week: Decimal | None
    hourly_rate: Decimal


def _cost(assignment: Assignment, on: datetime.date) -> CostArgs:
    help_ = assignment.help
    if help_.monthly_cost:
        return {"basis": CostBasis.MONTHLY, "monthly_cost": help_.monthly_cost}
    rate = hourly_rate_for(assignment, on)
    if rate is None:
        raise ValidationError(
            {
                "provider": f"Mit {assignment.provider.short_name} ist zum "
                f"{on:%d.%m.%Y} keine Fachleistungsstunde vereinbart; ohne Stundensatz lässt "
                "sich die Hilfe nicht bewilligen."
            }
        )
    return {"basis": CostBasis.HOURS, "hours_per_week": help_.hours_per_week, "hourly_rate": rate}


def _book_year(
    assignment: Assignment, budget: Budget, *, by: User, obligation: bool, override_reason: str = ""
) -> Commitment:
    starts_on = max(assignment.starts_on, budget.fiscal_year.starts_on)
    case = assignment.case
    return commitment_book(
        budget=budget,
        kind=CaseKind.INDIVIDUAL,
        # The case number, not a name: planners read the ledger but no case data.
        title=f"{assignment.help.help_type.name} · {case.number}",
        by=by,
        starts_on=starts_on,
        ends_on=assignment.ended_on or assignment.ends_on,
        sozialraum=case.sozialraum,
        provider=assignment.provider,
        override_reason=override_reason,
        assignment=assignment,
        obligation=obligation,
        **_cost(assignment, starts_on),
    )


def assignment_commitment_book(
    *, assignment: Assignment, user: User, override_reason: str = ""
) -> str | None:
    """Bind the assignment's cost in every year's budget that exists; a notice for the user.

    Without a budget of the region for the starting year (not yet set up) nothing is bound for
    it, and the notice says so: commissioning urgent help never waits for the budget plan. The
    planners bind it when they open the year.
    """
    first = assignment.starts_on.year
    budgets = Budget.objects.filter(
        fiscal_year__year__gte=first,
        fiscal_year__year__lte=assignment.ends_on.year,
        region_id=assignment.case.region_id,
    ).select_related("fiscal_year")
    bound = {}
    for budget in sorted(budgets, key=lambda b: b.fiscal_year.year):
        year = budget.fiscal_year.year
        commitment = _book_year(
            assignment,
            budget,
            by=user,
            obligation=year != first,
            override_reason=override_reason if year == first else "",
        )
        bound[year] = commitment.entries.get(kind=EntryKind.COMMITMENT).amount
    if first not in bound:
        return (
            f"Für {first} ist noch kein Budget der Region eingerichtet: es wurde keine "
            "Bewilligung gebucht. Die Haushaltsplanung bindet sie, wenn sie das Jahr einrichtet."
        )
    return (
        "Bewilligt: "
        + ", ".join(
            f"{money_format(amount)} aus dem Budget der Region {year}"
            for year, amount in bound.items()
        )
        + "."
    )


def assignments_continue_into(fiscal_year: FiscalYear, *, by: User) -> int:
    """Bind the helps that run in a newly opened year: how many were bound.

    Assignments that started in an earlier year and go on, and those commissioned before the year
    had a budget. Idempotent: an assignment already bound in the year's budget is skipped.
    """
    budgets = {
        b.region_id: b
        for b in Budget.objects.filter(
            fiscal_year=fiscal_year, region__isnull=False
        ).select_related("fiscal_year")
    }
    running = (
        Assignment.objects.filter(
            case__region_id__in=list(budgets),
            starts_on__lte=fiscal_year.ends_on,
            ends_on__gte=fiscal_year.starts_on,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=fiscal_year.starts_on))
        .exclude(commitments__budget__fiscal_year=fiscal_year)
        .select_related("case", "help__help_type", "provider")
        .order_by("starts_on", "pk")
    )
    count = 0
    for assignment in running:
        _book_year(assignment, budgets[assignment.case.region_id], by=by, obligation=True)
        count += 1
    return count


def assignment_commitment_end(
    *, assignment: Assignment, user: User, ended_on: datetime.date
) -> None:
    """Release what an ended assignment's commitments no longer need.

    A year's commitment that would have begun after the end is cancelled (Storno) unless
    something was paid on it.
    """
    commitments = Commitment.objects.filter(
        assignment=assignment, ended_on__isnull=True, is_cancelled=False
    ).order_by("starts_on")
    for commitment in commitments:
        if ended_on < commitment.starts_on and not commitment.payments.exists():
            entry_reverse(
                entry=commitment.entries.get(kind=EntryKind.COMMITMENT),
                by=user,
                reason="Hilfe vor Beginn beendet",
            )
            continue
        commitment_end(
            commitment=commitment,
            ended_on=max(ended_on, commitment.starts_on),
            by=user,
            reason="Hilfe beendet",
        )


def assignment_commitments_correct(*, assignment: Assignment, user: User, reason: str) -> None:
    """After a correction of the assignment (its period) or of its help (hours, monthly cost):
    re-book each year's commitment with the corrected cost (reversal and new booking, see
    `commitment_correct`), and bind the years the corrected period newly reaches."""
    assignment = Assignment.objects.select_related("case", "help__help_type", "provider").get(
        pk=assignment.pk
    )
    end = assignment.ended_on or assignment.ends_on
    commitments = Commitment.objects.filter(assignment=assignment, is_cancelled=False)
    for commitment in commitments.select_related("budget__fiscal_year").order_by("starts_on"):
        fiscal_year = commitment.budget.fiscal_year
        starts_on = max(assignment.starts_on, fiscal_year.starts_on)
        cost = _cost(assignment, min(starts_on, fiscal_year.ends_on))
        commitment_correct(
            commitment=commitment,
            by=user,
            reason=reason,
            starts_on=starts_on,
            ends_on=end,
            hours_per_week=cost.get("hours_per_week"),
            hourly_rate=cost.get("hourly_rate"),
            monthly_cost=cost.get("monthly_cost"),
        )
    bound_years = set(
        Commitment.objects.filter(assignment=assignment).values_list(
            "budget__fiscal_year__year", flat=True
        )
    )
    budgets = Budget.objects.filter(
        fiscal_year__year__gte=assignment.starts_on.year,
        fiscal_year__year__lte=end.year,
        region_id=assignment.case.region_id,
    ).select_related("fiscal_year")
    for budget in sorted(budgets, key=lambda b: b.fiscal_year.year):
        if budget.fiscal_year.year not in bound_years:
            _book_year(
                assignment,
                budget,
                by=user,
                obligation=budget.fiscal_year.year != assignment.starts_on.year,
            )
