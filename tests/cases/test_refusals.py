"""Decisions that make no sense are refused with a German message."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cases.models import AcknowledgementRole, RiskLevel
from cases.protection import risk_acknowledge
from cases.services import help_decide
from tests.cases.protection import assess

pytestmark = pytest.mark.django_db


def test_a_help_with_zero_hours_is_refused(users, case_in_clarification, spfh):
    with pytest.raises(ValidationError) as refused:
        help_decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=spfh,
            starts_on=datetime.date(2026, 1, 1),
            planned_end_on=datetime.date(2026, 12, 31),
            hours_per_week=Decimal("0"),
        )
    assert "mehr als 0" in str(refused.value)
    assert not case_in_clarification.helps.exists()


def test_an_assessment_without_risk_needs_no_acknowledgement(users, case_nord):
    assessment = assess(
        user=users["team_lead"], case=case_nord, level=RiskLevel.NONE, facts="Alles in Ordnung."
    )
    with pytest.raises(ValidationError) as refused:
        risk_acknowledge(
            user=users["caseworker"], assessment=assessment, role=AcknowledgementRole.STEERING
        )
    assert "ohne Gefährdung" in str(refused.value)
    assert not assessment.acknowledgements.exists()
