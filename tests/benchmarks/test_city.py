"""The benchmark city generator stays in working order: a tiny city, consistent to the cent.

The benchmarks themselves (timings) live in benchmarks/ and are never run as tests.
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from benchmarks.city import ACCOUNTS, TEAM_SIZE, Scale, city_generate
from benchmarks.pages import MAIN_PAGES, client_for, pages_plan
from budgets.models import Budget, Commitment, Figure, LedgerEntry
from budgets.reconciliation import (
    budgets_reconcile,
    commitments_reconcile,
    place_totals_reconcile,
    totals_reconcile,
)
from cases.models import (
    Assignment,
    AssignmentStatus,
    Case,
    CaseKind,
    Help,
    HelpPlanReview,
    Person,
    PersonRole,
    RiskAssessment,
)
from cases.protection import alert_rank_of_level, risk_waits_for_team_lead
from cases.review_due import cases_review_due_wrong
from sozialraum.models import AsdTeam, Region, Role, Sozialraum, User

pytestmark = pytest.mark.django_db

SCALE = Scale.tiny()


@pytest.fixture
def city():
    return city_generate(scale=SCALE, seed=3, out=lambda _: None)


def _tiny_city_has_the_requested_size() -> None:
    assert Region.objects.count() == SCALE.regions
    assert Sozialraum.objects.count() == SCALE.regions * SCALE.sozialraeume_per_region
    assert Case.objects.count() == SCALE.cases
    assert LedgerEntry.objects.count() == SCALE.ledger_entries
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert kinds == set(CaseKind.values)


def _cached_budget_and_commitment_figures_equal_the_ledger() -> None:
    assert budgets_reconcile() == []
    assert commitments_reconcile() == []
    assert totals_reconcile() == []
    assert place_totals_reconcile() == []
    # The cases' next review day, which the review services keep and the city writes in bulk.
    assert Case.objects.filter(review_due_on__isnull=False).exists()
    assert not cases_review_due_wrong().exists()


def _no_region_binds_more_than_it_was_allocated() -> None:
    for budget in Budget.objects.all():
        assert budget.cached_allocated >= budget.cached_committed >= budget.cached_paid >= 0


def _no_commitment_pays_more_than_it_binds() -> None:
    sums = Commitment.objects.annotate(
        bound=Sum("entries__amount", filter=Q(entries__figure=Figure.COMMITTED)),
        paid=Sum("entries__amount", filter=Q(entries__figure=Figure.PAID), default=Decimal(0)),
    )
    assert sums.exists()
    for commitment in sums:
        assert commitment.paid <= commitment.bound


def _individual_commitments_belong_to_an_assignment_of_their_region_and_year() -> None:
    linked = Commitment.objects.filter(assignment__isnull=False).select_related(
        "assignment__case", "budget"
    )
    assert linked.exists()
    for commitment in linked:
        assert commitment.kind == CaseKind.INDIVIDUAL
        assert commitment.budget.region_id == commitment.assignment.case.region_id
        year = commitment.budget.fiscal_year.year
        assert commitment.assignment.starts_on.year <= year <= commitment.assignment.ends_on.year
        assert commitment.starts_on == max(
            commitment.assignment.starts_on, datetime.date(year, 1, 1)
        )
    over_the_turn_of_a_year = linked.values("assignment").annotate(years=Count("pk"))
    assert over_the_turn_of_a_year.filter(years__gt=1).exists()


def _every_individual_case_names_a_child_and_running_helps_have_one_open_review() -> None:
    individual = Case.objects.filter(kind=CaseKind.INDIVIDUAL)
    with_child = individual.filter(persons__role=PersonRole.CHILD).distinct()
    assert with_child.count() == individual.count()
    assert Person.objects.filter(role=PersonRole.CHILD, birth_date__isnull=True).count() == 0
    running = Help.objects.filter(ended_on__isnull=True).annotate(
        open_reviews=Count("help_plan__reviews", filter=Q(help_plan__reviews__held_on=None))
    )
    assert running.exists()
    assert {h.open_reviews for h in running} == {1}
    assert not HelpPlanReview.objects.filter(
        held_on__isnull=True, help_plan__help__ended_on__isnull=False
    ).exists()
    ended_helps_with_active = Assignment.objects.filter(
        status=AssignmentStatus.ACTIVE, help__ended_on__isnull=False
    )
    assert not ended_helps_with_active.exists()


def _open_risks_are_flagged_by_the_services_rule() -> None:
    """The generator writes `is_open` itself (COPY); it must say what the services' rule says."""
    by_rule = set(
        RiskAssessment.objects.filter(risk_waits_for_team_lead()).values_list("pk", flat=True)
    )
    assert by_rule
    assert set(RiskAssessment.objects.filter(is_open=True).values_list("pk", flat=True)) == by_rule
    # And `alert_rank` as the services keep it (acute first, then not yet assessed).
    wrong_rank = RiskAssessment.objects.exclude(alert_rank=alert_rank_of_level())
    assert not wrong_rank.exists()


