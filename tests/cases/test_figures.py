"""Case figures per Sozialraum: against counts worked out by hand from the fixtures, against a
plain-Python recount of a random data set, and with a constant number of queries."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.figures import (
    case_figures_by_sozialraum,
    case_figures_sum,
    percent,
    populations_latest,
)
from cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    Help,
    PlacementLocation,
    RiskAssessment,
    RiskLevel,
)
from cases.services import case_transition, help_end
from tests.cases.conftest import decide, intake
from tests.cases.factories import CaseFactory, HelpFactory, ProjectFactory, help_type
from tests.cases.protection import assess
from tests.factories import PopulationFactory, SozialraumFactory

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _assessed_on(assessment: RiskAssessment, on: datetime.date) -> None:
    # assessed_at is set by the database on recording; the test moves it into the period.
    noon = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    RiskAssessment.objects.filter(pk=assessment.pk).update(assessed_at=noon)


def _in_clarification(user, case: Case) -> Case:
    return case_transition(user=user, case=case, to_status=CaseStatus.CLARIFICATION)


@pytest.fixture
def town(users, sozialraum_nord, sozialraum_sued, spfh, heimerziehung):
    """Nord N1 and Süd S1 with cases before, in and after 2025, worked the way the ASD does."""
    nord, sued = users["caseworker"], users["caseworker_sued"]

    # N1: taken in during 2025, SPFH from March, still running.
    a = _in_clarification(
        nord, intake(user=nord, sozialraum=sozialraum_nord, opened_on=day("2025-03-01"))
    )
    decide(user=nord, case=a, help_type=spfh, starts_on=day("2025-03-10"))
    # N1: taken in 2024, placed in its own Sozialraum in Dec 2024, placement ended Feb 2025.
    b = _in_clarification(
        nord, intake(user=nord, sozialraum=sozialraum_nord, opened_on=day("2024-11-01"))
    )
    placement = decide(
        user=nord,
        case=b,
        help_type=heimerziehung,
        starts_on=day("2024-12-01"),
        hours_per_week=None,
        monthly_cost=Decimal("5200"),
        placement_location=PlacementLocation.SOZIALRAUM,
    )
    help_end(user=nord, help_=placement, ended_on=day("2025-02-01"))
    # N1: taken in June 2025, foster care outside the town from mid-June.
    c = _in_clarification(
        nord, intake(user=nord, sozialraum=sozialraum_nord, opened_on=day("2025-06-01"))
    )
    decide(
        user=nord,
        case=c,
        help_type=help_type("33"),
        starts_on=day("2025-06-15"),
        hours_per_week=None,
        monthly_cost=Decimal("1300"),
        placement_location=PlacementLocation.OUTSIDE,
    )
    # N1: a help that ended before 2025 and a case taken in after it: neither counts.
    d = _in_clarification(
        nord, intake(user=nord, sozialraum=sozialraum_nord, opened_on=day("2023-01-10"))
    )
    old = decide(user=nord, case=d, help_type=spfh, starts_on=day("2023-02-01"))
    help_end(user=nord, help_=old, ended_on=day("2024-06-30"))
    e = _in_clarification(
        nord, intake(user=nord, sozialraum=sozialraum_nord, opened_on=day("2026-01-05"))
    )
    decide(user=nord, case=e, help_type=spfh, starts_on=day("2026-01-10"))
    # § 8a in N1: two acute and one "none" in 2025, one latent in 2024.
    for level, on in [
        (RiskLevel.ACUTE, "2025-04-01"),
        (RiskLevel.ACUTE, "2025-12-31"),
        (RiskLevel.NONE, "2025-01-01"),
        (RiskLevel.LATENT, "2024-12-31"),
    ]:
        _assessed_on(assess(user=nord, case=a, level=level, facts="Anhaltspunkte"), day(on))
    # Projects in N1: cross-case since 2024 and running; case-independent Apr–May 2025;
    # cross-case that closed on the last day of 2024.
    ProjectFactory(sozialraum=sozialraum_nord, opened_on=day("2024-05-01"))
    ProjectFactory(
        sozialraum=sozialraum_nord,
        kind=CaseKind.CASE_INDEPENDENT,
        opened_on=day("2025-04-01"),
        status=CaseStatus.CLOSED,
        closed_on=day("2025-05-01"),
    )
    ProjectFactory(
        sozialraum=sozialraum_nord,
        opened_on=day("2024-01-01"),
        status=CaseStatus.CLOSED,
        closed_on=day("2024-12-31"),
    )

    # S1: one intake on the last day of 2025 with an ambulant help starting then.
    f = _in_clarification(
        sued,
        intake(
            user=sued, sozialraum=sozialraum_sued, opened_on=day("2025-12-31"), street="Birkenallee"
        ),
    )
    decide(user=sued, case=f, help_type=spfh, starts_on=day("2025-12-31"))
    return sozialraum_nord, sozialraum_sued


def test_figures_per_sozialraum_match_the_hand_count(town):
    nord, sued = town
    figures = case_figures_by_sozialraum(START, END)

    n1 = figures[nord.pk]
    assert n1.intakes == 2  # March and June; Nov 2024 and Jan 2026 are outside
    assert n1.helps_running == 3  # SPFH, the placement ended in Feb, foster care
    assert n1.helps_started == 2
    assert n1.helps_ended == 1
    assert [(t.code, t.count) for t in n1.running_by_help_type] == [
        ("31", 1),
        ("33", 1),
        ("34", 1),
    ]
    assert n1.running_by_help_type[0].label == "§ 31 SGB VIII Sozialpädagogische Familienhilfe"
    assert (n1.placements_running, n1.placements_near_home) == (2, 1)
    assert n1.near_home_percent == Decimal("50.0")
    assert n1.risk_assessments == {"none": 1, "help_needed": 0, "latent": 0, "acute": 2}
    assert n1.risk_assessments_total == 3
    assert (n1.cross_case_running, n1.cross_case_opened) == (1, 0)
    assert (n1.case_independent_running, n1.case_independent_opened) == (1, 1)

    s1 = figures[sued.pk]
    assert (s1.intakes, s1.helps_running, s1.helps_started, s1.helps_ended) == (1, 1, 1, 0)
    assert s1.placements_running == 0
    assert s1.near_home_percent is None
    assert s1.risk_assessments_total == 0


def test_a_single_day_counts_what_runs_on_it(town):
    nord, _ = town
    n1 = case_figures_by_sozialraum(day("2025-01-15"), day("2025-01-15"), [nord.pk])[nord.pk]
    # Only the placement runs on 15 Jan 2025 (SPFH and foster care start later).
    assert n1.helps_running == 1
    assert n1.placements_near_home == 1
    assert n1.intakes == 0
    assert n1.cross_case_running == 1


def test_named_sozialraeume_only_and_zeros_for_quiet_ones(town, team_nord):
    nord, _ = town
    quiet = SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N2")
    figures = case_figures_by_sozialraum(START, END, [nord.pk, quiet.pk])
    assert set(figures) == {nord.pk, quiet.pk}
    assert figures[quiet.pk].helps_running == 0
    assert figures[quiet.pk].risk_assessments == {
        "none": 0,
        "help_needed": 0,
        "latent": 0,
        "acute": 0,
    }


@pytest.mark.usefixtures("town")
def test_a_former_sozialraum_with_figures_still_appears(team_nord):
    redrawn = SozialraumFactory(
        region=team_nord.region,
        asd_team=team_nord,
        code="N9",
        valid_from=day("2010-01-01"),
        valid_until=day("2019-12-31"),
    )
    HelpFactory(
        case__sozialraum=redrawn, starts_on=day("2019-06-01"), planned_end_on=day("2026-06-01")
    )
    figures = case_figures_by_sozialraum(START, END)
    assert figures[redrawn.pk].helps_running == 1


def test_sum_adds_up_the_sozialraeume(town):
    figures = case_figures_by_sozialraum(START, END)
    total = case_figures_sum(figures.values())
    assert total.intakes == 3
    assert total.helps_running == 4
    assert [(t.code, t.count) for t in total.running_by_help_type] == [
        ("31", 2),
        ("33", 1),
        ("34", 1),
    ]
    assert total.risk_assessments["acute"] == 2


def test_period_must_not_end_before_it_starts(db):
    with pytest.raises(ValueError):
        case_figures_by_sozialraum(END, START)


def test_percent_and_per_1000_minors(db):
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(0, 0) is None
    population = PopulationFactory(minors=2400)
    assert population.per_1000_minors(6) == Decimal("2.5")


def test_populations_latest_takes_the_year_or_the_one_before(db):
    a = PopulationFactory(year=2024, minors=100)
    PopulationFactory(sozialraum=a.sozialraum, year=2025, minors=120)
    PopulationFactory(sozialraum=a.sozialraum, year=2027, minors=999)
    b = PopulationFactory(year=2026, minors=50)
    latest = populations_latest([a.sozialraum_id, b.sozialraum_id], 2025)
    assert latest[a.sozialraum_id].minors == 120
    assert b.sozialraum_id not in latest


def _random_town(count: int, seed: int) -> list:
    """Cases and helps at random dates around 2025 in three Sozialräume (factories, for volume)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    places = [SozialraumFactory() for _ in range(3)]
    types = [help_type(code) for code in ("31", "33", "34", "30")]
    for _ in range(count):
        opened = day("2024-01-01") + datetime.timedelta(days=rng.randrange(900))
        kind = rng.choice(
            [CaseKind.INDIVIDUAL] * 3 + [CaseKind.CROSS_CASE, CaseKind.CASE_INDEPENDENT]
        )
        closed = (
            opened + datetime.timedelta(days=rng.randrange(400)) if rng.random() < 0.4 else None
        )
        case = (CaseFactory if kind == CaseKind.INDIVIDUAL else ProjectFactory)(
            sozialraum=rng.choice(places),
            kind=kind,
            opened_on=opened,
            status=CaseStatus.CLOSED if closed else CaseStatus.RUNNING,
            closed_on=closed,
        )
        if kind != CaseKind.INDIVIDUAL:
            continue
        kind_of_help = rng.choice(types)
        starts = opened + datetime.timedelta(days=rng.randrange(60))
        HelpFactory(
            case=case,
            help_type=kind_of_help,
            starts_on=starts,
            planned_end_on=starts + datetime.timedelta(days=365),
            ended_on=starts + datetime.timedelta(days=rng.randrange(300))
            if rng.random() < 0.5
            else None,
            hours_per_week=None if kind_of_help.is_placement else Decimal("4"),
            monthly_cost=Decimal("4000") if kind_of_help.is_placement else None,
            placement_location=rng.choice(PlacementLocation.values)
            if kind_of_help.is_placement
            else "",
        )
        if rng.random() < 0.3:
            assessment = RiskAssessment.objects.create(
                case=case,
                level=rng.choice(RiskLevel.values),
                facts="x",
                assessed_by=case.created_by,
                concluded_at=timezone.now(),
            )
            _assessed_on(assessment, opened + datetime.timedelta(days=rng.randrange(200)))
    return places


