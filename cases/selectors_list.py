"""The case list: one page of the cases a caseworker may see, filtered, newest first.

Pages go by key (the case id), not by OFFSET, so a deep page (`nach=`) costs what the first does.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cases.models import Assignment, Case, Help, Person, PersonRole
from cases.names import name_part_key
from cases.permissions import cases_visible_to, covered_ids
from cases.selectors import open_reviews_overdue
from cases.selectors_protection import open_risks
from sozialraum.models import User

CASE_NUMBER = re.compile(r"^[A-Za-z]{1,5}-\d{0,4}(-\d{0,6})?$")


@dataclass(frozen=True)
class CaseFilter:
    region_id: int | None = None
    sozialraum_id: int | None = None
    kind: str = ""
    status: str = ""
    help_type_id: int | None = None
    provider_id: int | None = None
    review_overdue: bool = False
    risk_open: bool = False
    steered_by_me: bool = False
    query: str = ""


@dataclass
class CasePage:
    rows: Sequence[Case]  # each with `children`, `review_overdue` and `risk_open`
    next_after: int | None = None  # id to continue after (older cases)
    prev_before: int | None = None  # id to go back from (newer cases)


def cases_filtered(*, user: User, filters: CaseFilter, today: datetime.date) -> QuerySet[Case]:
    """The cases the user may see that match the filter."""
    f = filters
    cases = cases_visible_to(user, covering=covered_ids(user))
    if f.region_id is not None:
        cases = cases.filter(region_id=f.region_id)
    if f.sozialraum_id is not None:
        cases = cases.filter(sozialraum_id=f.sozialraum_id)
    if f.kind:
        cases = cases.filter(kind=f.kind)
    if f.status:
        cases = cases.filter(status=f.status)
    if f.steered_by_me:
        cases = cases.filter(steering_caseworker=user)
    if f.help_type_id is not None:
        helps = Help.objects.filter(case=OuterRef("pk"), help_type_id=f.help_type_id)
        cases = cases.filter(Exists(helps))
    if f.provider_id is not None:
        assignments = Assignment.objects.filter(case=OuterRef("pk"), provider_id=f.provider_id)
        cases = cases.filter(Exists(assignments))
    if f.review_overdue:
        cases = cases.filter(Exists(open_reviews_overdue(today).filter(case=OuterRef("pk"))))
    if f.risk_open:
        cases = cases.filter(Exists(open_risks().filter(case=OuterRef("pk"))))
    query = f.query.strip()
    if query and CASE_NUMBER.match(query):
        cases = cases.filter(number__istartswith=query)
    elif query:
        # A name search: every word in one of the case's people (in the order typed), or the
        # words as typed in a project's title.
        persons = Person.objects.filter(case=OuterRef("pk"))
        for word in name_part_key(query).split():
            persons = persons.filter(name_key__contains=word)
        cases = cases.filter(Exists(persons) | Q(title__icontains=query))
    return cases


CASE_LIST_COLUMNS = (
    "number",
    "kind",
    "status",
    "title",
    "sozialraum__name",
    "steering_caseworker__first_name",
    "steering_caseworker__last_name",
    "steering_caseworker__username",
)


def case_list(
    *,
    user: User,
    filters: CaseFilter,
    after: int | None = None,
    before: int | None = None,
    page_size: int | None = None,
) -> CasePage:
    """One page of the cases the user may see, newest first, paged by id (keyset): older than
    `after`, or newer than `before`."""
    size = page_size or settings.CASE_LIST_PAGE_SIZE
    today = timezone.localdate()
    cases = cases_filtered(user=user, filters=filters, today=today)
    order = "-id"
    if before is not None:
        cases, order = cases.filter(id__gt=before), "id"
    elif after is not None:
        cases = cases.filter(id__lt=after)
    # The page's ids first, from the filter's index; only those rows are then joined and checked
    # for an overdue review or an open § 8a. With the checks on the whole filtered set,
    # PostgreSQL hashed every overdue review of the city for each page.
    ids = cases.order_by(order).values("id")[: size + 1]
    children = (
        Person.objects.filter(role=PersonRole.CHILD)
        .only("case_id", "first_name", "last_name")
        .order_by("id")
    )
    found = list(
        Case.objects.filter(pk__in=ids)
        .select_related("sozialraum", "steering_caseworker")
        # Only what a row shows (templates/cases/case_list.html): a case row is some 30
        # columns, its caseworker's another 15, and each one set on an instance is work.
        .only(*CASE_LIST_COLUMNS)
        .annotate(
            review_overdue=Exists(open_reviews_overdue(today).filter(case=OuterRef("pk"))),
            risk_open=Exists(open_risks().filter(case=OuterRef("pk"))),
        )
        .prefetch_related(Prefetch("persons", queryset=children, to_attr="children"))
        .order_by(order)
    )
    more = len(found) > size
    if before is not None:
        rows = list(reversed(found[:size]))
        return CasePage(
            rows=rows,
            next_after=rows[-1].pk if rows else None,
            prev_before=rows[0].pk if rows and more else None,
        )
    rows = found[:size]
    return CasePage(
        rows=rows,
        next_after=rows[-1].pk if rows and more else None,
        prev_before=rows[0].pk if rows and after is not None else None,
    )
