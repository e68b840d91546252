"""Reads of Leistungsnachweise, scoped to the user: a provider's staff see their provider's
statements; the checking role (the ASD team lead, see `billing.checking`) sees the open ones of
the cases of the region. Outsiders get 404."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from billing.models import HOUR_KINDS, ServiceLine, ServiceStatement, StatementStatus
from budgets.models import Commitment
from sozialraum.access import has_role
from sozialraum.models import Role, User

CHECKERS: tuple[str, ...] = (Role.TEAM_LEAD,)
OPEN = (StatementStatus.SUBMITTED, StatementStatus.FIRST_APPROVED)


def checker_region_id(user: User) -> int | None:
    if has_role(user, *CHECKERS) and user.asd_team is not None:
        return user.asd_team.region_id
    return None


def statements_to_check(user: User) -> QuerySet[ServiceStatement]:
    """The queue of the region's team lead: open statements of the region's cases, oldest month
    first, each with the open amount of its commitment and the hours delivered."""
    region_id = checker_region_id(user)
    if region_id is None:
        return ServiceStatement.objects.none()
    commitment_open = Commitment.objects.filter(
        assignment_id=OuterRef("assignment_id"),
        budget__fiscal_year__year=OuterRef("month__year"),
        is_cancelled=False,
    ).values("cached_bound", "cached_paid")[:1]
    hours = (
        ServiceLine.objects.filter(statement_id=OuterRef("pk"), kind__in=HOUR_KINDS)
        .order_by()
        .values("statement_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return (
        ServiceStatement.objects.filter(status__in=OPEN, assignment__case__region_id=region_id)
        .select_related("assignment__case", "assignment__provider", "assignment__help")
        .annotate(
            commitment_bound=Subquery(
                commitment_open.values("cached_bound"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            commitment_paid=Subquery(
                commitment_open.values("cached_paid"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            hours_delivered=Coalesce(
                Subquery(hours, output_field=DecimalField(max_digits=8, decimal_places=2)),
                Decimal(0),
            ),
        )
        .order_by("month", "pk")
    )


def statement_for_checker(user: User, pk: int) -> ServiceStatement:
    """The statement if it belongs to the checker's region (404 otherwise)."""
    region_id = checker_region_id(user)
    statement = (
        ServiceStatement.objects.filter(pk=pk, assignment__case__region_id=region_id)
        .select_related(
            "assignment__case",
            "assignment__provider",
            "assignment__help__help_type",
            "first_approved_by",
            "checked_by",
            "submitted_by",
        )
        .first()
        if region_id is not None
        else None
    )
    if statement is None:
        raise Http404("Leistungsnachweis nicht gefunden.")
    return statement


def statements_of_provider(user: User) -> QuerySet[ServiceStatement]:
    """A provider's staff see their provider's statements, newest month first."""
    if not (has_role(user, Role.PROVIDER_STAFF) and user.provider_id):
        return ServiceStatement.objects.none()
    return (
        ServiceStatement.objects.filter(assignment__provider_id=user.provider_id)
        .select_related("assignment__case", "assignment__help__help_type")
        .order_by("-month", "-pk")
    )


def statement_for_provider(user: User, pk: int) -> ServiceStatement:
    statement = statements_of_provider(user).filter(pk=pk).first()
    if statement is None:
        raise Http404("Leistungsnachweis nicht gefunden.")
    return statement


def statement_visible(user: User, pk: int) -> ServiceStatement:
    """For the document download: the provider's staff or the region's checker."""
    if has_role(user, Role.PROVIDER_STAFF):
        return statement_for_provider(user, pk)
    return statement_for_checker(user, pk)


def open_queue_count(user: User) -> int:
    return statements_to_check(user).count()
