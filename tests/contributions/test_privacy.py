"""Liable persons' income is personal data: in the subject-access export, gone on anonymising."""

import datetime
from decimal import Decimal

from django.utils import timezone

from contributions.models import ContributionWaiver, IncomeEvidence
from contributions.services import claim_create, contribution_set, waiver_record
from privacy.anonymise import PLACEHOLDER, case_anonymise
from privacy.selectors import subject_access_records


def test_export_lists_and_anonymising_erases_the_income(
    users, placement, evidence, income_table, guardian
):
    contribution = contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"], amount=Decimal("5.00"), reduction_reason="Schulden",
    )  # fmt: skip
    claim = claim_create(contribution=contribution, month=datetime.date(2026, 3, 1))
    waiver_record(claim=claim, amount=Decimal("1.00"), reason="Härte", user=users["caseworker"])
    (record,) = subject_access_records([guardian])
    whats = [row.what for row in record.contributions]
    assert "Einkommensnachweis" in whats and any("Forderung" in w for w in whats)
    assert Decimal("2650.00") in [row.amount for row in record.contributions]

    case_anonymise(case=placement.case, at=timezone.now())
    evidence = IncomeEvidence.objects.get()
    assert (evidence.monthly_income, evidence.note) == (Decimal("0.00"), "")
    contribution.refresh_from_db()
    assert contribution.reduction_reason == PLACEHOLDER
    assert contribution.amount == Decimal("5.00")  # the accounts stay
    assert ContributionWaiver.objects.get().reason == PLACEHOLDER
