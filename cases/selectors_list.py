"""The case list: one page of the cases a caseworker may see, filtered, newest first.

Pages go by key (the case id), not by OFFSET, so a deep page (`nach=`) costs what the first does.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypedDict

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    Assignment,
    Case,
    CaseKind,
    CaseStatus,
    Help,
    HelpType,
    Person,
    PersonRole,
    SearchWord,
)
from cases.names import name_part_key
from cases.permissions import cases_visible_to, covered_ids, region_of_asd
from cases.selectors_protection import open_risks
from sozialraum.figures import figures_cached
from sozialraum.models import Provider, Region, User, person_name
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


class CaseRow(TypedDict):
    """One row of the case list, as the template shows it: a dict, which the template engine
    reads with one lookup per value (an object's attribute costs it a failed `row[name]`
    first); fifty rows of seven values are most of the page."""

    pk: int
    url: str
    number: str
    kind_label: str
    names: str  # a project's title, or the children's names
    sozialraum: str
    status_label: str
    steering: str
    review_overdue: bool
    risk_open: bool


@dataclass
class CasePage:
    rows: Sequence[CaseRow]
    next_after: int | None = None  # id to continue after (older cases)
    prev_before: int | None = None  # id to go back from (newer cases)


def cases_filtered(
    *,
    cases: QuerySet[Case],
    user: User,
    filters: CaseFilter,
    today: datetime.date,
    covering: list[int],
) -> QuerySet[Case]:
    """`cases` narrowed to those that match the filter, but for the help type, which
    `case_list` asks of the helps (`_page_ids`). `covering`: `covered_ids(user)`."""
    f = filters
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
    if f.provider_id is not None:
        assignments = Assignment.objects.filter(case=OuterRef("pk"), provider_id=f.provider_id)
        cases = cases.filter(Exists(assignments))
    if f.review_overdue:
        # The case's earliest open review, kept on the case by the review services.
        cases = cases.filter(review_due_on__lt=today)
    if f.risk_open:
        cases = cases.filter(Exists(open_risks().filter(case=OuterRef("pk"))))
    query = f.query.strip()
    if query and CASE_NUMBER.match(query):
        cases = cases.filter(number__istartswith=query)
    elif query:
        words = search_words_matching(user=user, filters=f, covering=covering)
        cases = cases.filter(id__in=words.values("case_id"))
    return cases


def is_name_search(filters: CaseFilter) -> bool:
    query = filters.query.strip()
    return bool(query) and not CASE_NUMBER.match(query)


def search_words_matching(
    *, user: User, filters: CaseFilter, covering: list[int]
) -> QuerySet[SearchWord]:
    """The search words (`SearchWord`) of the cases with a person's name or a project's title
    that has a word beginning with each word typed ("Mül" finds Müller and Schmidt-Müller,
    "Lea Mü" Lea Müller, "Markt" the Elterncafé am Markt).

    Of the user's region when she sees one region only (no deputyship reaching into another):
    one range of the index (region, word, case, person) per word typed. The longest word's
    words are kept if the other words are found for the same person, or the same title: sets
    PostgreSQL hashes once (asked row by row, "Lea Müller" probed 5,559 people at 1,000,000
    cases)."""
    words = sorted(name_part_key(filters.query).split(), key=len, reverse=True)
    if not words:  # only punctuation: nothing to look up, and nothing found
        return SearchWord.objects.none()
    region_id = filters.region_id
    if region_id is None and not covering:
        region_id = region_of_asd(user)
    scope = SearchWord.objects.all()
    if region_id is not None:
        scope = scope.filter(region_id=region_id)
    matches = scope.filter(word__startswith=words[0])
    for word in words[1:]:
        found = scope.filter(word__startswith=word)
        matches = matches.filter(
            Q(person_id__in=found.values("person_id"))
            | Q(person=None, case_id__in=found.filter(person=None).values("case_id"))
        )
    return matches


def case_filter_choices(*, region: Region, on: datetime.date) -> dict[str, list[tuple[int, str]]]:
    """The choices of the case list's filter for a region, as (id, name): the region, its
    Sozialräume of the day, the help types, and the providers that work or worked in the
    region, directly or in a Trägerverbund. Only those can be commissioned for its cases
    (`services.providers_commissionable`); the district's other providers would only make the
    select long (some 200 in a large city, against 20 to 40 of a region). The region is the
    user's (loaded with her); the help types, a catalogue of the law, are kept as the figures
    are (FIGURES_CACHE_SECONDS)."""
    region_id = region.pk
    in_region = (
        Q(region_roles__region_id=region_id)
        | Q(alliances__region_id=region_id)
        | Q(led_alliances__region_id=region_id)
    )
    return {
        "region": [(region.pk, region.name)],
        "sozialraum": list(
            sozialraeume_valid_on(on).filter(region_id=region_id).values_list("pk", "name")
        ),
        "help_type": figures_cached(
            "case_filter:help_types",
            lambda: [(t.pk, str(t)) for t in HelpType.objects.only("paragraph", "name")],
        ),
        "provider": list(
            Provider.objects.filter(in_region).distinct().order_by("name").values_list("pk", "name")
        ),
    }


CASE_LIST_COLUMNS = (
    "id",
    "number",
    "kind",
    "status",
    "title",
    "sozialraum__name",
    "steering_caseworker__first_name",
    "steering_caseworker__last_name",
    "steering_caseworker__username",
)


def _page_ids(
    *,
    user: User,
    filters: CaseFilter,
    today: datetime.date,
    after: int | None,
    before: int | None,
) -> QuerySet:
    """The ids of the cases of the page and the one after it, in the page's order (newest first,
    or oldest first when paging back from `before`), as a subquery to slice.

    With a help type, the walk starts from the helps of that type of the user's region, in the
    order of their case (index `help_region_type_case`), and asks each case whether it is in
    the filter. Asked the other way round, PostgreSQL walked the region's newest cases and
    looked for a help of that type in each: the newest are still in intake and have none, so
    at the 1,000,000-case city it read 8,813 cases for a page of fifty."""
    covering = covered_ids(user)
    if filters.help_type_id is None and is_name_search(filters):
        # A name search starts from the words found, in the order of their case, and asks each
        # case whether it is one the user sees in the filter: PostgreSQL sorts the words found
        # (5,559 for "Müller" in a region of the 1,000,000-case city, 1.3 ms) and stops at the
        # page. Asked from the cases' side, it walked the newest cases of every region.
        matching = cases_filtered(
            cases=cases_visible_to(user, covering=covering),
            user=user,
            filters=replace(filters, query=""),
            today=today,
            covering=covering,
        )
        words = search_words_matching(user=user, filters=filters, covering=covering).filter(
            case__in=matching.values("id")
        )
        return _by_case(words, after=after, before=before)
    if filters.help_type_id is None:
        cases = cases_filtered(
            cases=cases_visible_to(user, covering=covering),
            user=user,
            filters=filters,
            today=today,
            covering=covering,
        )
        if before is not None:
            return cases.filter(id__gt=before).order_by("id").values("id")
        if after is not None:
            cases = cases.filter(id__lt=after)
        return cases.order_by("-id").values("id")
    region_id = region_of_asd(user)
    if region_id is None:
        return Help.objects.none().values("case_id")
    # Whom the user may see, asked of the help (`Help.region`) rather than of its case: with
    # the region on the case's side too, the planner would start from the cases again.
    scope = Q(region_id=region_id)
    if covering:
        scope |= Q(case__steering_caseworker_id__in=covering)
    matching = cases_filtered(
        cases=Case.objects.all(), user=user, filters=filters, today=today, covering=covering
    )
    helps = Help.objects.filter(scope, help_type_id=filters.help_type_id).filter(
        case__in=matching.values("id")
    )
    return _by_case(helps, after=after, before=before)


def _by_case(rows: QuerySet, *, after: int | None, before: int | None) -> QuerySet:
    """The distinct case ids of `rows` (helps or search words) in the page's order: newest case
    first, older than `after`, or oldest first and newer than `before`."""
    if before is not None:
        return rows.filter(case_id__gt=before).order_by("case_id").values("case_id").distinct()
    if after is not None:
        rows = rows.filter(case_id__lt=after)
    return rows.order_by("-case_id").values("case_id").distinct()


KIND_LABELS = dict(CaseKind.choices)
STATUS_LABELS = dict(CaseStatus.choices)


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
    order = "id" if before is not None else "-id"
    # The page's ids first, from the filter's index; only those rows are then joined and checked
    # for an open § 8a (a check on the whole filtered set made PostgreSQL hash the city's).
    ids = _page_ids(user=user, filters=filters, today=today, after=after, before=before)[: size + 1]
    # Plain values, not model instances: the page is the one caseworkers open most, and
    # building fifty cases with their Sozialraum, caseworker and children was a third of it.
    found = list(
        Case.objects.filter(pk__in=ids)
        .annotate(risk_open=Exists(open_risks().filter(case=OuterRef("pk"))))
        .values(*CASE_LIST_COLUMNS, "review_due_on", "risk_open")
        .order_by(order)
    )
    more = len(found) > size
    found = found[:size]
    if before is not None:
        found.reverse()
    names: dict[int, list[str]] = {}
    children = (
        Person.objects.filter(case_id__in=[row["id"] for row in found], role=PersonRole.CHILD)
        .order_by("id")
        .values_list("case_id", "first_name", "last_name")
    )
    for case_id, first_name, last_name in children:
        names.setdefault(case_id, []).append(f"{first_name} {last_name}")
    # The detail URL of each row from the list's own (cases/urls.py: "<pk>/" below it), instead
    # of resolving the pattern fifty times; tests/cases/test_case_list.py compares it with
    # reverse("cases:detail").
    base = reverse("cases:list")
    rows = [
        CaseRow(
            pk=row["id"],
            url=f"{base}{row['id']}/",
            number=row["number"],
            kind_label=KIND_LABELS.get(row["kind"], row["kind"]),
            names=row["title"] or ", ".join(names.get(row["id"], [])),
            sozialraum=row["sozialraum__name"] or "–",
            status_label=STATUS_LABELS.get(row["status"], row["status"]),
            steering=person_name(
                row["steering_caseworker__first_name"],
                row["steering_caseworker__last_name"],
                row["steering_caseworker__username"],
            ),
            review_overdue=row["review_due_on"] is not None and row["review_due_on"] < today,
            risk_open=row["risk_open"],
        )
        for row in found
    ]
    if before is not None:
        return CasePage(
            rows=rows,
            next_after=rows[-1]["pk"] if rows else None,
            prev_before=rows[0]["pk"] if rows and more else None,
        )
    return CasePage(
        rows=rows,
        next_after=rows[-1]["pk"] if rows and more else None,
        prev_before=rows[0]["pk"] if rows and after is not None else None,
    )
