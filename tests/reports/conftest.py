"""A reporting year (2025) in the small town (N1, N2 in Nord; S1, S2 in Süd; 2,000 minors each).

Worked the way the office works it (intake, decision, § 8a through the services; budgets through
the budget services), with figures chosen so that every rule of the report shows:

- intakes in 2025: N1 4, N2 2, S1 7, S2 0 → N2 is printed "< 3" and, so that it cannot be worked
  out from the total (13), the next smallest (N1) "x"; S1 shows 7.
- each intake has a running SPFH from its intake day; two S1 cases also have a placement
  (§ 34, started in June 2025): one near home (in its region), one outside the town.
- § 8a in S1: three acute assessments in 2025.
- budgets 2025 (1,000,000 €, 10 % Vorwegabzug; Nord 500,000 €, Süd 400,000 €) with a project
  of 12,345.67 € in Nord; 2024 with a project of 10,000.00 € in Nord (change +23.5 %).
- network: four active partners in N1, a conference in N1 in May 2025.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from cases.models import CaseStatus, PlacementLocation, RiskAssessment, RiskLevel
from cases.services import case_transition
from tests.budgets.factories import fiscal_year_build, project_book, region_budget
from tests.cases.conftest import decide, heimerziehung, intake, spfh  # noqa: F401 (fixtures)
from tests.cases.factories import ProjectFactory
from tests.cases.protection import assess
from tests.network.factories import ConferenceFactory, PartnerFactory
from tests.town import town  # noqa: F401 (fixture)

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
INTAKES = {"N1": 4, "N2": 2, "S1": 7, "S2": 0}


def _case_with_help(user, sozialraum, opened_on, help_type, **help_extra):
    case = intake(user=user, sozialraum=sozialraum, opened_on=opened_on)
    case = case_transition(user=user, case=case, to_status=CaseStatus.CLARIFICATION)
    decide(user=user, case=case, help_type=help_type, starts_on=opened_on, **help_extra)
    return case


@pytest.fixture
def year_2025(users, town, spfh, heimerziehung, provider_a):  # noqa: F811
    nord, sued = users["caseworker"], users["caseworker_sued"]
    cases = {}
    for code, count in INTAKES.items():
        user = nord if code.startswith("N") else sued
        cases[code] = [
            _case_with_help(user, town[code], datetime.date(2025, 2, 1 + i), spfh)
            for i in range(count)
        ]
    placement = {"hours_per_week": None, "monthly_cost": Decimal("5200")}
    for case, location in zip(
        cases["S1"][:2], (PlacementLocation.REGION, PlacementLocation.OUTSIDE), strict=True
    ):
        decide(
            user=sued,
            case=case,
            help_type=heimerziehung,
            starts_on=datetime.date(2025, 6, 1),
            placement_location=location,
            **placement,
        )
    in_2025 = timezone.make_aware(datetime.datetime(2025, 9, 1, 12))
    for case in cases["S1"][:3]:
        assessment = assess(user=sued, case=case, level=RiskLevel.ACUTE, facts="Anhaltspunkte")
        # Recorded "now" by the database; moved into the reporting year.
        RiskAssessment.objects.filter(pk=assessment.pk).update(assessed_at=in_2025)
    with transaction.atomic():  # the case number is drawn under a row lock
        ProjectFactory(sozialraum=town["N1"], opened_on=datetime.date(2025, 2, 1))

    for year, amount in ((2024, "10000.00"), (2025, "12345.67")):
        fiscal_year = fiscal_year_build(
            planner=users["planner"],
            year=year,
            shares={"N": Decimal("500000.00"), "S": Decimal("400000.00")},
        )
        project_book(
            budget=region_budget(fiscal_year, "N"),
            by=nord,
            amount=amount,
            title="Elterncafé",
            provider=provider_a,
        )
    for _ in range(4):
        PartnerFactory(sozialraum=town["N1"])
    ConferenceFactory(sozialraum=town["N1"], date=datetime.date(2025, 5, 6))
    return town


@pytest.fixture(autouse=True)
def report_files(settings, tmp_path):
    """Report PDFs go to a fresh folder per test; returns that folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "berichte"


@pytest.fixture
def fast_pdf(monkeypatch):
    """Skip the layout (seconds per report) where a test is about the request's life, not the
    PDF; returns the list of contents that were "rendered"."""
    from reports import rendering

    rendered = []

    def fake(content, *, map_html=""):
        rendered.append(content)
        return rendering.RenderedPdf(data=b"%PDF-1.7 test report\n%%EOF\n", page_count=3)

    monkeypatch.setattr(rendering, "report_pdf", fake)
    return rendered


def request_report(user, regions=None, **extra):
    """A stored request as the view makes it (queued on commit)."""
    from reports.services import report_request
    from sozialraum.models import Region

    return report_request(
        user=user,
        period_start=extra.pop("period_start", START),
        period_end=extra.pop("period_end", END),
        regions=regions if regions is not None else Region.objects.all(),
        **extra,
    )


@pytest.fixture
def committing(transactional_db):
    """Real commits, so that `transaction.on_commit` runs when the request's transaction ends,
    as in production. The flush between such tests empties the seeded help catalogue."""
    from cases.services import help_types_ensure

    help_types_ensure()


def post_report(client, region_ids, *, title: str = "Bericht 2025", follow: bool = False):
    """Request the 2025 report through the page, as a planner does."""
    from django.urls import reverse

    return client.post(
        reverse("reports:create"),
        {
            "title": title,
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "regions": sorted(set(region_ids)),
        },
        follow=follow,
    )
