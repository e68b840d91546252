"""Money for individual helps: the commitment that follows a provider's assignment.

Commissioning a provider (cases) binds the cost of the assignment in the region's budget of the
year it starts in: specialist hours × weeks × the hourly rate agreed with the provider, or the
monthly placement cost × months, cut at 31 December. Ending the help early releases what it no
longer needs. Both run inside the casework step's transaction (see `cases.signals`), so an
assignment the budget cannot carry is refused as a whole.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from budgets.models import Budget, Commitment, CostBasis, EntryKind
from budgets.services import commitment_book, commitment_end, entry_reverse
from cases.models import Assignment, CaseKind
from sozialraum.models import Agreement
from sozialraum.money import money_format


def hourly_rate_for(assignment: Assignment) -> Decimal | None:
    """The hourly rate agreed with the provider on the assignment's first day.

    An agreement for the case's region wins over one for all regions.
    """
    agreements = (
        Agreement.objects.valid_on(assignment.starts_on)
        .filter(provider_id=assignment.provider_id, hourly_rate__isnull=False)
        .filter(Q(region_id=assignment.case.region_id) | Q(region__isnull=True))
        .order_by("-valid_from")
    )
    regional = [a for a in agreements if a.region_id is not None]
    chosen = regional[0] if regional else next(iter(agreements), None)
    return chosen.hourly_rate if chosen else None


def assignment_commitment_book(
    *, assignment: Assignment, user: Any, override_reason: str = ""
) -> str | None:
    """Bind the assignment's cost; return a notice for the caseworker.

    Without a budget of the region for the starting year (not yet set up), nothing is bound and
    the notice says so, so the commissioning of urgent help never waits for the budget plan.
    """
    help_ = assignment.help
    case = assignment.case
    year = assignment.starts_on.year
    budget = Budget.objects.filter(fiscal_year__year=year, region_id=case.region_id).first()
    if budget is None:
        return (
            f"Für {year} ist noch kein Budget der Region eingerichtet: es wurde keine "
            "Bewilligung gebucht. Bitte informieren Sie die Haushaltsplanung."
        )
    if help_.monthly_cost:
        cost: dict[str, Any] = {"basis": CostBasis.MONTHLY, "monthly_cost": help_.monthly_cost}
    else:
        rate = hourly_rate_for(assignment)
        if rate is None:
            raise ValidationError(
                {
                    "provider": f"Mit {assignment.provider.short_name} ist zum Beginn keine "
                    "Fachleistungsstunde vereinbart; ohne Stundensatz lässt sich die Hilfe nicht "
                    "bewilligen."
                }
            )
        cost = {
            "basis": CostBasis.HOURS,
            "hours_per_week": help_.hours_per_week,
            "hourly_rate": rate,
        }
    commitment = commitment_book(
        budget=budget,
        kind=CaseKind.INDIVIDUAL,
        # The case number, not a name: planners read the ledger but no case data.
        title=f"{help_.help_type.name} · {case.number}",
        by=user,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
        sozialraum=case.sozialraum,
        provider=assignment.provider,
        override_reason=override_reason,
        assignment=assignment,
        **cost,
    )
    bound = commitment.entries.get(kind=EntryKind.COMMITMENT).amount
    return f"Bewilligt: {money_format(bound)} aus dem Budget der Region {year}."


def assignment_commitment_end(
    *, assignment: Assignment, user: Any, ended_on: datetime.date
) -> None:
    """Release what an ended assignment's commitment no longer needs.

    Ended before it began: the commitment is cancelled (Storno) unless something was paid.
    """
    commitment = Commitment.objects.filter(
        assignment=assignment, ended_on__isnull=True, is_cancelled=False
    ).first()
    if commitment is None:
        return
    reason = "Hilfe beendet"
    if ended_on < commitment.starts_on and not commitment.payments.exists():
        entry_reverse(
            entry=commitment.entries.get(kind=EntryKind.COMMITMENT),
            by=user,
            reason=f"{reason} vor Beginn der Falldurchführung",
        )
        return
    commitment_end(
        commitment=commitment,
        ended_on=max(ended_on, commitment.starts_on),
        by=user,
        reason=reason,
    )


def on_assignment_commissioned(*, assignment: Assignment, user: Any, override_reason: str, **_):
    return assignment_commitment_book(
        assignment=assignment, user=user, override_reason=override_reason
    )


def on_assignment_ended(*, assignment: Assignment, user: Any, ended_on: datetime.date, **_):
    assignment_commitment_end(assignment=assignment, user=user, ended_on=ended_on)
