"""Fiscal years, splits, commitments, payments, forecasts, transfers and the year end."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets.models import (
    CostBasis,
    EntryKind,
    ReserveTransferRequest,
    SplitMethod,
    TransferStatus,
)
from budgets.selectors import budget_figures, split_proposals, year_overview
from budgets.services import (
    budget_split_decide,
    commitment_book,
    commitment_end,
    fiscal_year_create,
    payment_book,
    reserve_transfer_decide,
    reserve_transfer_request,
    year_end_carry_over,
)
from cases.models import CaseKind
from tests.budgets.factories import fiscal_year_build, project_book, region_budget, reserve_budget
from tests.factories import PopulationFactory, SozialraumFactory, UserFactory

D = datetime.date


def figures_of(budget):
    return budget_figures([budget])[budget.pk]


# Fiscal year and split ------------------------------------------------------------------------


def test_vorwegabzug_is_taken_off_first_and_the_rest_split(users, fiscal_year):
    assert fiscal_year.reserve.resolved_amount == Decimal("100000.00")
    assert figures_of(reserve_budget(fiscal_year)).allocated == Decimal("100000.00")
    assert figures_of(region_budget(fiscal_year, "N")).allocated == Decimal("500000.00")
    assert figures_of(region_budget(fiscal_year, "S")).allocated == Decimal("400000.00")
    split = fiscal_year.splits.get()
    assert split.decided_by == users["planner"]
    assert split.rationale == "Gleichmäßig für den Test."


def test_split_that_does_not_add_up_is_refused_with_the_figures(users, team_nord, team_sued):
    fiscal_year = fiscal_year_create(
        year=2026, total=Decimal("1000"), reserve_amount=Decimal("100"), by=users["planner"]
    )
    with pytest.raises(ValidationError, match=r"899,99.*900,00"):
        budget_split_decide(
            fiscal_year=fiscal_year,
            method=SplitMethod.MANUAL,
            shares={team_nord.region: Decimal("450"), team_sued.region: Decimal("449.99")},
            rationale="Versuch",
            by=users["planner"],
        )


def test_a_new_split_books_only_the_differences(users, fiscal_year, team_nord, team_sued):
    budget_split_decide(
        fiscal_year=fiscal_year,
        method=SplitMethod.MANUAL,
        shares={team_nord.region: Decimal("450000"), team_sued.region: Decimal("450000")},
        rationale="Süd hat mehr Fälle als gedacht",
        by=users["planner"],
    )
    nord = region_budget(fiscal_year, "N")
    assert figures_of(nord).allocated == Decimal("450000.00")
    assert list(nord.entries.values_list("amount", flat=True)) == [
        Decimal("500000.00"),
        Decimal("-50000.00"),
    ]
    assert fiscal_year.splits.count() == 2


def test_only_planners_open_fiscal_years(users, team_nord):
    with pytest.raises(ValidationError):
        fiscal_year_create(
            year=2026, total=Decimal("1000"), reserve_amount=Decimal("0"), by=users["team_lead"]
        )


def test_split_proposal_by_minors_sums_exactly(users, team_nord, team_sued):
    north = SozialraumFactory(region=team_nord.region, asd_team=team_nord)
    south = SozialraumFactory(region=team_sued.region, asd_team=team_sued)
    PopulationFactory(sozialraum=north, year=2026, minors=3841)
    PopulationFactory(sozialraum=south, year=2026, minors=4470)
    PopulationFactory(sozialraum=south, year=2020, minors=1)  # an older year is ignored
    fiscal_year = fiscal_year_create(
        year=2026, total=Decimal("1000000"), reserve_percentage=Decimal("10"), by=users["planner"]
    )
    proposal = split_proposals(fiscal_year, Decimal("900000.00"))[0]
    assert proposal.method == SplitMethod.MINORS
    assert proposal.basis == {team_nord.region: 3841, team_sued.region: 4470}
    assert sum(proposal.shares.values()) == Decimal("900000.00")
    # 900,000 × 3841 / 8311 = 415,942.726…
    assert proposal.shares[team_nord.region] == Decimal("415942.73")


def test_split_proposal_by_last_years_use(users, team_nord, team_sued):
    last_year = fiscal_year_build(planner=users["planner"], year=2025)
    project_book(budget=region_budget(last_year, "N"), by=users["caseworker"], amount="3000")
    project_book(budget=region_budget(last_year, "S"), by=users["caseworker_sued"], amount="1000")
    fiscal_year = fiscal_year_create(
        year=2026, total=Decimal("100000"), reserve_amount=Decimal("0.01"), by=users["planner"]
    )
    proposal = split_proposals(fiscal_year, Decimal("99999.99"))[1]
    assert proposal.method == SplitMethod.LAST_YEAR
    assert proposal.shares == {
        team_nord.region: Decimal("74999.99"),
        team_sued.region: Decimal("25000.00"),
    }


# Commitments ----------------------------------------------------------------------------------


def test_commitment_binds_money_and_lowers_the_free_budget(users, budget_nord):
    project_book(budget=budget_nord, by=users["caseworker"], amount="12500.50")
    figures = figures_of(budget_nord)
    assert figures.committed == Decimal("12500.50")
    assert figures.free == Decimal("487499.50")


def test_commitment_over_the_free_budget_is_refused_with_a_clear_message(users, budget_nord):
    project_book(budget=budget_nord, by=users["caseworker"], amount="499000")
    with pytest.raises(ValidationError) as refused:
        project_book(budget=budget_nord, by=users["caseworker"], amount="1000.01")
    message = refused.value.messages[0]
    assert "1.000,01\xa0€" in message and "1.000,00\xa0€" in message
    assert "Teamleitung" in message
    assert figures_of(budget_nord).committed == Decimal("499000.00")


def test_team_lead_of_the_region_overrides_with_a_reason(users, budget_nord):
    project_book(budget=budget_nord, by=users["caseworker"], amount="499000")
    with pytest.raises(ValidationError, match="begründen"):
        project_book(budget=budget_nord, by=users["team_lead"], amount="5000")
    commitment = project_book(
        budget=budget_nord,
        by=users["team_lead"],
        amount="5000",
        override_reason="Kinderschutz, keine Alternative",
    )
    assert commitment.override_by == users["team_lead"]
    assert commitment.override_reason == "Kinderschutz, keine Alternative"
    assert figures_of(budget_nord).free == Decimal("-4000.00")
    assert "Kinderschutz" in commitment.entries.get().reason


def test_team_lead_of_another_region_cannot_book_here(users, budget_sued):
    with pytest.raises(ValidationError, match="eigenen Region"):
        project_book(budget=budget_sued, by=users["team_lead"], amount="10")


def test_commitment_cost_from_hours_is_cut_at_year_end(users, budget_nord):
    commitment = commitment_book(
        budget=budget_nord,
        kind=CaseKind.INDIVIDUAL,
        title="Erziehungsbeistand",
        by=users["caseworker"],
        basis=CostBasis.HOURS,
        hours_per_week=Decimal("5"),
        hourly_rate=Decimal("70"),
        starts_on=D(2026, 12, 18),
        ends_on=D(2027, 6, 30),
    )
    assert commitment.entries.get().amount == Decimal("700.00")


def test_payments_never_exceed_the_commitment(users, budget_nord):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="1000")
    payment_book(
        commitment=commitment, amount=Decimal("600"), paid_on=D(2026, 4, 1), by=users["caseworker"]
    )
    with pytest.raises(ValidationError, match=r"\(400,00"):
        payment_book(
            commitment=commitment,
            amount=Decimal("400.01"),
            paid_on=D(2026, 5, 1),
            by=users["caseworker"],
        )
    payment_book(
        commitment=commitment, amount=Decimal("400"), paid_on=D(2026, 5, 1), by=users["caseworker"]
    )
    assert figures_of(budget_nord).paid == Decimal("1000.00")


def test_ending_a_project_early_releases_what_was_not_paid(users, budget_nord):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="1000")
    payment_book(
        commitment=commitment, amount=Decimal("250"), paid_on=D(2026, 4, 1), by=users["caseworker"]
    )
    release = commitment_end(
        commitment=commitment, ended_on=D(2026, 6, 30), by=users["caseworker"], reason="Ende"
    )
    assert release.kind == EntryKind.RELEASE
    assert release.amount == Decimal("-750.00")
    assert figures_of(budget_nord).committed == Decimal("250.00")


# Forecasts ------------------------------------------------------------------------------------


def test_forecast_projects_a_running_help_to_31_december(users, budget_nord):
    # A placement approved for January to June, still running: the forecast counts it to year end.
    commitment_book(
        budget=budget_nord,
        kind=CaseKind.INDIVIDUAL,
        title="Heimunterbringung",
        by=users["caseworker"],
        basis=CostBasis.MONTHLY,
        monthly_cost=Decimal("4000"),
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 6, 30),
    )
    figures = figures_of(budget_nord)
    assert figures.committed == Decimal("24000.00")
    assert figures.forecast == Decimal("48000.00")


def test_forecast_of_a_help_running_past_year_end_stops_at_31_december(users, budget_nord):
    commitment_book(
        budget=budget_nord,
        kind=CaseKind.INDIVIDUAL,
        title="Erziehungsbeistand",
        by=users["caseworker"],
        basis=CostBasis.MONTHLY,
        monthly_cost=Decimal("1000"),
        starts_on=D(2026, 10, 1),
        ends_on=D(2027, 9, 30),
    )
    figures = figures_of(budget_nord)
    assert figures.committed == Decimal("3000.00")
    assert figures.forecast == Decimal("3000.00")


def test_forecast_of_a_help_ended_early_drops_the_rest(users, budget_nord):
    commitment = commitment_book(
        budget=budget_nord,
        kind=CaseKind.INDIVIDUAL,
        title="SPFH",
        by=users["caseworker"],
        basis=CostBasis.MONTHLY,
        monthly_cost=Decimal("3100"),
        starts_on=D(2026, 1, 1),
        ends_on=None,
    )
    assert figures_of(budget_nord).forecast == Decimal("37200.00")
    commitment_end(
        commitment=commitment, ended_on=D(2026, 3, 15), by=users["caseworker"], reason="Umzug"
    )
    figures = figures_of(budget_nord)
    # January, February and 15/31 of March
    assert figures.committed == Decimal("7700.00")
    assert figures.forecast == Decimal("7700.00")


def test_overview_warns_when_the_forecast_exceeds_the_budget(users):
    fiscal_year = fiscal_year_build(
        planner=users["planner"],
        total=Decimal("20000"),
        reserve_percentage=Decimal("0"),
        shares={"N": Decimal("10000"), "S": Decimal("10000")},
    )
    commitment_book(
        budget=region_budget(fiscal_year, "N"),
        kind=CaseKind.INDIVIDUAL,
        title="Unterbringung",
        by=users["caseworker"],
        basis=CostBasis.MONTHLY,
        monthly_cost=Decimal("2000"),
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 3, 31),
    )
    overview = year_overview(users["planner"], fiscal_year)
    assert overview.warnings == [
        "Budget Region Nord: Die Hochrechnung zum 31.12. übersteigt das Budget."
    ]


# Four eyes ------------------------------------------------------------------------------------


def test_transfer_is_booked_only_on_approval_by_a_second_person(users, fiscal_year, budget_nord):
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("20000"), justification="Zuzug", by=users["team_lead"]
    )
    assert figures_of(budget_nord).allocated == Decimal("500000.00")
    reserve_transfer_decide(request=request, approve=True, by=users["planner"], note="ok")
    request.refresh_from_db()
    assert request.status == TransferStatus.APPROVED
    assert request.decided_by == users["planner"]
    assert figures_of(budget_nord).allocated == Decimal("520000.00")
    assert figures_of(reserve_budget(fiscal_year)).allocated == Decimal("80000.00")


def test_requester_can_never_approve_their_own_request(users, budget_nord, team_nord):
    # Even someone holding both powers: an administrator who is not the requester decides.
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("100"), justification="x", by=users["team_lead"]
    )
    users["team_lead"].role = "planner"  # promoted while the request is open
    users["team_lead"].asd_team = None
    with pytest.raises(ValidationError, match="Vier-Augen"):
        reserve_transfer_decide(request=request, approve=True, by=users["team_lead"])
    request.refresh_from_db()
    assert request.status == TransferStatus.PENDING
    assert not request.entries.exists()


def test_rejected_transfer_books_nothing(users, budget_nord):
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("100"), justification="x", by=users["team_lead"]
    )
    reserve_transfer_decide(request=request, approve=False, by=users["admin"], note="Nein")
    assert figures_of(budget_nord).allocated == Decimal("500000.00")
    # A decision is revisited only by a new decision with a reason (issue 24).
    with pytest.raises(ValidationError, match="neu entscheiden"):
        reserve_transfer_decide(request=request, approve=True, by=users["planner"])


def test_caseworkers_cannot_request_and_team_leads_cannot_decide(users, budget_nord):
    with pytest.raises(ValidationError):
        reserve_transfer_request(
            budget=budget_nord, amount=Decimal("1"), justification="x", by=users["caseworker"]
        )
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("1"), justification="x", by=users["team_lead"]
    )
    other_lead = UserFactory(role="team_lead", asd_team=users["team_lead"].asd_team)
    with pytest.raises(ValidationError, match="Jugendhilfeplanung"):
        reserve_transfer_decide(request=request, approve=True, by=other_lead)


def test_approval_beyond_the_reserve_is_refused(users, budget_nord):
    # Asked for within what was free; another request approved first leaves too little.
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("60000"), justification="x", by=users["team_lead"]
    )
    first = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("50000"), justification="y", by=users["team_lead"]
    )
    reserve_transfer_decide(request=first, approve=True, by=users["planner"])
    with pytest.raises(ValidationError, match="nur noch"):
        reserve_transfer_decide(request=request, approve=True, by=users["planner"])


# Year end -------------------------------------------------------------------------------------


def test_money_left_is_carried_into_next_years_sozialraum_projects(users, fiscal_year):
    nord = region_budget(fiscal_year, "N")
    project_book(budget=nord, by=users["caseworker"], amount="490000")
    next_year = fiscal_year_build(planner=users["planner"], year=2027)
    out, into = year_end_carry_over(budget=nord, by=users["planner"], reason="Jahresabschluss")
    assert out.amount == Decimal("-10000.00") and into.amount == Decimal("10000.00")
    assert figures_of(nord).free == Decimal("0.00")
    following = region_budget(next_year, "N")
    assert figures_of(following).carried_in == Decimal("10000.00")
    assert figures_of(following).allocated == Decimal("460000.00")
    with pytest.raises(ValidationError, match="kein Geld"):
        year_end_carry_over(budget=nord, by=users["planner"])


def test_database_refuses_a_self_decided_request(users, budget_nord):
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("1"), justification="x", by=users["team_lead"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReserveTransferRequest.objects.filter(pk=request.pk).update(
            status=TransferStatus.APPROVED, decided_by=users["team_lead"]
        )
