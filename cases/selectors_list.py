"""The case list: one page of the cases a caseworker may see, filtered, newest first.

Pages go by key (the case id), not by OFFSET, so a deep page costs what the first does.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Assignment, Case, CaseKind, CaseStatus, Help, Person, PersonRole
from cases.names import name_part_key
from cases.permissions import region_of_asd
from cases.selectors import open_reviews_overdue, open_risks
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


@dataclass(slots=True)
class CaseRow:
    """One line of the case list: plain values, no model instances (see `case_list`)."""

    pk: int
    number: str
    kind_label: str
    title: str
    children: str  # "Jonas Schulz, Mia Schulz" for a family's case; empty for projects
    sozialraum_name: str
    status_label: str
    caseworker_name: str
    review_overdue: bool
    risk_open: bool


@dataclass
class CasePage:
    rows: list[CaseRow]
    next_after: int | None = None  # id to continue after (older cases)
    prev_before: int | None = None  # id to go back from (newer cases)
    filters: dict[str, Any] = field(default_factory=dict)


def _filter_arguments(f: CaseFilter, *, user: User, today: datetime.date) -> dict[str, Any]:
    """The filter as keyword arguments of `_filtered`: only the filters given."""
    given = {
        "in_region": f.region_id,
        "sozialraum": f.sozialraum_id,
        "kind": f.kind,
        "status": f.status,
        "steered_by": user.pk if f.steered_by_me else None,
        "help_type": f.help_type_id,
        "provider": f.provider_id,
        "overdue_on": today if f.review_overdue else None,
    }
    arguments: dict[str, Any] = {name: value for name, value in given.items() if value}
    query = f.query.strip()
    if query and CASE_NUMBER.match(query):
        arguments["number_start"] = query.upper()
    elif query:
        arguments["title_part"] = query
        for number, word in enumerate(name_part_key(query).split()):
            arguments[f"word{number}"] = word
    return arguments


def _filtered(
    cases: QuerySet[Case],
    *,
    risk_open: bool,
    in_region: int | None = None,
    sozialraum: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    steered_by: int | None = None,
    help_type: int | None = None,
    provider: int | None = None,
    overdue_on: datetime.date | None = None,
    number_start: str | None = None,
    title_part: str | None = None,
    **words: str,
) -> QuerySet[Case]:
    if in_region is not None:
        cases = cases.filter(region_id=in_region)
    if sozialraum is not None:
        cases = cases.filter(sozialraum_id=sozialraum)
    if kind is not None:
        cases = cases.filter(kind=kind)
    if status is not None:
        cases = cases.filter(status=status)
    if steered_by is not None:
        cases = cases.filter(steering_caseworker_id=steered_by)
    if help_type is not None:
        cases = cases.filter(
            Exists(Help.objects.filter(case=OuterRef("pk"), help_type_id=help_type))
        )
    if provider is not None:
        cases = cases.filter(
            Exists(Assignment.objects.filter(case=OuterRef("pk"), provider_id=provider))
        )
    if overdue_on is not None:
        cases = cases.filter(Exists(open_reviews_overdue(overdue_on).filter(case=OuterRef("pk"))))
    if risk_open:
        cases = cases.filter(Exists(open_risks().filter(case=OuterRef("pk"))))
    if number_start is not None:
        cases = cases.filter(number__istartswith=number_start)
    if title_part is not None:
        # A name search: every word in one of the case's people (in the order typed), or the
        # words as typed in a project's title.
        persons = Person.objects.filter(case=OuterRef("pk"))
        for number in range(len(words)):
            persons = persons.filter(name_key__contains=words[f"word{number}"])
        cases = cases.filter(Exists(persons) | Q(title__icontains=title_part))
    return cases


_ROW_FIELDS = (
    "id",
    "number",
    "kind",
    "title",
    "status",
    "sozialraum__name",
    "steering_caseworker__first_name",
    "steering_caseworker__last_name",
    "steering_caseworker__username",
    "review_overdue",
    "risk_open",
)


def _page_values(
    *,
    size: int,
    risk_open: bool,
    today: datetime.date,
    region_id: int,
    after: int | None = None,
    before: int | None = None,
    **filters: Any,
) -> QuerySet:
    """The page's rows (one more than `size`, to know whether more follow) with their flags;
    newest first, or oldest first from `before` (the page is then turned round).

    The page's ids are chosen first, from the filter's index, and only those rows are then
    joined and checked for an overdue review or an open § 8a ("deferred join"). With the
    checks on the filtered set itself, PostgreSQL hashed every overdue review of the city for
    each page instead of probing fifty cases.
    """
    cases = _filtered(Case.objects.filter(region_id=region_id), risk_open=risk_open, **filters)
    order = "-id"
    if before is not None:
        cases, order = cases.filter(id__gt=before), "id"
    elif after is not None:
        cases = cases.filter(id__lt=after)
    ids = cases.order_by(order).values("id")[: size + 1]
    return (
        Case.objects.filter(pk__in=ids)
        .annotate(
            review_overdue=Exists(open_reviews_overdue(today).filter(case=OuterRef("pk"))),
            risk_open=Exists(open_risks().filter(case=OuterRef("pk"))),
        )
        .order_by(order)
        .values(*_ROW_FIELDS)
    )


def _case_rows(values: list[dict[str, Any]]) -> list[CaseRow]:
    """Rows from plain values; the children's names in one more query for the whole page."""
    children: dict[int, list[str]] = {}
    if values:
        found = (
            Person.objects.filter(case_id__in=[v["id"] for v in values], role=PersonRole.CHILD)
            .order_by("id")
            .values_list("case_id", "first_name", "last_name")
        )
        for case_id, first, last in found:
            children.setdefault(case_id, []).append(f"{first} {last}")
    kinds, statuses = dict(CaseKind.choices), dict(CaseStatus.choices)
    rows = []
    for v in values:
        full_name = (
            f"{v['steering_caseworker__first_name']} {v['steering_caseworker__last_name']}".strip()
        )
        rows.append(
            CaseRow(
                pk=v["id"],
                number=v["number"],
                kind_label=str(kinds.get(v["kind"], v["kind"])),
                title=v["title"],
                children=", ".join(children.get(v["id"], ())),
                sozialraum_name=v["sozialraum__name"],
                status_label=str(statuses.get(v["status"], v["status"])),
                caseworker_name=full_name or v["steering_caseworker__username"],
                review_overdue=v["review_overdue"],
                risk_open=v["risk_open"],
            )
        )
    return rows


def case_list(
    *,
    user: User,
    filters: CaseFilter,
    after: int | None = None,
    before: int | None = None,
    page_size: int | None = None,
) -> CasePage:
    """One page of the cases the user may see, newest first, paged by id (keyset)."""
    size = page_size or settings.CASE_LIST_PAGE_SIZE
    region_id = region_of_asd(user)
    if region_id is None:
        return CasePage(rows=[])
    today = timezone.localdate()
    values = list(
        _page_values(
            size=size,
            risk_open=filters.risk_open,
            today=today,
            region_id=region_id,
            after=after,
            before=before,
            **_filter_arguments(filters, user=user, today=today),
        )
    )
    if before is not None:
        has_newer = len(values) > size
        rows = _case_rows(list(reversed(values[:size])))
        return CasePage(
            rows=rows,
            next_after=rows[-1].pk if rows else None,
            prev_before=rows[0].pk if rows and has_newer else None,
        )
    has_older = len(values) > size
    rows = _case_rows(values[:size])
    return CasePage(
        rows=rows,
        next_after=rows[-1].pk if rows and has_older else None,
        prev_before=rows[0].pk if rows and after is not None else None,
    )
