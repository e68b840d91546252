"""Claims to other offices: the amount from the ledger's payments, the round claim → part
payment → dispute → settlement reconciled to the cent, and bad input refused in German with
nothing lost."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from budgets.models import EntryKind, IncomeSource, LedgerEntry
from budgets.reconciliation import budgets_reconcile, commitments_reconcile, totals_reconcile
from reimbursements.models import ClaimReceipt, ClaimStatus, LegalBasis, ReimbursementClaim
from reimbursements.selectors import claim_received_total
from reimbursements.services import (
    claim_acknowledge,
    claim_create,
    claim_dispute,
    claim_receipt_book,
    claim_send,
    claim_settle,
    office_save,
)
from tests.reimbursements.conftest import MONTHS

pytestmark = pytest.mark.django_db

MARCH_TO_MAY = (datetime.date(2026, 3, 2), datetime.date(2026, 5, 31))
PAID = sum((amount for _, _, amount in MONTHS), Decimal("0.00"))


def make_claim(users, help_, office, period=MARCH_TO_MAY, user="team_lead"):
    return claim_create(
        user=users[user],
        help_=help_,
        office=office,
        legal_basis=LegalBasis.S89A,
        period_start=period[0],
        period_end=period[1],
    )


def no_differences():
    assert budgets_reconcile() == []
    assert commitments_reconcile() == []
    assert totals_reconcile() == []


def test_claim_amount_is_what_the_ledger_paid_for_the_help_in_the_period(users, paid_help, office):
    claim = make_claim(users, paid_help, office)
    assert claim.amount == PAID == Decimal("13354.84")
    assert claim.status == ClaimStatus.DRAFT
    assert claim.number.startswith("KE-")


def test_only_the_payments_of_the_period_count(users, paid_help, office):
    april = make_claim(
        users, paid_help, office, period=(datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    )
    assert april.amount == Decimal("4500.00")


def test_claim_round_part_payment_dispute_settlement_reconciles_to_the_cent(
    users, paid_help, office, budget_nord
):
    lead = users["team_lead"]
    today = timezone.localdate()
    claim = make_claim(users, paid_help, office)
    claim = claim_send(user=lead, claim=claim, sent_on=today)
    claim = claim_acknowledge(user=lead, claim=claim, acknowledged_on=today, their_reference="51.2")
    assert claim.status == ClaimStatus.ACKNOWLEDGED
    first = claim_receipt_book(
        user=users["planner"], claim=claim, amount=Decimal("9000.00"), received_on=today
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PART_PAID
    assert first.entry.kind == EntryKind.INCOME
    assert first.entry.income_source == IncomeSource.REIMBURSEMENT
    assert first.entry.amount == Decimal("9000.00")
    assert first.entry.budget_id == budget_nord.pk
    # Booked against the help's commitment: the net cost per help can be read.
    assert first.entry.commitment.assignment.help_id == paid_help.pk
    claim = claim_dispute(
        user=lead, claim=claim, reason="Der Monat März ist nach § 89a nicht erstattungsfähig."
    )
    assert claim.status == ClaimStatus.DISPUTED
    # A payment during the dispute is kept as a part payment; the claim stays disputed.
    claim_receipt_book(user=lead, claim=claim, amount=Decimal("0.01"), received_on=today)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DISPUTED
    claim = claim_settle(
        user=lead,
        claim=claim,
        settled_on=today,
        note="Einigung: März wird nicht erstattet, der Rest ist gezahlt.",
    )
    assert claim.status == ClaimStatus.SETTLED
    assert claim_received_total(claim) == Decimal("9000.01")
    income = LedgerEntry.objects.filter(kind=EntryKind.INCOME)
    assert sum(entry.amount for entry in income) == Decimal("9000.01")
    no_differences()


def test_full_payment_marks_the_claim_paid(users, paid_help, office):
    lead = users["team_lead"]
    today = timezone.localdate()
    claim = claim_send(user=lead, claim=make_claim(users, paid_help, office), sent_on=today)
    claim_receipt_book(user=lead, claim=claim, amount=PAID, received_on=today)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    no_differences()


def test_period_outside_the_help_is_refused_in_german(users, paid_help, office):
    with pytest.raises(ValidationError) as error:
        make_claim(
            users, paid_help, office, period=(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
        )
    assert "innerhalb der Hilfe" in str(error.value)
    assert "02.03.2026" in str(error.value)
    assert not ReimbursementClaim.objects.exists()


def test_a_second_claim_for_an_overlapping_period_is_refused(users, paid_help, office):
    first = make_claim(users, paid_help, office)
    with pytest.raises(ValidationError) as error:
        make_claim(
            users, paid_help, office, period=(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))
        )
    assert first.number in str(error.value)
    assert "nur einmal" in str(error.value)
    assert ReimbursementClaim.objects.count() == 1


def test_a_period_without_payments_is_refused(users, paid_help, office):
    with pytest.raises(ValidationError) as error:
        make_claim(
            users, paid_help, office, period=(datetime.date(2026, 6, 1), datetime.date(2026, 6, 30))
        )
    assert "nichts gezahlt" in str(error.value)


def test_a_payment_of_a_different_amount_is_kept_as_part_payment(users, paid_help, office):
    lead = users["team_lead"]
    today = timezone.localdate()
    claim = claim_send(user=lead, claim=make_claim(users, paid_help, office), sent_on=today)
    claim_receipt_book(user=lead, claim=claim, amount=Decimal("1234.56"), received_on=today)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PART_PAID
    assert claim.amount == PAID  # the claim itself is unchanged
    assert ClaimReceipt.objects.get().amount == Decimal("1234.56")
    no_differences()


def test_a_payment_above_the_open_amount_is_refused_and_nothing_is_booked(users, paid_help, office):
    lead = users["team_lead"]
    today = timezone.localdate()
    claim = claim_send(user=lead, claim=make_claim(users, paid_help, office), sent_on=today)
    with pytest.raises(ValidationError) as error:
        claim_receipt_book(user=lead, claim=claim, amount=PAID + Decimal("0.01"), received_on=today)
    assert "noch offene Betrag" in str(error.value)
    assert not LedgerEntry.objects.filter(kind=EntryKind.INCOME).exists()
    assert not ClaimReceipt.objects.exists()


def test_no_payment_on_a_draft(users, paid_help, office):
    claim = make_claim(users, paid_help, office)
    with pytest.raises(ValidationError) as error:
        claim_receipt_book(
            user=users["team_lead"],
            claim=claim,
            amount=Decimal("10.00"),
            received_on=timezone.localdate(),
        )
    assert "Entwurf" in str(error.value)


def test_wrong_iban_of_an_office_is_refused_in_german(users, office):
    office.iban = "DE89370400440532013001"
    with pytest.raises(ValidationError) as error:
        office_save(user=users["planner"], office=office)
    assert "Prüfziffer" in str(error.value)
    office.refresh_from_db()
    assert office.iban.endswith("2051")


def test_claim_form_shows_german_errors_and_keeps_the_input(client, users, paid_help, office):
    client.force_login(users["team_lead"])
    url = reverse("reimbursements:claim_create", args=[paid_help.pk])
    response = client.post(
        url,
        {
            "office": office.pk,
            "legal_basis": LegalBasis.S89A,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
        },
    )
    assert response.status_code == 200
    assert "innerhalb der Hilfe" in response.content.decode()
    assert 'value="2026-01-01"' in response.content.decode()
    response = client.post(
        url,
        {
            "office": office.pk,
            "legal_basis": LegalBasis.S89A,
            "period_start": "2026-03-02",
            "period_end": "2026-05-31",
        },
    )
    claim = ReimbursementClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reimbursements:claim_detail", args=[claim.pk])


def test_claim_page_steps_and_letter(client, users, paid_help, office):
    claim = make_claim(users, paid_help, office)
    client.force_login(users["planner"])
    url = reverse("reimbursements:claim_detail", args=[claim.pk])
    today = timezone.localdate().isoformat()
    assert client.post(url, {"send-sent_on": today, "send": "1"}).status_code == 302
    response = client.post(
        url, {"receipt-amount": "100000,00", "receipt-received_on": today, "receipt": "1"}
    )
    assert response.status_code == 200
    assert "noch offene Betrag" in response.content.decode()
    response = client.post(
        url, {"receipt-amount": "1.000,00", "receipt-received_on": today, "receipt": "1"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PART_PAID
    letter = client.get(reverse("reimbursements:claim_letter", args=[claim.pk]))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")


def test_office_form_refuses_a_wrong_iban(client, users):
    client.force_login(users["planner"])
    response = client.post(
        reverse("reimbursements:office_create"),
        {
            "name": "Jugendamt Talheim",
            "street": "Markt 2",
            "postcode": "12345",
            "city": "Talheim",
            "iban": "DE89 3704 0044 0532 0130 01",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Prüfziffer" in response.content.decode()


def test_a_wrong_receipt_is_reversed_in_the_ledger_and_the_status_follows(
    client, users, paid_help, office
):
    lead = users["team_lead"]
    today = timezone.localdate()
    claim = claim_send(user=lead, claim=make_claim(users, paid_help, office), sent_on=today)
    receipt = claim_receipt_book(
        user=lead, claim=claim, amount=Decimal("500.00"), received_on=today
    )
    client.force_login(lead)
    url = reverse("reimbursements:claim_detail", args=[claim.pk])
    response = client.post(
        url, {"reverse-receipt": receipt.pk, "reverse-reason": "", "reverse": "1"}
    )
    assert response.status_code == 200  # the reason is required
    response = client.post(
        url,
        {
            "reverse-receipt": receipt.pk,
            "reverse-reason": "Fehlbuchung der Stadtkasse",
            "reverse": "1",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SENT
    assert claim_received_total(claim) == Decimal("0.00")
    assert LedgerEntry.objects.filter(reverses=receipt.entry).exists()
    assert ClaimReceipt.objects.filter(pk=receipt.pk).exists()
    no_differences()
