"""Leistungsnachweise of the demo town: rate agreements for the demo providers and a few months
of statements in every state (approved with a payment order, a corrected approval, returned,
submitted, a first approval waiting for the second person).

Idempotent: nothing happens when a rate agreement exists already. Every step goes through the
services, as a person would take it; a month the budget or the rules refuse is skipped.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from billing.checking import statement_approve, statement_return
from billing.demo_payment_runs import payment_runs_demo_build
from billing.models import LineKind, ServiceStatement
from billing.statements import LineInput, assignment_term, month_end, statement_submit
from budgets.models import Commitment, CostBasis, RateAgreement, ServiceUnit
from budgets.rates import rate_agreement_add
from cases.models import Assignment, AssignmentStatus
from sozialraum.models import Agreement, Provider, Role, User

STATEMENT_ASSIGNMENTS = 6


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months = []
    day = today.replace(day=1)
    for _ in range(count):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        months.append(day)
    return list(reversed(months))


def _rates_build(planner: User, year: int) -> None:
    for provider in Provider.objects.filter(staff__role=Role.PROVIDER_STAFF).distinct():
        agreed = (
            Agreement.objects.filter(provider=provider, hourly_rate__isnull=False)
            .order_by("-valid_from")
            .values_list("hourly_rate", flat=True)
            .first()
        ) or Decimal("62.50")
        rate_agreement_add(
            user=planner,
            provider=provider,
            unit=ServiceUnit.HOURLY,
            valid_from=datetime.date(year, 1, 1),
            rate=agreed,
            travel_billable=True,
            note="Entgeltvereinbarung ambulante Hilfen",
        )
        rate_agreement_add(
            user=planner,
            provider=provider,
            unit=ServiceUnit.HOURLY,
            valid_from=datetime.date(year, 7, 1),
            rate=(agreed * Decimal("1.03")).quantize(Decimal("0.01")),
            travel_billable=True,
            note="Tarifsteigerung ab Juli",
        )
        rate_agreement_add(
            user=planner,
            provider=provider,
            unit=ServiceUnit.DAILY,
            valid_from=datetime.date(year, 1, 1),
            rate=Decimal("168.00"),
            absence_percent=Decimal("75"),
            note="Entgeltvereinbarung stationäre Hilfen",
        )


def _lines(assignment: Assignment, month: datetime.date, *, hours: Decimal) -> list[LineInput]:
    """Two or three appointments a week within the assignment's term."""
    first, last = assignment_term(assignment)
    lines: list[LineInput] = []
    day = max(month, first)
    end = min(month_end(month), last, timezone.localdate())
    while day <= end:
        if day.weekday() in (1, 3):
            lines.append(LineInput(len(lines) + 1, day, LineKind.FACE_TO_FACE, hours))
            if day.weekday() == 3:
                lines.append(LineInput(len(lines) + 1, day, LineKind.TRAVEL, Decimal("0.5")))
        day += datetime.timedelta(days=1)
    return lines


@transaction.atomic
def demo_build() -> None:
    if RateAgreement.objects.exists():
        return
    planner = User.objects.filter(username="planung").first()
    if planner is None:
        return
    today = timezone.localdate()
    _rates_build(planner, today.year)
    lead = User.objects.filter(username="leitung-nord").select_related("asd_team").first()
    staff = {
        user.provider_id: user
        for user in User.objects.filter(role=Role.PROVIDER_STAFF, provider__isnull=False)
    }
    hourly = Commitment.objects.filter(
        basis=CostBasis.HOURS, budget__fiscal_year__year=today.year, is_cancelled=False
    ).values("assignment_id")
    assignments = list(
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            provider_id__in=list(staff),
            pk__in=hourly,
            case__region_id=lead.asd_team.region_id if lead and lead.asd_team else None,
        )
        .select_related("case", "help", "provider")
        .order_by("pk")[:STATEMENT_ASSIGNMENTS]
    )
    months = _months_back(today, 3)
    for index, assignment in enumerate(assignments):
        for position, month in enumerate(months):
            lines = _lines(assignment, month, hours=Decimal("2.5") if index % 2 else Decimal(2))
            if not lines:
                continue
            try:
                with transaction.atomic():
                    statement = statement_submit(
                        user=staff[assignment.provider_id],
                        assignment=assignment,
                        month=month,
                        lines=lines,
                    )
                    _decide(statement, lead=lead, index=index, position=position)
            except ValidationError:
                continue  # e.g. the commitment does not cover it: the month stays out
    _placement_build(lead=lead, staff=staff, month=months[1], year=today.year)
    payment_runs_demo_build()  # the approved orders go into one run for the cash office


def _placement_build(
    *, lead: User | None, staff: dict[int | None, User], month: datetime.date, year: int
) -> None:
    """A placement's month of days present and absent, above the four-eyes threshold: its first
    approval waits for a second person."""
    monthly = Commitment.objects.filter(
        basis=CostBasis.MONTHLY, budget__fiscal_year__year=year, is_cancelled=False
    ).values("assignment_id")
    assignment = (
        Assignment.objects.filter(
            status=AssignmentStatus.ACTIVE,
            provider_id__in=list(staff),
            pk__in=monthly,
            starts_on__lte=month,
            ends_on__gte=month_end(month),
        )
        .select_related("case", "help", "provider")
        .order_by("pk")
        .first()
    )
    if assignment is None or lead is None:
        return
    last = month_end(month).day
    lines = [
        LineInput(day, month.replace(day=day), LineKind.PRESENT, Decimal(1))
        for day in range(1, last - 1)
    ]
    lines += [
        LineInput(day, month.replace(day=day), LineKind.ABSENT, Decimal(1))
        for day in range(last - 1, last + 1)
    ]
    try:
        with transaction.atomic():
            statement = statement_submit(
                user=staff[assignment.provider_id], assignment=assignment, month=month, lines=lines
            )
            if lead.asd_team and assignment.case.region_id == lead.asd_team.region_id:
                statement_approve(user=lead, statement_id=statement.pk)
    except ValidationError:
        return


def _decide(statement: ServiceStatement, *, lead: User | None, index: int, position: int) -> None:
    """Older months decided, the newest left to check; one correction, one return."""
    if lead is None or position == 2:
        return
    if index == 1 and position == 1:
        statement_return(
            user=lead,
            statement_id=statement.pk,
            reason="Das unterschriebene Original fehlt; bitte mit Unterschrift der Familie "
            "erneut einreichen.",
        )
        return
    if index == 2 and position == 1:
        statement_approve(
            user=lead,
            statement_id=statement.pk,
            amount=(statement.claimed_amount * Decimal("0.9")).quantize(Decimal("0.01")),
            reason="Fahrzeit an zwei Terminen doppelt erfasst.",
        )
        return
    statement_approve(user=lead, statement_id=statement.pk)
