"""Commissioning a provider binds the help's cost in the region budget; ending it releases the rest.

The figures are computed here by hand (days / 7 × hours × rate, months pro rata by days), not
through the app's calculation functions.
"""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from budgets.commissioning import Commissioned, assignment_commission, case_transition, help_end
from budgets.models import Commitment, CostBasis, EntryKind, LedgerEntry, SplitMethod
from budgets.reconciliation import budgets_reconcile
from budgets.selectors import breakdown_by_help_type, budget_figures
from budgets.services import budget_split_decide
from cases.models import Assignment, CaseStatus, EndReason, PlacementLocation
from sozialraum.models import Agreement, AgreementKind
from tests.budgets.factories import fiscal_year_build, region_budget
from tests.cases.conftest import decide, intake

START = datetime.date(2026, 3, 2)
END = datetime.date(2027, 2, 28)
RATE = Decimal("62.50")


def hours_cost(first: datetime.date, last: datetime.date, hours=Decimal(5), rate=RATE) -> Decimal:
    days = (last - first).days + 1
    return (hours * rate * days / 7).quantize(Decimal("0.01"))


def free_of(budget) -> Decimal:
    return budget_figures([budget])[budget.pk].free


def committed_of(budget) -> Decimal:
    return budget_figures([budget])[budget.pk].committed


@pytest.fixture
def decided(users, sozialraum_nord, spfh):
    """A Nord case with SPFH, 5 hours a week from 2 March 2026 for a year, decided."""
    case = intake(
        user=users["caseworker"], sozialraum=sozialraum_nord, opened_on=datetime.date(2026, 2, 2)
    )
    case = case_transition(user=users["caseworker"], case=case, to_status=CaseStatus.CLARIFICATION)
    return decide(
        user=users["caseworker"], case=case, help_type=spfh, starts_on=START, planned_end_on=END
    )


def commission_with_notices(user, help_, provider, **extra) -> Commissioned:
    return assignment_commission(
        user=user,
        help_=help_,
        provider=provider,
        starts_on=extra.pop("starts_on", help_.starts_on),
        ends_on=extra.pop("ends_on", help_.planned_end_on),
        **extra,
    )


def commission(user, help_, provider, **extra):
    return commission_with_notices(user, help_, provider, **extra).assignment