# One city for all the checks of its data: generating it is what costs.
def test_tiny_city_is_complete_and_consistent_to_the_cent(city):
    _tiny_city_has_the_requested_size()
    _cached_budget_and_commitment_figures_equal_the_ledger()
    _no_region_binds_more_than_it_was_allocated()
    _no_commitment_pays_more_than_it_binds()
    _individual_commitments_belong_to_an_assignment_of_their_region_and_year()
    _every_individual_case_names_a_child_and_running_helps_have_one_open_review()
    _open_risks_are_flagged_by_the_services_rule()


def test_benchmark_accounts_reach_every_benchmarked_page(city):
    clients = {role: client_for(username) for role, username in ACCOUNTS.items()}
    for page in pages_plan():
        url = (page.urls or [page.url])[0]
        client = clients[page.role]
        if url.startswith("search:"):
            response = client.post("/faelle/", {"q": url.removeprefix("search:")})
            assert response.status_code == 302, page.name
            url = response["Location"]
        response = client.get(url)
        assert response.status_code == 200, page.name


def test_every_main_page_of_the_guard_rails_is_measured(city):
    """A renamed page must not drop out of the main pages whose growth the issue limits."""
    measured = {page.name for page in pages_plan() if page.main}
    assert measured == MAIN_PAGES


def test_the_staff_grows_with_the_cases_so_that_a_caseload_stays_the_same():
    """A city of ten times the cases has ten times the caseworkers, in teams of the same size
    (the growth benchmarks compare a caseworker's start page at the same caseload); the default
    city keeps its 30 caseworkers per region in two teams."""
    default, small, large = Scale(), Scale(cases=10_000), Scale(cases=1_000_000)
    assert (default.caseworkers_in_region, default.teams_in_region) == (30, 2)
    assert (small.caseworkers_in_region, small.teams_in_region) == (3, 2)
    assert (large.caseworkers_in_region, large.teams_in_region) == (300, 20)
    for scale in (default, small, large):
        per_caseworker = scale.cases / scale.regions / scale.caseworkers_in_region
        assert 300 <= per_caseworker <= 340


def test_with_more_teams_than_sozialraeume_every_team_steers_cases_of_its_region(db):
    scale = dataclasses.replace(SCALE, caseworkers_per_region=2 * TEAM_SIZE + 1)
    city_generate(scale=scale, seed=3, out=lambda _: None)
    for region in Region.objects.all():
        teams = AsdTeam.objects.filter(region=region)
        assert teams.count() == 3
        sizes = [t.members.filter(role=Role.CASEWORKER).count() for t in teams]
        assert sum(sizes) == 2 * TEAM_SIZE + 1
        assert max(sizes) <= TEAM_SIZE
    regions = Case.objects.values_list("region_id", "steering_caseworker__asd_team__region_id")
    assert all(case_region == team_region for case_region, team_region in regions)
    steering_teams = set(Case.objects.values_list("steering_caseworker__asd_team", flat=True))
    assert steering_teams == set(AsdTeam.objects.values_list("pk", flat=True))
    for sozialraum in Sozialraum.objects.all():
        # The Sozialraum's own team is among those that steer its cases.
        teams = set(sozialraum.cases.values_list("steering_caseworker__asd_team", flat=True))
        assert sozialraum.asd_team_id in teams
    assert User.objects.filter(role=Role.CASEWORKER).count() == scale.regions * (2 * TEAM_SIZE + 1)
