"""The demo town's Leistungsnachweise: rate agreements for the demo providers and statements in
every state, built once."""

import pytest
from django.core.management import call_command

from billing.models import ServiceStatement, StatementStatus
from budgets.models import RateAgreement
from budgets.reconciliation import budgets_reconcile


@pytest.mark.django_db
def test_demo_statements_in_every_state_built_once(settings):
    settings.DEMO_TOWN_CASES = 60
    call_command("demo_town", verbosity=0)
    counts = (RateAgreement.objects.count(), ServiceStatement.objects.count())
    states = set(ServiceStatement.objects.values_list("status", flat=True))
    assert counts[0] > 0
    assert {
        StatementStatus.APPROVED,
        StatementStatus.RETURNED,
        StatementStatus.SUBMITTED,
    } <= states, states
    assert ServiceStatement.objects.exclude(correction_reason="").exists()
    call_command("demo_town", verbosity=0)
    assert (RateAgreement.objects.count(), ServiceStatement.objects.count()) == counts
    assert budgets_reconcile() == []
