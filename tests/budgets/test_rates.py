"""Rate agreements: entered by planners from a date, never overwritten; hourly commitments take
the rate valid at their start and follow a change from its day."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgets.calculations import hours_cost
from budgets.models import Commitment, RateAgreement, ServiceUnit
from budgets.rates import rate_agreement_add, rate_on
from tests.budgets.test_assignment_commitments import START, commission, decided  # noqa: F401
from tests.budgets.test_assignment_commitments import hours_cost as by_hand

pytestmark = pytest.mark.django_db


def test_rate_change_inside_a_month_splits_the_days():
    # 7 h a week = 1 h a day: 1–15 March at 60 €, 16–31 March at 66 €.
    cost = hours_cost(
        hours_per_week=Decimal(7),
        hourly_rate=Decimal("60"),
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
        year=2026,
        rate_changes=[(datetime.date(2026, 3, 16), Decimal("66"))],
    )
    assert cost == Decimal(15 * 60 + 16 * 66)


def test_without_rate_changes_the_cost_is_as_before():
    args = dict(
        hours_per_week=Decimal(5),
        hourly_rate=Decimal("62.50"),
        starts_on=datetime.date(2026, 3, 2),
        ends_on=None,
        year=2026,
    )
    assert hours_cost(**args, rate_changes=[]) == hours_cost(**args)


def test_planner_adds_a_new_rate_from_a_date_and_the_old_one_stays(users, provider_a):
    first = rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=datetime.date(2026, 1, 1),
        rate=Decimal("60.00"),
    )
    rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=datetime.date(2026, 7, 1),
        rate=Decimal("64.00"),
    )
    first.refresh_from_db()
    assert first.rate == Decimal("60.00")
    june = rate_on(
        provider_id=provider_a.pk, unit=ServiceUnit.HOURLY, day=datetime.date(2026, 6, 30)
    )
    july = rate_on(
        provider_id=provider_a.pk, unit=ServiceUnit.HOURLY, day=datetime.date(2026, 7, 1)
    )
    assert (june.rate, july.rate) == (Decimal("60.00"), Decimal("64.00"))


def test_a_second_rate_from_the_same_day_is_refused_in_german(users, provider_a):
    kwargs = dict(
        provider=provider_a,
        unit=ServiceUnit.DAILY,
        valid_from=datetime.date(2026, 1, 1),
        rate=Decimal("150.00"),
    )
    rate_agreement_add(user=users["planner"], **kwargs)
    with pytest.raises(ValidationError) as refused:
        rate_agreement_add(user=users["planner"], **{**kwargs, "rate": Decimal("155.00")})
    assert "wird nicht geändert" in str(refused.value)
    assert RateAgreement.objects.get().rate == Decimal("150.00")


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "provider_staff"])
def test_only_planners_enter_rates(users, provider_a, role):
    with pytest.raises(ValidationError):
        rate_agreement_add(
            user=users[role],
            provider=provider_a,
            unit=ServiceUnit.HOURLY,
            valid_from=datetime.date(2026, 1, 1),
            rate=Decimal("60.00"),
        )


def test_commitment_takes_the_agreed_rate_and_follows_a_change_from_its_day(
    users,
    budget_nord,
    decided,  # noqa: F811
    provider_a,
    provider_a_in_nord,
    agreement_a,
):
    # The rate agreement wins over the older agreement's 62,50 €.
    rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=datetime.date(2026, 1, 1),
        rate=Decimal("60.00"),
    )
    change = datetime.date(2026, 8, 1)
    rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=change,
        rate=Decimal("66.00"),
    )

    assignment = commission(users["caseworker"], decided, provider_a)

    commitment = Commitment.objects.get(assignment=assignment)
    assert commitment.hourly_rate == Decimal("60.00")
    expected = by_hand(START, change - datetime.timedelta(days=1), rate=Decimal("60")) + by_hand(
        change, datetime.date(2026, 12, 31), rate=Decimal("66")
    )
    assert abs(commitment.cached_bound - expected) <= Decimal("0.01")


def test_without_a_rate_agreement_the_old_agreement_rate_holds(
    users,
    budget_nord,
    decided,  # noqa: F811
    provider_a,
    provider_a_in_nord,
    agreement_a,
):
    assignment = commission(users["caseworker"], decided, provider_a)
    commitment = Commitment.objects.get(assignment=assignment)
    assert commitment.hourly_rate == Decimal("62.50")
    assert commitment.cached_bound == by_hand(START, datetime.date(2026, 12, 31))
