"""Fixtures of the billing tests: the budget tests' 2026 year, providers with bank details."""

import pytest

from tests.budgets.conftest import budget_nord, budget_sued, fiscal_year  # noqa: F401 (fixtures)

IBAN_A = "DE89370400440532013000"
IBAN_B = "DE02120300000000202051"


@pytest.fixture
def provider_a_banked(provider_a):
    provider_a.iban = IBAN_A
    provider_a.bic = "COBADEFFXXX"
    provider_a.creditor_number = "700123"
    provider_a.full_clean()
    provider_a.save()
    return provider_a
