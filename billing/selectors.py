"""Reads of Leistungsnachweise, scoped to the user: a provider's staff see their provider's
statements; the checking role (the ASD team lead, see `billing.checking`) sees the open ones of
the cases of the region. Outsiders get 404."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
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


QUEUE_PAGE_SIZE = 50


def statements_to_check(user: User) -> QuerySet[ServiceStatement]:
    """The queue of the region's team lead: open statements of the region's cases, oldest month
    first, each with the open amount of its commitment (`commitment_open`, None without one) and
    the hours delivered.

    Only the columns the queue shows are read (a case row carries long texts), and both figures
    are subqueries that the database evaluates for the rows of one page only: the page is cut by
    keyset (`check_queue_page`), so no row before it is computed. The partial index
    `statement_open_queue` hands the open statements over in the queue's order.
    """
    region_id = checker_region_id(user)
    if region_id is None:
        return ServiceStatement.objects.none()
    commitment_open = (
        Commitment.objects.filter(
            assignment_id=OuterRef("assignment_id"),
            budget__fiscal_year__year=OuterRef("month__year"),
            is_cancelled=False,
        )
        # The same commitment `statement_commitment` picks (the model's order, newest first).
        .annotate(open_amount=F("cached_bound") - F("cached_paid"))
        .values("open_amount")[:1]
    )
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
        .only(
            "month",
            "status",
            "claimed_amount",
            "assignment__starts_on",
            "assignment__ends_on",
            "assignment__ended_on",
            "assignment__case__number",
            "assignment__provider__short_name",
            "assignment__help__hours_per_week",
        )
        .annotate(
            commitment_open=Subquery(
                commitment_open, output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
            hours_delivered=Coalesce(
                Subquery(hours, output_field=DecimalField(max_digits=8, decimal_places=2)),
                Decimal(0),
            ),
        )
        .order_by("month", "pk")
    )


QUEUE_COLUMNS = (
    "pk",
    "month",
    "status",
    "claimed_amount",
    "assignment__starts_on",
    "assignment__ends_on",
    "assignment__ended_on",
    "assignment__case__number",
    "assignment__provider__short_name",
    "assignment__help__hours_per_week",
    "commitment_open",
    "hours_delivered",
)


@dataclass(frozen=True)
class QueuePage:
    # One dict per statement (`QUEUE_COLUMNS`): the queue only shows them, and plain rows cost
    # a fraction of five model instances a row (statement, assignment, case, provider, help).
    statements: list[dict[str, Any]]
    total: int  # open statements of the region
    next_after: int | None  # the last statement shown, when more follow (`?nach=`)


def check_queue_page(
    *, user: User, after: int | None = None, size: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """One page of the queue after the statement `after` (keyset on month and id).

    A keyset rather than page numbers: the page costs the same wherever it is in the queue, and
    a statement decided while the team lead pages on does not shift the next page. A statement
    given as `after` that has been decided since still marks its place; an unknown one starts
    at the beginning.
    """
    region_id = checker_region_id(user)
    if region_id is None:
        return QueuePage(statements=[], total=0, next_after=None)
    queue = statements_to_check(user)
    total = queue.count()
    if after is not None:
        month = (
            ServiceStatement.objects.filter(pk=after, assignment__case__region_id=region_id)
            .values_list("month", flat=True)
            .first()
        )
        if month is not None:
            queue = queue.filter(Q(month__gt=month) | Q(month=month, pk__gt=after))
    # Two steps: the page's ids from the narrow join alone, then those rows with their figures.
    # In one query the planner, which cannot foresee how few of the open statements are the
    # region's, joined the providers by a loop over all of them for each row.
    ids = list(queue.values_list("pk", flat=True)[: size + 1])
    rows = list(queue.filter(pk__in=ids[:size]).values(*QUEUE_COLUMNS)) if ids else []
    return QueuePage(
        statements=rows,
        total=total,
        next_after=ids[size - 1] if len(ids) > size else None,
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
