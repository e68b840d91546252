"""Plausibility of money requests (issue 24): a reserve request above what the Vorwegabzug has
free is refused when it is asked for, once, on the amount, through the service and the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import ReserveTransferRequest
from budgets.services import reserve_transfer_request

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
