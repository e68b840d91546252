"""The case list and the case record cost the same number of queries for 1 row as for 50,
and the list pages by key without gaps or repeats."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, NoteKind, PeerConsultation
from sozialraum.services import deputy_set
from tests.cases.factories import (
    AssignmentFactory,
    CaseFactory,
    HelpFactory,
    HelpPlanReviewFactory,
    NoteFactory,
    PersonFactory,
    RiskAssessmentFactory,
)
from tests.conftest import page_query_limit
from tests.factories import ProviderFactory, UserFactory, ids_from


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _listed_case(users, sozialraum_nord):
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.RUNNING,
    )
    PersonFactory(case=case)
    PersonFactory(case=case)
    review = HelpPlanReviewFactory(help_plan__help__case=case)  # due 1 July 2026
    RiskAssessmentFactory(case=case)
    return review


def test_case_list_query_count_is_the_same_for_1_and_50_rows(client, users, sozialraum_nord):
    client.force_login(users["caseworker"])
    url = reverse("cases:list")
    _listed_case(users, sozialraum_nord)
    one, html = _queries(client, url)
    assert html.count('href="/faelle/') - html.count('href="/faelle/neu') >= 1
    for _ in range(49):
        _listed_case(users, sozialraum_nord)
    fifty, html = _queries(client, url)
    assert "(50 auf dieser Seite)" in html
    assert fifty == one <= page_query_limit()
    # A stored search with filters does not add queries per row either.
    search = client.post(url, {"q": "Beispiel", "review_overdue": "on", "risk_open": "on"})
    assert search.status_code == 302
    with CaptureQueriesContext(connection) as captured:
        html = client.get(search.url).content.decode()
    assert "(50 auf dieser Seite)" in html
    assert len(captured) <= one + 1


def _rich_case(users, sozialraum_nord, provider, n):
    """A case with n of everything the record page shows."""
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.RUNNING,
    )
    case.providers.add(provider)
    for _ in range(n):
        person = PersonFactory(case=case)
        HelpFactory(case=case)  # decided, no Träger commissioned yet
        assignment = AssignmentFactory(help__case=case, provider=provider)
        HelpPlanReviewFactory(help_plan__help=assignment.help, case=case)
        goal = case.goals.create(text="Ziel")
        goal.steps.create(text="Schritt", owner="family")
        case.resources.create(kind="social", description="Oma")
        NoteFactory(case=case, author=users["team_lead"])
        progress = NoteFactory(
            case=case,
            kind=NoteKind.PROGRESS,
            internal=False,
            assignment=assignment,
            author=users["provider_staff"],
        )
        progress.persons_present.add(person)
        RiskAssessmentFactory(case=case, assignment=assignment, assessed_by=users["provider_staff"])
        consultation = PeerConsultation.objects.create(
            case=case,
            held_on=case.opened_on,
            question="?",
            ideas="!",
            next_step=".",
            recorded_by=users["caseworker"],
        )
        consultation.participants.add(users["caseworker"], users["team_lead"])
    return case


@pytest.mark.parametrize("user", ["caseworker", "team_lead"])
def test_case_detail_query_count_is_the_same_for_1_and_many_items(
    client, users, sozialraum_nord, user
):
    provider = ProviderFactory()
    small = _rich_case(users, sozialraum_nord, provider, 1)
    large = _rich_case(users, sozialraum_nord, provider, 12)
    client.force_login(users[user])
    one, _ = _queries(client, reverse("cases:detail", args=[small.pk]))
    many, html = _queries(client, reverse("cases:detail", args=[large.pk]))
    assert html.count("Gespräch erfassen") == 12
    assert html.count("Noch kein Träger beauftragt.") == 12
    assert html.count("· Anwesend: ") == 12
    assert many == one
    assert many <= page_query_limit()


def test_assignment_detail_query_count_does_not_grow_with_notes(client, users, sozialraum_nord):
    provider = users["provider_staff"].provider
    small = _rich_case(users, sozialraum_nord, provider, 1)
    large = _rich_case(users, sozialraum_nord, provider, 12)
    client.force_login(users["provider_staff"])
    one, _ = _queries(
        client, reverse("cases:assignment_detail", args=[small.assignments.first().pk])
    )
    many, _ = _queries(
        client, reverse("cases:assignment_detail", args=[large.assignments.first().pk])
    )
    assert many == one


# --- keyset paging -----------------------------------------------------------------------------

CASE_LINK = re.compile(r'href="/faelle/(\d+)/"')


def _page(client, **params):
    html = client.get(reverse("cases:list"), params).content.decode()
    ids = [int(pk) for pk in CASE_LINK.findall(html)]
    older = re.search(r"nach=(\d+)", html)
    newer = re.search(r"vor=(\d+)", html)
    return ids, (int(older[1]) if older else None), (int(newer[1]) if newer else None)


def test_paging_after_and_before_covers_120_cases_without_gaps_or_repeats(
    client, users, sozialraum_nord
):
    cases = CaseFactory.create_batch(
        120, sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"]
    )
    client.force_login(users["caseworker"])

    pages = []
    ids, older, newer = _page(client)
    assert newer is None  # the first page has no newer cases
    pages.append(ids)
    while older is not None:
        ids, older, newer = _page(client, nach=older)
        assert newer == ids[0]
        pages.append(ids)

    assert [len(p) for p in pages] == [50, 50, 20]
    seen = [pk for page in pages for pk in page]
    assert seen == sorted((c.pk for c in cases), reverse=True)

    # Back from the last page: the same pages again, in the same order.
    ids, older, newer = _page(client, vor=pages[2][0])
    assert ids == pages[1]
    assert older == pages[1][-1]
    ids, older, newer = _page(client, vor=newer)
    assert ids == pages[0]
    assert newer is None


def test_paging_keeps_the_filters(client, users, sozialraum_nord, settings):
    settings.CASE_LIST_PAGE_SIZE = 2
    ids_from(Case, 1000)  # a link to "nach=1000" must not read "nach=1.000"
    CaseFactory.create_batch(
        3, sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"], status="running"
    )
    intake_cases = CaseFactory.create_batch(
        3, sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"]
    )
    client.force_login(users["caseworker"])
    first = client.get(reverse("cases:list"), {"status": "intake"}).content.decode()
    assert "status=intake&amp;nach=" in first
    older = int(re.search(r"nach=(\d+)", first)[1])
    ids, _, _ = _page(client, status="intake", nach=older)
    assert ids == [intake_cases[0].pk]


def test_paging_by_help_type_lists_each_case_once_newest_first_both_ways(
    client, users, sozialraum_nord, sozialraum_sued, spfh, heimerziehung, settings
):
    """The help type filter reads its page from the helps: a case with two helps of the type
    is one row, a case with another type or of another region is none, and the pages forward
    and back hold the same cases in the same order."""
    settings.CASE_LIST_PAGE_SIZE = 2
    caseworker = users["caseworker"]
    wanted = []
    for number in range(5):
        case = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=caseworker)
        HelpFactory(case=case, help_type=spfh)
        if number == 1:  # a second help of the same type: still one row
            HelpFactory(case=case, help_type=spfh, starts_on=datetime.date(2026, 3, 1))
        wanted.append(case.pk)
        # Between them, cases the filter must skip: another type, no help, another region.
        HelpFactory(
            case=CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=caseworker),
            help_type=heimerziehung,
            hours_per_week=None,
            monthly_cost=5000,
            placement_location="region",
        )
        CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=caseworker)
        HelpFactory(
            case=CaseFactory(
                sozialraum=sozialraum_sued, steering_caseworker=users["caseworker_sued"]
            ),
            help_type=spfh,
        )
    client.force_login(caseworker)

    pages = []
    ids, older, newer = _page(client, help_type=spfh.pk)
    assert newer is None
    pages.append(ids)
    while older is not None:
        ids, older, newer = _page(client, help_type=spfh.pk, nach=older)
        assert newer == ids[0]
        pages.append(ids)
    assert pages == [wanted[:2:-1], wanted[2:0:-1], wanted[:1]]

    ids, older, newer = _page(client, help_type=spfh.pk, vor=pages[2][0])
    assert ids == pages[1]
    ids, older, newer = _page(client, help_type=spfh.pk, vor=newer)
    assert (ids, newer) == (pages[0], None)


@pytest.mark.parametrize("viewer", ["colleague", "deputy"])
def test_case_detail_within_the_limit_for_a_colleague_and_a_deputy(
    client, users, sozialraum_nord, team_nord, viewer
):
    """Whether the viewer covers the steering caseworker is read with the case (one query),
    not asked again for the audit entry, the right to change and each correction link."""
    case = _rich_case(users, sozialraum_nord, ProviderFactory(), 3)
    if viewer == "colleague":
        user = UserFactory(role="caseworker", asd_team=team_nord)
    else:
        user = users["caseworker_sued"]
        today = timezone.localdate()
        deputy_set(
            user=users["team_lead"],
            absent=users["caseworker"],
            deputy=user,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=6),
        )
    client.force_login(user)
    count, html = _queries(client, reverse("cases:detail", args=[case.pk]))
    assert count <= page_query_limit()
    assert ("Sie bearbeiten diesen Fall in Vertretung" in html) == (viewer == "deputy")
    assert ("Vermerk schreiben" in html) == (viewer == "deputy")
