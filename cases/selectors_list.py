"""The case list: one page of the cases a caseworker may see, filtered, newest first.

Pages go by key (the case id), not by OFFSET, so a deep page costs what the first does. The list
is the page caseworkers open most, so its queries are compiled once per process for each
combination of filters (`PreparedQuery`, sozialraum/prepared.py): the filters set decide the
query's shape, the values typed or chosen only fill its parameters. Building and compiling the
filtered querysets anew cost Django more than PostgreSQL needed to answer them (issue 8).
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Assignment, Case, CaseKind, CaseStatus, Help, HelpType, Person, PersonRole
from cases.names import name_part_key
from cases.permissions import case_scope
from cases.selectors import open_reviews_overdue, open_risks
from sozialraum.figures_cache import cached_figures
from sozialraum.links import id_url_pattern
from sozialraum.models import Provider, Region
from sozialraum.prepared import PreparedQuery
from sozialraum.selectors import sozialraeume_valid_on

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
    url: str
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


def _filter_arguments(f: CaseFilter, *, user: Any, today: datetime.date) -> dict[str, Any]:
    """The filter as arguments of the page query: which of them are given decides the query's
    shape (see `_filtered`), their values only fill its parameters."""
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


@functools.lru_cache(maxsize=16)
def _page_query(size: int, risk_open: bool) -> PreparedQuery:
    """The page query for a page size and the one filter that has no value of its own; the
    common combinations of the other filters stay compiled (a search's number of words is a
    shape of its own, too)."""

    def page_values(**arguments: Any) -> QuerySet:
        return _page_values(size=size, risk_open=risk_open, **arguments)

    return PreparedQuery(page_values, shapes=256)


_CHILDREN = PreparedQuery(
    lambda case_ids: (
        Person.objects.filter(case_id__any=case_ids, role=PersonRole.CHILD)
        .order_by("id")
        .values_list("case_id", "first_name", "last_name")
    )
)


def _case_rows(values: list[dict[str, Any]]) -> list[CaseRow]:
    """Rows from plain values; the children's names in one more query for the whole page.

    Model instances for every case, Sozialraum, caseworker and child (about 250 a page) and a
    URL reversed per row were most of the list's Python time; plain values and one reversed
    URL pattern (sozialraum.links) do the same work for a fraction.
    """
    children: dict[int, list[str]] = {}
    if values:
        for case_id, first, last in _CHILDREN.run(case_ids=[v["id"] for v in values]):
            children.setdefault(case_id, []).append(f"{first} {last}")
    url = id_url_pattern("cases:detail")
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
                url=url.format(v["id"]),
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
    user: Any,
    filters: CaseFilter,
    after: int | None = None,
    before: int | None = None,
    page_size: int | None = None,
) -> CasePage:
    """One page of the cases the user may see, newest first, paged by id (keyset)."""
    size = page_size or settings.CASE_LIST_PAGE_SIZE
    scope = case_scope(user)
    if scope is None:
        return CasePage(rows=[])
    today = timezone.localdate()
    arguments = {**scope, **_filter_arguments(filters, user=user, today=today), "today": today}
    if before is not None:
        arguments["before"] = before
    elif after is not None:
        arguments["after"] = after
    values = _page_query(size, filters.risk_open).run(**arguments)
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


def case_filter_options(region_id: int, on: datetime.date) -> dict[str, list]:
    """What a caseworker of the region may filter by on a day, as (id, label) rows: their
    region, its Sozialräume valid that day, the help types and every provider. The same for
    every caseworker of the region on the day, so they are kept with the figures
    (`sozialraum.figures_cache`), whose sources include regions, Sozialräume, help types and
    providers; the filter form checks choices against them (`cases.forms.OptionField`)."""

    def build() -> dict[str, list]:
        sozialraeume = sozialraeume_valid_on(on).filter(region_id=region_id)
        return {
            "region": list(Region.objects.filter(pk=region_id).values_list("pk", "name")),
            "sozialraum": list(sozialraeume.values_list("pk", "name")),
            "help_type": [(help_type.pk, str(help_type)) for help_type in HelpType.objects.all()],
            "provider": list(Provider.objects.order_by("name").values_list("pk", "name")),
        }

    return cached_figures(("case-filter", region_id, on.isoformat()), build)
