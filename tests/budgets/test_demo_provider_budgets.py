"""The demo town's Trägerbudgets: two Schwerpunktträger with bookings, last year's closed into
two Sozialraum projects, providers with valid bank details."""

import pytest
from django.core.management import call_command

from budgets.models import ProviderBudget, ProviderBudgetProject
from budgets.provider_budgets import provider_budget_overview
from sozialraum.banking import iban_validate
from sozialraum.models import Provider


@pytest.fixture
def demo(db):
    call_command("demo_town", verbosity=0)


def test_demo_has_two_schwerpunkttraeger_budgets_with_bookings_and_a_carry_over(demo):
    this_year = ProviderBudget.objects.order_by("-budget__fiscal_year__year").first()
    assert this_year is not None
    current = ProviderBudget.objects.filter(
        budget__fiscal_year__year=this_year.budget.fiscal_year.year
    )
    assert {pb.provider.short_name for pb in current} == {"KJH Lindenau", "Diakonie Süd"}
    for pb in current:
        overview = provider_budget_overview(pb)
        assert overview.allocated > 0
    assert ProviderBudgetProject.objects.count() == 2
    for provider in Provider.objects.all():
        iban_validate(provider.iban)


def test_demo_has_one_payment_run_with_the_approved_orders(demo):
    from billing.models import PaymentRun
    from billing.payment_runs import payment_orders_open, payment_run_export

    run = PaymentRun.objects.get()
    assert run.lines.exists()
    assert not payment_orders_open().exists()
    assert payment_run_export(run=run, extension="csv") == payment_run_export(
        run=run, extension="csv"
    )