def test_commissioning_binds_hours_times_rate_up_to_year_end(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    free_before = free_of(budget_nord)

    assignment = commission(users["caseworker"], decided, provider_a)

    commitment = Commitment.objects.get(assignment=assignment)
    expected = hours_cost(START, datetime.date(2026, 12, 31))
    assert commitment.basis == CostBasis.HOURS
    assert commitment.hourly_rate == RATE
    assert commitment.kind == "individual"
    assert commitment.provider == provider_a
    assert commitment.sozialraum == decided.case.sozialraum
    assert committed_of(budget_nord) == expected
    assert free_of(budget_nord) == free_before - expected
    # Planners read the ledger but no case data: the case number, never a family name.
    assert "Beispielkind" not in commitment.title
    assert decided.case.number in commitment.title


def test_the_commission_page_says_what_was_bound(
    client, users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    client.force_login(users["caseworker"])
    url = reverse("budgets:commission", args=[decided.case.pk, decided.pk])
    response = client.post(
        url,
        {"provider": provider_a.pk, "starts_on": "02.03.2026", "ends_on": "28.02.2027"},
        follow=True,
    )
    expected = hours_cost(START, datetime.date(2026, 12, 31))
    german = f"{expected:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert f"Bewilligt: {german}" in response.content.decode()


def test_a_regional_rate_wins_over_the_general_one(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a, team_nord
):
    Agreement.objects.create(
        provider=provider_a,
        region=team_nord.region,
        kind=AgreementKind.FEE,
        title="Entgeltvereinbarung Nord",
        hourly_rate=Decimal("70.00"),
        valid_from=datetime.date(2026, 1, 1),
    )
    assignment = commission(users["caseworker"], decided, provider_a)
    assert assignment.commitments.get().hourly_rate == Decimal("70.00")


def test_a_placement_binds_the_monthly_cost_pro_rata(
    users, budget_nord, sozialraum_nord, heimerziehung, provider_a, provider_a_in_nord
):
    case = intake(
        user=users["caseworker"], sozialraum=sozialraum_nord, opened_on=datetime.date(2026, 6, 1)
    )
    case = case_transition(user=users["caseworker"], case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(
        user=users["caseworker"],
        case=case,
        help_type=heimerziehung,
        starts_on=datetime.date(2026, 6, 16),
        planned_end_on=datetime.date(2028, 6, 15),
        hours_per_week=None,
        monthly_cost=Decimal("4800.00"),
        placement_location=PlacementLocation.REGION,
    )

    commission(users["caseworker"], help_, provider_a)

    # 15 of June's 30 days, then July to December: 6.5 months.
    assert committed_of(budget_nord) == Decimal("31200.00")


def test_without_an_agreed_rate_commissioning_is_refused_and_nothing_is_kept(
    client, users, budget_nord, decided, provider_a, provider_a_in_nord
):
    client.force_login(users["caseworker"])
    url = reverse("budgets:commission", args=[decided.case.pk, decided.pk])
    response = client.post(
        url,
        {
            "provider": provider_a.pk,
            "starts_on": "02.03.2026",
            "ends_on": "28.02.2027",
            "instructions": "Abendroutine aufbauen",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "keine Fachleistungsstunde vereinbart" in page
    assert "Abendroutine aufbauen" in page  # what was typed stays
    assert not Assignment.objects.exists()
    assert not Commitment.objects.exists()
    decided.case.refresh_from_db()
    assert decided.case.status == CaseStatus.HELP_DECIDED


def test_a_caseworker_cannot_bind_more_than_is_free(
    client, users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    decided.hours_per_week = Decimal("40")  # a year of full-time help: more than the budget?
    decided.save()
    agreement_a.hourly_rate = Decimal("9000.00")
    agreement_a.save()
    client.force_login(users["caseworker"])
    url = reverse("budgets:commission", args=[decided.case.pk, decided.pk])
    response = client.post(
        url, {"provider": provider_a.pk, "starts_on": "02.03.2026", "ends_on": "28.02.2027"}
    )
    assert response.status_code == 422
    assert "übersteigt das freie Budget" in response.content.decode()
    assert not Assignment.objects.exists()
    assert committed_of(budget_nord) == Decimal("0.00")


def test_a_team_lead_may_exceed_the_free_budget_with_a_reason(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    decided.hours_per_week = Decimal("40")
    decided.save()
    agreement_a.hourly_rate = Decimal("9000.00")
    agreement_a.save()

    assignment = commission(
        users["team_lead"], decided, provider_a, override_reason="Kinderschutz, keine Alternative"
    )

    assert assignment.commitments.get().override_by == users["team_lead"]
    assert free_of(budget_nord) < 0


def test_without_a_budget_for_the_year_the_help_starts_and_the_caseworker_is_told(
    users, team_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    commissioned = commission_with_notices(users["caseworker"], decided, provider_a)
    assert commissioned.assignment.pk
    assert not Commitment.objects.exists()
    assert any("kein Budget der Region eingerichtet" in n for n in commissioned.notices)


def test_ending_the_help_early_releases_what_it_no_longer_needs(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    commission(users["caseworker"], decided, provider_a)
    free_before = free_of(budget_nord)
    ended_on = datetime.date(2026, 6, 30)

    help_end(user=users["caseworker"], help_=decided, ended_on=ended_on)

    assert committed_of(budget_nord) == hours_cost(START, ended_on)
    released = hours_cost(START, datetime.date(2026, 12, 31)) - hours_cost(START, ended_on)
    assert free_of(budget_nord) == free_before + released
    release = LedgerEntry.objects.get(kind=EntryKind.RELEASE)
    assert release.amount == -released
    assert budgets_reconcile() == []


def test_a_help_ending_after_the_year_releases_nothing(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    commission(users["caseworker"], decided, provider_a)
    committed = committed_of(budget_nord)

    # An end is recorded once it has happened (not dated after today).
    with time_machine.travel(datetime.date(2027, 1, 20), tick=False):
        help_end(user=users["caseworker"], help_=decided, ended_on=datetime.date(2027, 1, 15))

    assert committed_of(budget_nord) == committed
    assert not LedgerEntry.objects.filter(kind=EntryKind.RELEASE).exists()


def test_a_help_ended_before_the_provider_began_is_cancelled_whole(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    assignment = commission(
        users["caseworker"], decided, provider_a, starts_on=datetime.date(2026, 5, 4)
    )

    help_end(user=users["caseworker"], help_=decided, ended_on=datetime.date(2026, 4, 1))

    assert assignment.commitments.get().is_cancelled
    assert committed_of(budget_nord) == Decimal("0.00")
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1


def test_closing_the_case_releases_the_rest_of_its_running_help(
    users, decided, provider_a, provider_a_in_nord, agreement_a, team_nord, team_sued
):
    # Closing ends the help today, so this test's year is today's.
    today = datetime.date.today()
    fiscal_year = fiscal_year_build(
        planner=users["planner"],
        year=today.year,
        shares={"N": Decimal("500000.00"), "S": Decimal("400000.00")},
    )
    budget = region_budget(fiscal_year, "N")
    start = datetime.date(today.year, 1, 1)
    decided.starts_on = start
    decided.save()
    commission(users["caseworker"], decided, provider_a, ends_on=datetime.date(today.year, 12, 31))

    case_transition(
        user=users["caseworker"],
        case=decided.case,
        to_status=CaseStatus.CLOSED,
        end_reason=EndReason.GOALS_REACHED,
    )

    assert committed_of(budget) == hours_cost(start, today)


def test_the_overview_breaks_committed_money_down_by_help_type(
    client,
    users,
    budget_nord,
    decided,
    provider_a,
    provider_a_in_nord,
    agreement_a,
    sozialraum_nord,
    heimerziehung,
):
    commission(users["caseworker"], decided, provider_a)
    rows = {row.label: row for row in breakdown_by_help_type(type(budget_nord).objects.all())}
    spfh_row = rows[decided.help_type.name]
    assert spfh_row.committed == hours_cost(START, datetime.date(2026, 12, 31))

    client.force_login(users["planner"])
    page = client.get(reverse("budgets:overview") + "?jahr=2026").content.decode()
    assert "Nach Hilfeart" in page
    assert decided.help_type.name in page


def test_the_help_type_export_matches_the_overview(
    client, users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    commission(users["caseworker"], decided, provider_a)
    client.force_login(users["planner"])
    response = client.get(reverse("budgets:export", args=[2026, "hilfearten", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    expected = hours_cost(START, datetime.date(2026, 12, 31))
    assert Decimal(str(rows[decided.help_type.name])) == expected


# --- helps that run over the turn of the year -------------------------------------------------


def test_a_help_into_next_year_binds_there_too_when_that_year_is_open(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    budget_2027 = region_budget(fiscal_year_build(planner=users["planner"], year=2027), "N")

    commissioned = commission_with_notices(users["caseworker"], decided, provider_a)

    by_year = {c.budget.fiscal_year.year: c for c in commissioned.assignment.commitments.all()}
    assert sorted(by_year) == [2026, 2027]
    assert by_year[2027].starts_on == datetime.date(2027, 1, 1)
    assert committed_of(budget_2027) == hours_cost(datetime.date(2027, 1, 1), END)
    assert "2027" in " ".join(commissioned.notices)


def test_opening_a_year_binds_the_helps_running_into_it_at_that_years_rate(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    assignment = commission(users["caseworker"], decided, provider_a)
    Agreement.objects.create(
        provider=provider_a,
        kind=AgreementKind.FEE,
        title="Entgeltvereinbarung 2027",
        hourly_rate=Decimal("65.00"),
        valid_from=datetime.date(2027, 1, 1),
    )

    fiscal_year = fiscal_year_build(planner=users["planner"], year=2027)

    budget_2027 = region_budget(fiscal_year, "N")
    commitment = assignment.commitments.get(budget=budget_2027)
    assert commitment.hourly_rate == Decimal("65.00")
    assert committed_of(budget_2027) == hours_cost(
        datetime.date(2027, 1, 1), END, rate=Decimal("65.00")
    )
    # A second split decision of the year binds nothing twice.
    share = {s.region: s.amount for s in fiscal_year.splits.first().shares.all()}
    budget_split_decide(
        fiscal_year=fiscal_year,
        method=SplitMethod.MANUAL,
        shares=share,
        rationale="Bestätigt.",
        by=users["planner"],
    )
    assert assignment.commitments.count() == 2
    assert budgets_reconcile() == []


def test_a_help_commissioned_before_its_year_had_a_budget_is_bound_when_the_year_opens(
    users, team_nord, team_sued, decided, provider_a, provider_a_in_nord, agreement_a
):
    assignment = commission(users["caseworker"], decided, provider_a)
    assert not assignment.commitments.exists()

    budget = region_budget(fiscal_year_build(planner=users["planner"], year=2026), "N")

    assert committed_of(budget) == hours_cost(START, datetime.date(2026, 12, 31))


def test_ending_in_the_first_year_cancels_the_next_years_share(
    users, budget_nord, decided, provider_a, provider_a_in_nord, agreement_a
):
    budget_2027 = region_budget(fiscal_year_build(planner=users["planner"], year=2027), "N")
    commission(users["caseworker"], decided, provider_a)

    help_end(user=users["caseworker"], help_=decided, ended_on=datetime.date(2026, 9, 30))

    assert committed_of(budget_nord) == hours_cost(START, datetime.date(2026, 9, 30))
    assert committed_of(budget_2027) == Decimal("0.00")
    assert budgets_reconcile() == []
