"""Claims of other offices on us: recorded, checked by the region's team lead, paid through a
billing payment order to the office's IBAN and booked as a payment in the ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from billing.models import PaymentOrder
from budgets.models import EntryKind, LedgerEntry
from budgets.reconciliation import budgets_reconcile, commitments_reconcile, totals_reconcile
from reimbursements.models import LegalBasis, ReceivedClaim, ReceivedStatus
from reimbursements.services import (
    received_claim_approve,
    received_claim_record,
    received_claim_reject,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(users, paid_help, office):
    return received_claim_record(
        user=users["planner"],
        office=office,
        case=paid_help.case,
        legal_basis=LegalBasis.S86C,
        their_reference="51.3-2026-17",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 1),
        claimed_amount=Decimal("2400.50"),
        received_on=timezone.localdate(),
    )


def test_approval_orders_the_payment_to_the_offices_iban(users, received, office, budget_nord):
    claim = received_claim_approve(user=users["team_lead"], claim_id=received.pk)
    assert claim.status == ReceivedStatus.APPROVED
    order = claim.payment_order
    assert order.amount == Decimal("2400.50")
    assert order.payee_name == office.name
    assert order.payee_iban == office.iban
    assert order.commitment.budget_id == budget_nord.pk
    assert order.commitment.provider_id is None
    entry = LedgerEntry.objects.get(payment=order.payment)
    assert entry.kind == EntryKind.PAYMENT
    assert entry.amount == Decimal("2400.50")
    assert budgets_reconcile() == [] and commitments_reconcile() == [] and totals_reconcile() == []


def test_a_lower_amount_needs_a_reason(users, received):
    with pytest.raises(ValidationError) as error:
        received_claim_approve(
            user=users["team_lead"], claim_id=received.pk, amount=Decimal("2000.00")
        )
    assert "begründen" in str(error.value)
    assert not PaymentOrder.objects.exclude(payee_name="").exists()
    claim = received_claim_approve(
        user=users["team_lead"],
        claim_id=received.pk,
        amount=Decimal("2000.00"),
        reason="Januar fällt nicht unter § 86c.",
    )
    assert claim.approved_amount == Decimal("2000.00")


def test_no_order_without_a_valid_iban(users, received, office):
    YouthOfficeModel = type(office)
    YouthOfficeModel.objects.filter(pk=office.pk).update(iban="")
    with pytest.raises(ValidationError) as error:
        received_claim_approve(user=users["team_lead"], claim_id=received.pk)
    assert "keine gültige IBAN" in str(error.value)
    assert not PaymentOrder.objects.exclude(payee_name="").exists()
    received.refresh_from_db()
    assert received.status == ReceivedStatus.RECEIVED


def test_a_decided_claim_is_not_decided_again(users, received):
    received_claim_approve(user=users["team_lead"], claim_id=received.pk)
    with pytest.raises(ValidationError) as error:
        received_claim_approve(user=users["team_lead"], claim_id=received.pk)
    assert "schon entschieden" in str(error.value)
    assert PaymentOrder.objects.exclude(payee_name="").count() == 1


def test_only_the_team_lead_of_the_region_checks(users, received, team_sued):
    with pytest.raises(PermissionDenied):
        received_claim_approve(user=users["planner"], claim_id=received.pk)
    lead_sued = UserFactory(role="team_lead", asd_team=team_sued)
    with pytest.raises(Http404):
        received_claim_approve(user=lead_sued, claim_id=received.pk)


def test_rejection_needs_a_reason(users, received):
    with pytest.raises(ValidationError):
        received_claim_reject(user=users["team_lead"], claim_id=received.pk, reason=" ")
    claim = received_claim_reject(
        user=users["team_lead"], claim_id=received.pk, reason="Wir sind nicht zuständig."
    )
    assert claim.status == ReceivedStatus.REJECTED


def test_the_same_claim_is_recorded_once(users, received, office, paid_help):
    with pytest.raises(ValidationError) as error:
        received_claim_record(
            user=users["planner"],
            office=office,
            case=paid_help.case,
            legal_basis=LegalBasis.S86C,
            their_reference="51.3-2026-17",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 3, 1),
            claimed_amount=Decimal("2400.50"),
            received_on=timezone.localdate(),
        )
    assert "schon erfasst" in str(error.value)
    assert ReceivedClaim.objects.count() == 1


def test_received_claim_pages(client, users, received, paid_help, office):
    client.force_login(users["planner"])
    response = client.post(
        reverse("reimbursements:received_create"),
        {
            "office": office.pk,
            "case_number": "X-0000",
            "legal_basis": LegalBasis.S89,
            "their_reference": "A-1",
            "period_start": "2026-02-01",
            "period_end": "2026-01-01",
            "claimed_amount": "100,00",
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "keinen Fall" in response.content.decode()
    client.force_login(users["team_lead"])
    url = reverse("reimbursements:received_detail", args=[received.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"approve-amount": "", "approve-reason": "", "approve": "1"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == ReceivedStatus.APPROVED
