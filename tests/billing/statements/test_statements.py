"""Leistungsnachweise from the provider's side: priced by the agreement of each day, refused
line by line with a German message naming the line, nothing stored on a refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import LineKind, ServiceStatement, StatementStatus
from billing.statements import LineInput, statement_submit
from budgets.models import ServiceUnit
from budgets.rates import rate_agreement_add
from tests.billing.statements.conftest import APRIL

pytestmark = pytest.mark.django_db


def line(number, day, kind=LineKind.FACE_TO_FACE, quantity="2"):
    return LineInput(number=number, day=day, kind=kind, quantity=Decimal(quantity))


def d(day, month=4):
    return datetime.date(2026, month, day)


def submit(users, assignment, lines, month=APRIL, user="provider_staff"):
    return statement_submit(user=users[user], assignment=assignment, month=month, lines=lines)


def messages(error: ValidationError) -> list[str]:
    return [m for ms in error.value.message_dict.values() for m in ms]


def test_provider_submits_a_month_of_hours_priced_at_the_agreed_rate(users, hourly_assignment):
    statement = submit(
        users,
        hourly_assignment,
        [
            line(1, d(7), quantity="2,5".replace(",", ".")),
            line(2, d(7), LineKind.TRAVEL, "0.5"),
            line(3, d(14), LineKind.WITH_FAMILY, "3"),
        ],
    )
    assert statement.status == StatementStatus.SUBMITTED
    assert statement.claimed_amount == Decimal("360.00")  # 6 h × 60 €
    assert statement.lines.count() == 3


def test_a_rate_change_inside_the_month_prices_each_day_with_its_rate(
    users, hourly_assignment, provider_a
):
    rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=d(16),
        rate=Decimal("66.00"),
    )
    statement = submit(users, hourly_assignment, [line(1, d(10)), line(2, d(20))])
    rates = list(statement.lines.order_by("day").values_list("rate", flat=True))
    assert rates == [Decimal("60.00"), Decimal("66.00")]
    assert statement.claimed_amount == Decimal("252.00")


def test_travel_is_refused_when_the_new_agreement_does_not_pay_it(
    users, hourly_assignment, provider_a
):
    rate_agreement_add(
        user=users["planner"],
        provider=provider_a,
        unit=ServiceUnit.HOURLY,
        valid_from=d(16),
        rate=Decimal("66.00"),
    )
    with pytest.raises(ValidationError) as refused:
        submit(
            users,
            hourly_assignment,
            [line(1, d(10), LineKind.TRAVEL, "1"), line(2, d(20), LineKind.TRAVEL, "1")],
        )
    assert messages(refused) == [
        "Zeile 2: Fahrzeit ist nach der Entgeltvereinbarung nicht abrechenbar."
    ]


def test_a_placement_pays_present_days_and_absences_at_the_agreed_share(
    users, placement_assignment
):
    lines = [line(n, d(n), LineKind.PRESENT, "1") for n in range(1, 29)]
    lines += [line(29, d(29), LineKind.ABSENT, "1"), line(30, d(30), LineKind.ABSENT, "1")]
    statement = submit(users, placement_assignment, lines)
    # 28 × 150 € + 2 × 75 % of 150 €
    assert statement.claimed_amount == Decimal("4425.00")


def test_a_placement_day_counted_twice_is_refused_naming_both_lines(users, placement_assignment):
    with pytest.raises(ValidationError) as refused:
        submit(
            users,
            placement_assignment,
            [line(1, d(3), LineKind.PRESENT, "1"), line(2, d(3), LineKind.ABSENT, "1")],
        )
    assert messages(refused) == ["Zeile 2: Der 03.04.2026 ist schon in Zeile 1 gezählt."]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (line(2, d(5), quantity="-1"), "Zeile 2: Die Menge muss größer als null sein."),
        (line(2, d(5), quantity="25"), "Zeile 2: Mehr als 24 Stunden an einem Tag"),
        (line(2, d(3, month=5)), "Zeile 2: Der 03.05.2026 liegt nicht im Monat 04/2026."),
        (
            line(2, d(5), LineKind.PRESENT, "1"),
            "Zeile 2: Mit dem Träger ist zum 05.04.2026 kein Satz für „Tagessatz“ vereinbart.",
        ),
    ],
)
def test_bad_lines_are_refused_naming_the_line_and_nothing_is_stored(
    users, hourly_assignment, bad, message
):
    with pytest.raises(ValidationError) as refused:
        submit(users, hourly_assignment, [line(1, d(4)), bad])
    assert any(m.startswith(message) for m in messages(refused)), messages(refused)
    assert not ServiceStatement.objects.exists()


def test_more_than_24_hours_on_one_day_together_is_refused(users, hourly_assignment):
    with pytest.raises(ValidationError) as refused:
        submit(
            users,
            hourly_assignment,
            [line(1, d(4), quantity="20"), line(2, d(4), LineKind.WITH_FAMILY, "5")],
        )
    assert messages(refused) == ["Zeile 2: Am 04.04.2026 wären es zusammen mehr als 24 Stunden."]


def test_a_month_outside_the_assignment_is_refused(users, hourly_assignment):
    with pytest.raises(ValidationError) as refused:
        submit(users, hourly_assignment, [line(1, d(4, month=2), quantity="1")], month=d(1, 2))
    assert "liegt außerhalb der Falldurchführung" in messages(refused)[0]


def test_a_line_before_the_start_inside_the_first_month_is_refused(users, hourly_assignment):
    # The help starts on 2 March.
    with pytest.raises(ValidationError) as refused:
        submit(users, hourly_assignment, [line(1, d(1, month=3))], month=d(1, 3))
    assert messages(refused)[0].startswith("Zeile 1: Der 01.03.2026 liegt außerhalb")


def test_the_same_month_twice_is_refused_until_it_is_returned(users, hourly_assignment):
    first = submit(users, hourly_assignment, [line(1, d(4))])
    with pytest.raises(ValidationError) as refused:
        submit(users, hourly_assignment, [line(1, d(5))])
    assert "schon ein Leistungsnachweis eingereicht" in messages(refused)[0]
    first.status = StatementStatus.RETURNED
    first.return_reason = "Stunden am 4. fehlen im Original."
    first.save()
    again = submit(users, hourly_assignment, [line(1, d(5))])
    assert again.status == StatementStatus.SUBMITTED


@pytest.mark.parametrize("who", ["provider_staff_b", "caseworker", "team_lead", "planner"])
def test_only_the_commissioned_providers_staff_submit(users, hourly_assignment, who):
    with pytest.raises(ValidationError):
        submit(users, hourly_assignment, [line(1, d(4))], user=who)
    assert not ServiceStatement.objects.exists()
