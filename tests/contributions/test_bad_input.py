"""Bad input gets German messages; nothing is lost and nothing is booked twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from budgets.models import Figure, LedgerEntry
from contributions.models import ContributionClaim, ContributionReceipt, CostContribution
from contributions.selectors import claim_open_amount
from contributions.services import (
    claim_create,
    claims_create_for_month,
    contribution_set,
    evidence_record,
    receipt_record,
    table_amount,
    waiver_record,
)

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def contribution(users, placement, evidence, income_table):
    return contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"],
    )  # fmt: skip


def test_a_contribution_above_the_table_is_refused(users, placement, evidence, income_table):
    _, full = table_amount(table=income_table, monthly_income=evidence.monthly_income, stage=1)
    with pytest.raises(ValidationError) as error:
        contribution_set(
            help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
            user=users["caseworker"], amount=full + Decimal("0.01"),
        )  # fmt: skip
    assert "übersteigt den Höchstbetrag der Tabelle" in str(error.value.message_dict["amount"])
    assert not CostContribution.objects.exists()


def test_a_lower_contribution_needs_a_reason(users, placement, evidence, income_table):
    kwargs = dict(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"], amount=Decimal("10.00"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="begründen"):
        contribution_set(**kwargs)
    contribution = contribution_set(**kwargs, reduction_reason="Schulden aus der Trennung")
    assert contribution.amount == Decimal("10.00") < contribution.table_amount


def test_income_evidence_in_the_future_is_refused(users, placement, guardian):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        evidence_record(
            case=placement.case, person=guardian, monthly_income=Decimal("2000"),
            period_start=tomorrow, period_end=tomorrow + datetime.timedelta(days=30),
            submitted_on=tomorrow, user=users["caseworker"],
        )  # fmt: skip
    assert "Zukunft" in " ".join(error.value.message_dict["submitted_on"])
    assert not placement.case.income_evidence.exists()


def test_a_receipt_below_the_claim_is_kept_as_partial_and_above_is_refused(users, contribution):
    claim = claim_create(contribution=contribution, month=MARCH)
    receipt_record(
        claim=claim, amount=Decimal("50.00"), received_on=datetime.date(2026, 3, 10),
        user=users["caseworker"],
    )  # fmt: skip
    assert claim_open_amount(claim) == contribution.amount - Decimal("50.00")
    with pytest.raises(ValidationError) as error:
        receipt_record(
            claim=claim, amount=contribution.amount, received_on=datetime.date(2026, 3, 11),
            user=users["caseworker"],
        )  # fmt: skip
    assert "höher als der offene Betrag" in " ".join(error.value.message_dict["amount"])
    assert ContributionReceipt.objects.count() == 1
    assert LedgerEntry.objects.filter(figure=Figure.RECEIVED).count() == 1
    with pytest.raises(ValidationError, match="höchstens der offene Betrag"):
        waiver_record(claim=claim, amount=contribution.amount, reason="x", user=users["caseworker"])
    with pytest.raises(ValidationError, match="begründen"):
        waiver_record(claim=claim, amount=Decimal("1"), reason=" ", user=users["caseworker"])


def test_a_claim_twice_for_the_same_month_is_refused(contribution):
    claim_create(contribution=contribution, month=MARCH)
    with pytest.raises(ValidationError, match="schon eine Forderung"):
        claim_create(contribution=contribution, month=datetime.date(2026, 3, 17))
    assert claims_create_for_month(month=MARCH) == 0
    assert ContributionClaim.objects.filter(month=MARCH).count() == 1


def test_a_cash_office_line_is_booked_once(users, contribution):
    claim = claim_create(contribution=contribution, month=MARCH)
    kwargs = dict(
        claim=claim, amount=Decimal("20.00"), received_on=datetime.date(2026, 3, 10),
        user=users["caseworker"], reference="KASSE-1",
    )  # fmt: skip
    receipt_record(**kwargs)
    with pytest.raises(ValidationError, match="schon erfasst"):
        receipt_record(**kwargs)
    assert LedgerEntry.objects.filter(figure=Figure.RECEIVED).count() == 1


def test_only_the_case_owners_change_contributions(users, placement, evidence, income_table):
    for outsider in ("caseworker_sued", "provider_staff", "planner"):
        with pytest.raises(ValidationError, match="fallsteuernde Fachkraft"):
            contribution_set(
                help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
                user=users[outsider],
            )  # fmt: skip
    contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["team_lead"],
    )  # fmt: skip


def test_no_contribution_to_an_ambulant_help(users, sozialraum_nord, spfh, evidence, placement):
    from budgets.commissioning import case_transition  # noqa: F401 (the case is in help)
    from tests.cases.conftest import decide

    ambulant = decide(
        user=users["caseworker"], case=placement.case, help_type=spfh,
        starts_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="nur zu einer Unterbringung"):
        contribution_set(
            help=ambulant, evidence=evidence, stage=1, starts_on=ambulant.starts_on,
            user=users["caseworker"],
        )  # fmt: skip
