"""Claims in the privacy side: anonymising a case empties their free texts (amounts stay), and
the subject-access export lists them and names the offices a claim went to as recipients."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from privacy.anonymise import PLACEHOLDER, case_anonymise
from privacy.selectors import subject_access_records
from reimbursements.models import LegalBasis, ReimbursementClaim
from reimbursements.services import claim_create, claim_dispute, claim_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def disputed(users, paid_help, office):
    claim = claim_create(
        user=users["team_lead"],
        help_=paid_help,
        office=office,
        legal_basis=LegalBasis.S89A,
        period_start=datetime.date(2026, 3, 2),
        period_end=datetime.date(2026, 5, 31),
    )
    claim_send(user=users["team_lead"], claim=claim, sent_on=timezone.localdate())
    return claim_dispute(
        user=users["team_lead"], claim=claim, reason="Mutter Erika Muster lebt in Bergstadt."
    )


def test_subject_access_lists_the_claim_and_the_office_as_recipient(disputed, office):
    persons = list(disputed.help.case.persons.all())
    [record] = subject_access_records(persons)
    assert office.name in record.recipients
    [row] = record.reimbursements
    assert row.amount == Decimal("13354.84")
    assert "Erika Muster" in row.texts[0]


def test_anonymising_the_case_empties_the_claims_texts(disputed):
    with transaction.atomic():
        case_anonymise(case=disputed.help.case, at=timezone.now())
    claim = ReimbursementClaim.objects.get(pk=disputed.pk)
    assert claim.dispute_reason == PLACEHOLDER
    assert claim.amount == Decimal("13354.84")
