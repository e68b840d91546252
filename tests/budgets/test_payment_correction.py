"""A mistyped payment is corrected in one step: its Storno and the right payment, never an edit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import EntryKind, LedgerEntry, Payment
from budgets.selectors import budget_figures
from budgets.services import payment_book, payment_correct
from tests.budgets.factories import project_book

PAID_ON = datetime.date(2026, 4, 1)


@pytest.fixture
def wrong_payment(users, budget_nord):
    commitment = project_book(budget=budget_nord, by=users["caseworker"], amount="1000.00")
    return payment_book(
        commitment=commitment, amount=Decimal("850.00"), paid_on=PAID_ON, by=users["caseworker"]
    )


def paid(budget) -> Decimal:
    return budget_figures([budget])[budget.pk].paid


def test_correction_reverses_and_rebooks_to_the_corrected_amount(users, budget_nord, wrong_payment):
    wrong_entry = wrong_payment.entry
    payment_correct(
        entry=wrong_entry,
        by=users["caseworker"],
        reason="Zahlendreher: 580 statt 850",
        amount=Decimal("580.00"),
        paid_on=PAID_ON,
    )
    entries = LedgerEntry.objects.filter(commitment=wrong_payment.commitment, figure="paid")
    assert sorted(e.amount for e in entries) == [
        Decimal("-850.00"),
        Decimal("580.00"),
        Decimal("850.00"),
    ]
    assert sum(e.amount for e in entries) == Decimal("580.00")
    assert entries.get(kind=EntryKind.REVERSAL).reverses_id == wrong_entry.pk
    assert paid(budget_nord) == Decimal("580.00")
    # The wrong entry is still there, unchanged.
    wrong_entry.refresh_from_db()
    assert wrong_entry.amount == Decimal("850.00")


def test_refused_correction_changes_nothing(users, budget_nord, wrong_payment):
    with pytest.raises(ValidationError) as refused:
        payment_correct(
            entry=wrong_payment.entry,
            by=users["caseworker"],
            reason="Betrag falsch",
            amount=Decimal("1500.00"),
            paid_on=PAID_ON,
        )
    assert "höher als der noch offene Betrag" in str(refused.value)
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()
    assert paid(budget_nord) == Decimal("850.00")


def test_storno_page_corrects_a_payment_in_the_same_form(client, users, budget_nord, wrong_payment):
    client.force_login(users["caseworker"])
    url = reverse("budgets:entry_reverse", args=[wrong_payment.entry.pk])
    page = client.get(url)
    assert "Richtiger Betrag (€)" in page.content.decode()
    response = client.post(
        url, {"reason": "Zahlendreher", "amount": "580,00", "paid_on": "2026-04-01"}, follow=True
    )
    assert "Die Zahlung ist storniert und richtig neu gebucht." in response.content.decode()
    assert paid(budget_nord) == Decimal("580.00")
    assert Payment.objects.filter(commitment=wrong_payment.commitment).count() == 2


def test_storno_page_refuses_a_too_high_amount_in_german_and_keeps_the_input(
    client, users, budget_nord, wrong_payment
):
    client.force_login(users["caseworker"])
    url = reverse("budgets:entry_reverse", args=[wrong_payment.entry.pk])
    response = client.post(url, {"reason": "Zahlendreher", "amount": "1500,00", "paid_on": ""})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie das Datum der richtigen Zahlung an." in content
    assert "Zahlendreher" in content
    response = client.post(
        url, {"reason": "Zahlendreher", "amount": "1500,00", "paid_on": "2026-04-01"}
    )
    assert "höher als der noch offene Betrag" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()
    assert paid(budget_nord) == Decimal("850.00")
