"""Reads for the KJH statistics Teil I: the helps of a reporting year with what their record
needs (kjhstat.surveys.helps walks them once, as plain values: at 100,000 cases a year has tens
of thousands of helps, and model instances of each help, case, caseworker and child were most of
the time)."""

import datetime
from collections.abc import Collection
from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Assignment, Help, Person, PersonRole

# The items of a help record, as `values()` names them (`help_items_of_year`).
HELP_VALUES = (
    "id",
    "case_id",
    "starts_on",
    "ended_on",
    "placement_location",
    "residence_before",
    "family_situation",
    "transfer_payments",
    "suggested_by",
    "reason_main",
    "reason_second",
    "reason_third",
    "previous_help",
    "end_reason",
    "young_person_id",
    "help_type__code",
    "help_type__paragraph",
    "case__number",
    "case__steering_caseworker__username",
    "case__steering_caseworker__first_name",
    "case__steering_caseworker__last_name",
    "young_person__birth_date",
    "young_person__sex",
    "young_person__parent_foreign_origin",
    "young_person__german_at_home",
)
# The items of a child (`children_of_cases`), the same as a help's young person.
CHILD_VALUES = ("case_id", "birth_date", "sex", "parent_foreign_origin", "german_at_home")


def help_items_of_year(*, year: int, type_codes: Collection[str]) -> QuerySet[Any]:
    """Helps of the given help types that ran in `year`: begun on or before 31 December and not
    ended before 1 January; of cases in force (withdrawn ones are no help). Ordered by id, so
    every build walks them the same way. One dict per help (`HELP_VALUES`); the providers are
    read per chunk with `latest_assignment_providers` (two correlated subqueries per help made
    PostgreSQL's estimate so high that it JIT-compiled the query: 5 of its 7 seconds)."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        Help.objects.filter(
            help_type__code__in=list(type_codes),
            starts_on__lte=last,
            case__withdrawn_at__isnull=True,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .order_by("pk")
        .values(*HELP_VALUES)
    )


def latest_assignment_providers(help_ids: Collection[int]) -> dict[int, bool | None]:
    """Help id -> is the provider of its latest assignment (latest start, then latest id)
    public; helps without an assignment are missing."""
    providers: dict[int, bool | None] = {}
    assignments = (
        Assignment.objects.filter(help_id__in=list(help_ids))
        .order_by("help_id", "-starts_on", "-id")
        .values_list("help_id", "provider__is_public")
    )
    for help_id, is_public in assignments:
        providers.setdefault(help_id, is_public)
    return providers


def children_of_cases(case_ids: Collection[int]) -> QuerySet[Any]:
    """The children of these cases, per case oldest first (`CHILD_VALUES` dicts)."""
    return (
        Person.objects.filter(case_id__in=list(case_ids), role=PersonRole.CHILD)
        .order_by("case_id", "birth_date", "id")
        .values(*CHILD_VALUES)
    )


def help_for_statistics(*, case_id: int, help_id: int) -> Help:
    """One help of a case with its type and young person (the case is already access-checked)."""
    return Help.objects.select_related("help_type", "young_person", "case").get(
        pk=help_id, case_id=case_id
    )
