"""The full demo town: a few hundred cases over two regions and two years, with their money,
so that the committee report shows real figures and still protects its small counts.

Built once for the module (the build is the slow part) and rolled back at its end; the rest of
the suite builds the town without its everyday cases (`DEMO_TOWN_CASES = 0`, tests/conftest.py).
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from budgets.models import Commitment, FiscalYear, Payment
from budgets.reconciliation import budgets_reconcile
from cases.models import (
    Assignment,
    Case,
    CaseKind,
    CaseStatus,
    Help,
    HelpPlanReview,
    Note,
    RiskAssessment,
    RiskLevel,
)
from cases.review_due import cases_review_due_wrong
from cases.selectors import open_reviews_overdue
from cases.selectors_protection import risks_open_for
from network.models import Conference
from reports.selectors import COUNT, report_content
from sozialraum.models import Region, Sozialraum, User

TOWN_CASES = 320  # the demo's default (SOZIALRAUM_DEMO_TOWN_CASES)
# Each test in its own savepoint inside the module's build (and the test database set up even
# when this module runs alone).
pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def town(django_db_setup, django_db_blocker):
    """The demo town as `manage.py demo` builds it; its row counts after the first build."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_TOWN_CASES=TOWN_CASES):
                call_command("demo_town", stdout=StringIO())
            yield _counts()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def test_town_has_a_few_hundred_cases_over_two_regions_and_two_years(town, today):
    cases = Case.objects.all()
    assert 300 <= cases.count() <= 450
    for region in Region.objects.all():
        assert cases.filter(region=region).count() >= 100, region.name
    oldest = cases.order_by("opened_on").values_list("opened_on", flat=True).first()
    assert today - datetime.timedelta(days=730) <= oldest <= today - datetime.timedelta(days=600)
    assert cases.filter(opened_on__gte=today - datetime.timedelta(days=30)).exists()
    assert not cases.filter(opened_on__gt=today).exists()
    assert set(cases.values_list("kind", flat=True)) == set(CaseKind.values)
    individual = cases.filter(kind=CaseKind.INDIVIDUAL)
    assert set(individual.values_list("status", flat=True)) == set(CaseStatus.values)
    closed = individual.filter(status=CaseStatus.CLOSED)
    assert closed.filter(closed_on__lt=today - datetime.timedelta(days=180)).exists()
    assert not closed.filter(closed_on__lt=F("opened_on")).exists()
    assert len(set(closed.values_list("end_reason", flat=True))) >= 4


def test_town_cases_carry_their_work(town, today):
    individual = Case.objects.filter(kind=CaseKind.INDIVIDUAL)
    assert individual.filter(persons__isnull=False).distinct().count() == individual.count()
    assert individual.exclude(will="").count() > individual.count() * 0.9
    assert individual.filter(resources__partner__isnull=False).exists()
    overdue = open_reviews_overdue(today)
    assert overdue.exists()
    assert HelpPlanReview.objects.filter(held_on__isnull=False).count() > overdue.count() * 5
    # Each case's next review day, as the review services the town was built with keep it.
    assert not cases_review_due_wrong().exists()
    assert Case.objects.filter(review_due_on__lt=today).count() == (
        overdue.values("case").distinct().count()
    )
    levels = set(RiskAssessment.objects.values_list("level", flat=True))
    assert {RiskLevel.NONE, RiskLevel.LATENT, RiskLevel.ACUTE} <= levels
    assert Note.objects.filter(assignment__isnull=False).exists()
    assert Conference.objects.filter(
        date__lt=today - datetime.timedelta(days=365), sozialraum__isnull=False
    ).exists()


def test_town_money_is_booked_in_both_years_and_reconciles(town, today):
    years = [today.year - 1, today.year]
    assert list(FiscalYear.objects.order_by("year").values_list("year", flat=True)) == years
    assert Assignment.objects.count() > 150
    for year in years:
        bound = Commitment.objects.filter(budget__fiscal_year__year=year)
        assert bound.filter(assignment__isnull=False).count() > 100
        assert bound.filter(kind=CaseKind.CROSS_CASE).exists()
        assert bound.filter(kind=CaseKind.CASE_INDEPENDENT).exists()
        assert Payment.objects.filter(commitment__budget__fiscal_year__year=year).count() > 100
    assert budgets_reconcile() == []


def test_committee_report_shows_most_figures_and_protects_the_small_ones(town, today):
    content = report_content(
        start=datetime.date(today.year, 1, 1),
        end=today,
        regions=list(Region.objects.all()),
        title="Bericht",
        office="Jugendamt Lindenau",
        data_as_of=timezone.now(),
    ).content
    shown = hidden = 0
    for section in content["sections"]:
        for table in section["tables"]:
            kinds = [column["kind"] for column in table["columns"]]
            for row in table["rows"] + table["foot"]:
                for kind, value in zip(kinds, row, strict=True):
                    if kind == COUNT:
                        shown += isinstance(value, int)
                        hidden += not isinstance(value, int)
    assert hidden >= 1  # a rare help type, a small § 8a count: still protected
    assert shown >= 4 * hidden, (shown, hidden)
    (fallzahlen,) = [s for s in content["sections"] if s["key"] == "fallzahlen"]
    intakes = [row[3] for row in fallzahlen["tables"][0]["rows"]]
    assert all(isinstance(n, int) and n >= 10 for n in intakes), intakes


def test_second_run_adds_nothing(town):
    call_command("demo_town", stdout=StringIO())
    assert _counts() == town


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("planung", "planning_home"),
        ("planung", "sozialraum"),
        ("planung", "region"),
        ("planung", "budgets"),
        ("leitung-nord", "asd_home"),
        ("leitung-nord", "cases:list"),
        ("asd-sued", "asd_home"),
        ("traeger-a", "provider_home"),
    ],
)
def test_pages_show_the_town(town, client, username, page):
    """The start pages, the Sozialraum and region pages and the budget overview open on the
    full town, and the area pages show its figures."""
    client.force_login(User.objects.get(username=username))
    sozialraum = Sozialraum.objects.get(code="S2", valid_until__isnull=True)
    urls = {
        "sozialraum": reverse("overview:sozialraum_detail", args=[sozialraum.pk]),
        "region": reverse("overview:region_detail", args=[sozialraum.region_id]),
        "budgets": reverse("budgets:overview"),
    }
    response = client.get(urls.get(page) or reverse(page))
    assert response.status_code == 200
    if page == "sozialraum":
        running = Help.objects.filter(
            sozialraum=sozialraum, ended_on__isnull=True, starts_on__lte=timezone.localdate()
        ).count()
        assert running >= 20
        assert str(running) in response.content.decode()


def test_demo_accounts_keep_their_showcase_alerts(town):
    """The town's everyday cases are steered by further colleagues and their § 8a results are
    acknowledged with a Schutzplan: the start pages still show the README's few alerts."""
    for username in ("asd-nord", "leitung-nord"):
        alerts = risks_open_for(User.objects.get(username=username))
        assert 1 <= alerts.count() <= 5, username
        assert alerts.filter(level=RiskLevel.ACUTE).count() == 1
    # The showcase cases (README) stay with the demo accounts; the town's are others'.
    assert Case.objects.filter(steering_caseworker__is_demo_account=True).count() <= 25
