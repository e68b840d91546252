"""Reads for the KJH statistics Teil I: the helps of a reporting year with what their record
needs, in one pass (kjhstat.surveys.helps walks it)."""

import datetime
from collections.abc import Collection

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from cases.models import Assignment, Help, Person, PersonRole


def helps_of_year(*, year: int, type_codes: Collection[str]) -> QuerySet[Help]:
    """Helps of the given help types that ran in `year`: begun on or before 31 December and not
    ended before 1 January; of cases in force (withdrawn ones are no help). Ordered by id, so
    every build walks them the same way. Each help's case carries `kjh_children` (its children,
    oldest first) and the help `kjh_provider_public` (is the provider of its latest assignment
    public; None without one) and `kjh_has_assignment`."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    latest = Assignment.objects.filter(help=OuterRef("pk")).order_by("-starts_on", "-id")
    children = Person.objects.filter(role=PersonRole.CHILD).order_by("birth_date", "id")
    return (
        Help.objects.filter(
            help_type__code__in=list(type_codes),
            starts_on__lte=last,
            case__withdrawn_at__isnull=True,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("case", "case__steering_caseworker", "help_type", "young_person")
        .prefetch_related(Prefetch("case__persons", queryset=children, to_attr="kjh_children"))
        .annotate(
            kjh_provider_public=Subquery(latest.values("provider__is_public")[:1]),
            kjh_has_assignment=Exists(latest),
        )
        .order_by("pk")
    )


def help_for_statistics(*, case_id: int, help_id: int) -> Help:
    """One help of a case with its type and young person (the case is already access-checked)."""
    return Help.objects.select_related("help_type", "young_person", "case").get(
        pk=help_id, case_id=case_id
    )
