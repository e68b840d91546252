"""Trägerbudget: planners allocate from the region budget, the provider books its spending, one
recorded decision at year end carries the rest into named Sozialraum projects (issue 20, part 5)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import (
    Commitment,
    EntryKind,
    LedgerEntry,
    ProviderBudgetBooking,
    ProviderBudgetCarryOver,
    SpendingKind,
)
from budgets.provider_budgets import (
    ProjectPlan,
    provider_budget_allocate,
    provider_budget_book,
    provider_budget_booking_reverse,
    provider_budget_carry_over,
    provider_budget_overview,
    provider_budgets_visible_to,
)
from budgets.selectors import budget_figures
from tests.budgets.factories import fiscal_year_build, region_budget
from tests.cases import conftest as case_fixtures
from tests.factories import RegionProviderFactory, SozialraumFactory

pytestmark = pytest.mark.django_db
D = datetime.date
# The case tests' fixtures: a case in Nord with a help and Träger A's assignment.
case_nord = case_fixtures.case_nord
case_in_clarification = case_fixtures.case_in_clarification
help_nord = case_fixtures.help_nord
assignment_a = case_fixtures.assignment_a


@pytest.fixture(autouse=True)
def _in_2026():
    with time_machine.travel(datetime.datetime(2026, 7, 1, 9, 0), tick=False):
        yield


@pytest.fixture
def lead_a(team_nord, provider_a):
    return RegionProviderFactory(
        region=team_nord.region, provider=provider_a, is_lead=True, valid_from=D(2021, 1, 1)
    )


@pytest.fixture
def allocation(users, budget_nord, lead_a, provider_a):
    return provider_budget_allocate(
        budget=budget_nord,
        provider=provider_a,
        amount=Decimal("120000"),
        rationale="Schwerpunktträger Nord: Einzelfall, Gruppen und Sozialraum aus einer Hand.",
        by=users["planner"],
    )


@pytest.fixture
def provider_budget(allocation):
    return allocation.provider_budget


def book(pb, user, amount, kind=SpendingKind.GROUP, **extra):
    return provider_budget_book(
        provider_budget=pb,
        kind=kind,
        amount=Decimal(amount),
        spent_on=extra.pop("spent_on", D(2026, 6, 15)),
        text=extra.pop("text", "Mädchengruppe Juni"),
        by=user,
        **extra,
    )


def test_allocation_binds_money_in_the_region_budget(users, budget_nord, provider_budget):
    figures = budget_figures([budget_nord])[budget_nord.pk]
    assert figures.committed == Decimal("120000.00")
    commitment = provider_budget.allocations.get().commitment
    assert commitment.provider == provider_budget.provider
    entry = LedgerEntry.objects.get(commitment=commitment)
    assert entry.kind == EntryKind.COMMITMENT and entry.amount == Decimal("120000.00")
    assert "aus einer Hand" in provider_budget.allocations.get().rationale


def test_allocation_refused_for_a_provider_that_is_not_lead(users, budget_nord, provider_b):
    with pytest.raises(ValidationError, match="kein Schwerpunktträger"):
        provider_budget_allocate(
            budget=budget_nord,
            provider=provider_b,
            amount=Decimal("1000"),
            rationale="Test",
            by=users["planner"],
        )


def test_allocation_refused_above_the_free_budget_and_without_rationale(
    users, budget_nord, lead_a, provider_a
):
    with pytest.raises(ValidationError, match=r"sind nur 500\.000,00"):
        provider_budget_allocate(
            budget=budget_nord,
            provider=provider_a,
            amount=Decimal("600000"),
            rationale="Zu viel",
            by=users["planner"],
        )
    with pytest.raises(ValidationError, match="begründen"):
        provider_budget_allocate(
            budget=budget_nord, provider=provider_a, amount=Decimal("1"), rationale=" ",
            by=users["planner"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Jugendhilfeplanung"):
        provider_budget_allocate(
            budget=budget_nord, provider=provider_a, amount=Decimal("1"), rationale="x",
            by=users["team_lead"],
        )  # fmt: skip


def test_provider_books_spending_and_both_sides_see_the_same_overview(
    users, provider_budget, assignment_a, client
):
    staff = users["provider_staff"]
    book(provider_budget, staff, "30000", kind=SpendingKind.GROUP)
    book(provider_budget, staff, "12000", kind=SpendingKind.SOZIALRAUM, text="Stadtteilfest")
    book(
        provider_budget, staff, "6000", kind=SpendingKind.STAFF, hours=Decimal("100"),
        text="Koordination",
    )  # fmt: skip
    book(
        provider_budget, staff, "12000", kind=SpendingKind.INDIVIDUAL, assignment=assignment_a,
        text="Zusätzliche Stunden",
    )  # fmt: skip
    overview = provider_budget_overview(provider_budget)
    assert overview.allocated == Decimal("120000.00")
    assert overview.spent == Decimal("60000.00")
    by_kind = {row.kind: row for row in overview.rows}
    assert by_kind[SpendingKind.STAFF].hours == Decimal("100")
    assert by_kind[SpendingKind.GROUP].spent == Decimal("30000.00")
    # 1 July: 182 of 365 days gone; 60,000 at that pace is about 120,330 by 31 December.
    assert Decimal("120000") < overview.forecast < Decimal("121000")
    # The planner's page and the provider's page show the same figures.
    for role in ("planner", "provider_staff"):
        client.force_login(users[role])
        page = client.get(reverse("budgets:provider_budget_detail", args=[provider_budget.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "60.000,00" in html and "120.000,00" in html


def test_bad_bookings_are_refused_with_german_messages(users, provider_budget, assignment_a):
    staff = users["provider_staff"]
    with pytest.raises(ValidationError) as refused:
        book(provider_budget, staff, "-5", spent_on=D(2025, 12, 1), text="")
    errors = refused.value.message_dict
    assert "größer als null" in errors["amount"][0]
    assert "Haushaltsjahr 2026" in errors["spent_on"][0]
    assert "beschreiben" in errors["text"][0]
    with pytest.raises(ValidationError) as refused:
        book(provider_budget, staff, "100", kind=SpendingKind.INDIVIDUAL)
    assert "Falldurchführung" in refused.value.message_dict["assignment"][0]
    with pytest.raises(ValidationError) as refused:
        book(provider_budget, staff, "100", kind=SpendingKind.STAFF)
    assert "Stunden" in refused.value.message_dict["hours"][0]
    with pytest.raises(ValidationError, match="nur der Träger selbst"):
        book(provider_budget, users["provider_staff_b"], "100")
    with pytest.raises(ValidationError, match="nur der Träger selbst"):
        book(provider_budget, users["planner"], "100")
    assert not ProviderBudgetBooking.objects.exists()


def test_someone_elses_assignment_is_refused(users, provider_budget, help_nord, provider_b):
    from tests.cases.factories import AssignmentFactory

    foreign = AssignmentFactory(help=help_nord, provider=provider_b)
    with pytest.raises(ValidationError) as refused:
        book(
            provider_budget, users["provider_staff"], "100", kind=SpendingKind.INDIVIDUAL,
            assignment=foreign,
        )  # fmt: skip
    assert "gehört nicht zu Ihrem Träger" in refused.value.message_dict["assignment"][0]


def test_spending_over_the_allocation_needs_a_reason(users, provider_budget):
    staff = users["provider_staff"]
    book(provider_budget, staff, "119000")
    with pytest.raises(ValidationError) as refused:
        book(provider_budget, staff, "2000")
    assert "begründen Sie die Überschreitung" in refused.value.message_dict["over_reason"][0]
    booking = book(provider_budget, staff, "2000", over_reason="Mehr Familien im Quartier.")
    assert booking.over_reason == "Mehr Familien im Quartier."
    assert provider_budget_overview(provider_budget).over_allocation


def test_a_booking_is_reversed_by_its_opposite(users, provider_budget):
    staff = users["provider_staff"]
    wrong = book(provider_budget, staff, "5000", kind=SpendingKind.STAFF, hours=Decimal("80"))
    provider_budget_booking_reverse(booking=wrong, by=staff, reason="Falsche Kostenstelle")
    overview = provider_budget_overview(provider_budget)
    assert overview.spent == Decimal("0.00")
    assert {r.kind: r for r in overview.rows}[SpendingKind.STAFF].hours == Decimal("0")
    assert ProviderBudgetBooking.objects.count() == 2  # the wrong one stays
    with pytest.raises(ValidationError, match="bereits storniert"):
        provider_budget_booking_reverse(booking=wrong, by=staff, reason="Nochmal")
    with pytest.raises(Exception, match="nicht geändert"):
        wrong.save()


def test_year_end_carries_the_rest_into_two_projects(
    users, fiscal_year, budget_nord, provider_budget, team_nord, sozialraum_nord
):
    book(provider_budget, users["provider_staff"], "100000")
    next_year = fiscal_year_build(planner=users["planner"], year=2027)
    budget_2027 = region_budget(next_year, "N")
    before_2027 = budget_figures([budget_2027])[budget_2027.pk]
    second = SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N2")
    decision = provider_budget_carry_over(
        provider_budget=provider_budget,
        projects=[
            ProjectPlan("Elterncafé Lindenweg", sozialraum_nord, Decimal("12000")),
            ProjectPlan("Jugendtreff Bahnhof", second, Decimal("8000")),
        ],
        rationale="Abgestimmt in der Sozialraumkonferenz vom 3. Dezember.",
        by=users["planner"],
    )
    assert decision.amount == Decimal("20000.00")
    projects = list(decision.projects.order_by("pk"))
    assert [p.name for p in projects] == ["Elterncafé Lindenweg", "Jugendtreff Bahnhof"]
    for project in projects:
        commitment = Commitment.objects.get(pk=project.commitment_id)
        assert commitment.budget == budget_2027 and commitment.is_project_carry_over
        assert commitment.cached_bound == project.amount
    # 2026: the allocation shrinks to what was spent; 20,000 leave as carry-over.
    figures_2026 = budget_figures([budget_nord])[budget_nord.pk]
    assert figures_2026.committed == Decimal("100000.00")
    assert figures_2026.allocated == Decimal("480000.00")
    # 2027: 20,000 came in and are bound in the two projects.
    after_2027 = budget_figures([budget_2027])[budget_2027.pk]
    assert after_2027.carried_in == Decimal("20000.00")
    assert after_2027.committed - before_2027.committed == Decimal("20000.00")
    assert after_2027.free == before_2027.free
    # The provider's overview still shows what was allocated.
    assert provider_budget_overview(provider_budget).allocated == Decimal("120000.00")
    # A second decision is refused, and the closed budget takes no more bookings.
    with pytest.raises(ValidationError, match="schon entschieden"):
        provider_budget_carry_over(
            provider_budget=provider_budget,
            projects=[ProjectPlan("Noch eins", sozialraum_nord, Decimal("1"))],
            rationale="Doppelt",
            by=users["planner"],
        )
    with pytest.raises(ValidationError, match="abgeschlossen"):
        book(provider_budget, users["provider_staff"], "10")
    assert ProviderBudgetCarryOver.objects.count() == 1


def test_carry_over_refuses_more_than_is_left_and_foreign_sozialraum(
    users, provider_budget, sozialraum_nord, team_sued
):
    sozialraum_sued = SozialraumFactory(region=team_sued.region, asd_team=team_sued, code="S9")
    fiscal_year_build(planner=users["planner"], year=2027)
    book(provider_budget, users["provider_staff"], "110000")
    with pytest.raises(ValidationError, match=r"übrig sind nur 10\.000,00"):
        provider_budget_carry_over(
            provider_budget=provider_budget,
            projects=[ProjectPlan("Zu groß", sozialraum_nord, Decimal("10000.01"))],
            rationale="x",
            by=users["planner"],
        )
    with pytest.raises(ValidationError, match="nicht in der Region"):
        provider_budget_carry_over(
            provider_budget=provider_budget,
            projects=[ProjectPlan("Falsch", sozialraum_sued, Decimal("100"))],
            rationale="x",
            by=users["planner"],
        )
    assert not ProviderBudgetCarryOver.objects.exists()


def test_provider_sees_only_its_own_provider_budget(users, provider_budget, client):
    assert list(provider_budgets_visible_to(users["provider_staff"])) == [provider_budget]
    assert not provider_budgets_visible_to(users["provider_staff_b"]).exists()
    assert not provider_budgets_visible_to(users["caseworker_sued"]).exists()
    assert provider_budgets_visible_to(users["caseworker"]).exists()
    client.force_login(users["provider_staff_b"])
    url = reverse("budgets:provider_budget_detail", args=[provider_budget.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("budgets:provider_budget_list")).status_code == 200
    client.force_login(users["provider_staff"])
    assert client.get(url).status_code == 200
    assert client.get(reverse("budgets:provider_budget_allocate")).status_code == 403
    carry = reverse("budgets:provider_budget_carry_over", args=[provider_budget.pk])
    assert client.get(carry).status_code == 403


def test_committee_report_shows_the_provider_budget_and_the_projects(
    users, provider_budget, sozialraum_nord
):
    from reports.selectors import report_content
    from sozialraum.models import Region

    fiscal_year_build(planner=users["planner"], year=2027)
    book(provider_budget, users["provider_staff"], "100000")
    provider_budget_carry_over(
        provider_budget=provider_budget,
        projects=[ProjectPlan("Elterncafé Lindenweg", sozialraum_nord, Decimal("20000"))],
        rationale="Sozialraumkonferenz",
        by=users["planner"],
    )
    content = report_content(
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
        regions=list(Region.objects.all()),
        title="Bericht",
        office="Jugendamt",
        data_as_of=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC),
    ).content
    section = next(s for s in content["sections"] if s["key"] == "traegerbudgets")
    budgets_table, projects_table = section["tables"]
    assert budgets_table["rows"][0][:4] == [
        provider_budget.holder_name, "Nord", "120000.00", "100000.00",
    ]  # fmt: skip
    assert projects_table["rows"] == [
        ["2026", provider_budget.holder_name, "Elterncafé Lindenweg", sozialraum_nord.name,
         "20000.00"],
    ]  # fmt: skip
