"""The case's `review_due_on`: the day its earliest open Hilfeplangespräch is due.

The case list's "HPG überfällig" filter reads this one column of the case instead of searching
every open review of the city. The services that plan, move, hold or cancel a review
(cases.services) call `case_review_due_refresh` in their transaction; `manage.py
reconcile_cases` lists any case where the column and the reviews disagree.
"""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cases.models import Case, HelpPlanReview


def earliest_open_review_due() -> Subquery:
    """The due day of the outer case's earliest open review (neither held nor cancelled)."""
    return Subquery(
        HelpPlanReview.objects.still_open()
        .filter(case=OuterRef("pk"))
        .order_by("due_on")
        .values("due_on")[:1]
    )


def case_review_due_refresh(*, case_id: int) -> None:
    """Store on the case the day its earliest open review is due (none: empty)."""
    Case.all_objects.filter(pk=case_id).update(review_due_on=earliest_open_review_due())


def cases_review_due_fill() -> int:
    """`case_review_due_refresh` for every case in one statement, for data written around the
    services (the benchmark city's bulk load). Returns the number of cases."""
    return Case.all_objects.update(review_due_on=earliest_open_review_due())


def cases_review_due_wrong() -> QuerySet[Case]:
    """Cases whose stored day is not that of their earliest open review (none expected)."""
    # "None" compared as a day no review has, so that two empty days agree and one does not.
    never = Value(datetime.date.min)
    return (
        Case.all_objects.annotate(expected=earliest_open_review_due())
        .alias(stored_or_never=Coalesce("review_due_on", never))
        .exclude(stored_or_never=Coalesce("expected", never))
        .order_by("pk")
    )