def _recount(places, start, end) -> dict:
    """The same figures, counted one object at a time in Python."""

    def touches(begin, finish):
        return begin <= end and (finish is None or finish >= start)

    result = {}
    for place in places:
        cases = list(Case.objects.filter(sozialraum=place))
        helps = list(Help.objects.filter(case__sozialraum=place).select_related("help_type"))
        running = [h for h in helps if touches(h.starts_on, h.ended_on)]
        placements = [h for h in running if h.help_type.is_placement]
        by_type: dict[str, int] = {}
        for h in running:
            by_type[h.help_type.code] = by_type.get(h.help_type.code, 0) + 1
        risks = {level: 0 for level in RiskLevel.values}
        for r in RiskAssessment.objects.filter(case__sozialraum=place):
            if start <= timezone.localtime(r.assessed_at).date() <= end:
                risks[r.level] += 1
        result[place.pk] = {
            "intakes": sum(
                c.kind == CaseKind.INDIVIDUAL and start <= c.opened_on <= end for c in cases
            ),
            "helps_running": len(running),
            "helps_started": sum(start <= h.starts_on <= end for h in helps),
            "helps_ended": sum(
                h.ended_on is not None and start <= h.ended_on <= end for h in helps
            ),
            "by_type": by_type,
            "placements_running": len(placements),
            "placements_near_home": sum(
                h.placement_location in ("sozialraum", "region") for h in placements
            ),
            "risks": risks,
            "cross_case_running": sum(
                c.kind == CaseKind.CROSS_CASE and touches(c.opened_on, c.closed_on) for c in cases
            ),
            "case_independent_opened": sum(
                c.kind == CaseKind.CASE_INDEPENDENT and start <= c.opened_on <= end for c in cases
            ),
        }
    return result


