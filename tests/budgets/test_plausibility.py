"""Plausibility of money requests (issue 24): a reserve request above what the Vorwegabzug has
free is refused when it is asked for, once, on the amount, through the service and the page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from budgets.models import ReserveTransferRequest
from budgets.services import reserve_transfer_request
from sozialraum.plausibility import date_de

TOO_MUCH = "Im Vorwegabzug sind nur 100.000,00\xa0€ frei; beantragt sind 99.999.999,00\xa0€."


def test_request_above_the_free_reserve_is_refused_by_the_service(users, budget_nord):
    with pytest.raises(ValidationError) as refused:
        reserve_transfer_request(
            budget=budget_nord,
            amount=Decimal("99999999"),
            justification="Zuzug",
            by=users["team_lead"],
        )
    assert refused.value.message_dict["amount"][0].startswith(TOO_MUCH)
    assert not ReserveTransferRequest.objects.exists()


def test_request_up_to_the_free_reserve_is_accepted(users, budget_nord):
    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("100000"), justification="Zuzug", by=users["team_lead"]
    )
    assert request.amount == Decimal("100000.00")


def test_service_names_every_problem_at_once(users, budget_nord):
    with pytest.raises(ValidationError) as refused:
        reserve_transfer_request(
            budget=budget_nord, amount=Decimal("99999999"), justification=" ", by=users["team_lead"]
        )
    assert set(refused.value.message_dict) == {"amount", "justification"}


def test_request_page_says_it_once_on_the_amount_and_keeps_the_input(client, users, budget_nord):
    client.force_login(users["team_lead"])
    response = client.post(
        reverse("budgets:transfer_request", args=[budget_nord.pk]),
        {"amount": "99.999.999,00", "justification": "Zuzug zweier Familien"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not ReserveTransferRequest.objects.exists()
    # Once in the summary (linked to the field) and once at the field: not as a third alert.
    assert html.count(TOO_MUCH) == 2
    assert f'href="#id_amount" data-field="id_amount">Betrag (€): {TOO_MUCH}' in html
    assert "Zuzug zweier Familien" in html
    assert 'value="99.999.999,00"' in html


# A payment has happened: not dated after today ------------------------------------------------


@pytest.fixture
def commitment(users, budget_nord, provider_a):
    from tests.budgets.factories import project_book

    return project_book(
        budget=budget_nord, by=users["caseworker"], amount="1000.00", provider=provider_a
    )


def test_payment_dated_in_the_future_and_too_high_is_refused_at_once(users, commitment):
    from budgets.services import payment_book

    later = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        payment_book(
            commitment=commitment, amount=Decimal("5000"), paid_on=later, by=users["caseworker"]
        )
    messages = refused.value.message_dict
    assert messages["paid_on"] == [
        f"Eine Zahlung kann nicht in der Zukunft liegen ({date_de(later)}; heute ist der "
        f"{date_de(timezone.localdate())})."
    ]
    assert messages["amount"][0].startswith("Die Zahlung über 5.000,00\xa0€ ist höher")
    assert not commitment.payments.exists()


def test_payment_page_refuses_a_future_date_at_its_field(client, users, commitment):
    client.force_login(users["caseworker"])
    later = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("budgets:commitment_detail", args=[commitment.pk]),
        {
            "aktion": "zahlung",
            "zahlung-amount": "100,00",
            "zahlung-paid_on": later.isoformat(),
            "zahlung-note": "Rechnung 4711",
        },
    )
    html = response.content.decode()
    assert "Eine Zahlung kann nicht in der Zukunft liegen" in html
    assert 'href="#id_zahlung-paid_on"' in html
    assert "Rechnung 4711" in html
    assert not commitment.payments.exists()


def test_decide_page_says_a_refusal_once_in_the_summary_and_once_in_the_form(
    client, users, budget_nord
):
    from budgets.services import reserve_transfer_decide

    request = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("60000"), justification="x", by=users["team_lead"]
    )
    first = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("50000"), justification="y", by=users["team_lead"]
    )
    reserve_transfer_decide(request=first, approve=True, by=users["planner"])
    client.force_login(users["planner"])
    response = client.post(
        reverse("budgets:transfer_decide", args=[request.pk]),
        {"decision": "approve", "note": "", "confirmed": "on"},  # past the confirmation step
    )
    html = response.content.decode()
    message = "Im Vorwegabzug sind nur noch 50.000,00\xa0€ frei."
    assert html.count(message) == 2  # the summary at the top, the form's own line: no third
    request.refresh_from_db()
    assert request.status == "pending"