def test_random_town_matches_a_recount_object_by_object(db):
    places = _random_town(150, seed=8)
    figures = case_figures_by_sozialraum(START, END, [p.pk for p in places])
    expected = _recount(places, START, END)
    for place in places:
        got, want = figures[place.pk], expected[place.pk]
        assert {t.code: t.count for t in got.running_by_help_type} == want["by_type"]
        assert got.risk_assessments == want["risks"]
        for name in (
            "intakes",
            "helps_running",
            "helps_started",
            "helps_ended",
            "placements_running",
            "placements_near_home",
            "cross_case_running",
            "case_independent_opened",
        ):
            assert getattr(got, name) == want[name], name
    # The random data exercises every figure, so the comparison above is not trivially 0 == 0.
    total = case_figures_sum(figures.values())
    assert total.helps_ended and total.placements_near_home and total.risk_assessments_total


@pytest.mark.parametrize("size", [10, 80])
def test_query_count_does_not_grow_with_the_data(db, django_assert_num_queries, size):
    _random_town(size, seed=size)
    with django_assert_num_queries(4):
        case_figures_by_sozialraum(START, END)
    ids = list(Case.objects.values_list("sozialraum_id", flat=True).distinct())
    with django_assert_num_queries(3):
        case_figures_by_sozialraum(START, END, ids)


def test_a_decided_help_counts_in_the_sozialraum_its_case_was_taken_in(users, sozialraum_nord):
    """The figures read the help's copy of its case's Sozialraum (Help.sozialraum)."""
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.CLARIFICATION,
        opened_on=START,  # a help starts no earlier than its case
    )
    help_ = decide(
        user=users["caseworker"],
        case=case,
        help_type=help_type("31"),
        starts_on=START,
        planned_end_on=END,
    )
    help_.refresh_from_db()
    assert help_.sozialraum_id == sozialraum_nord.pk
    figures = case_figures_by_sozialraum(START, END, [sozialraum_nord.pk])
    assert figures[sozialraum_nord.pk].helps_running == 1
