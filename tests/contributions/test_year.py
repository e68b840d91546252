"""A placement over a year: contribution, monthly claims, two partial receipts and a waiver
reconcile to the ledger to the cent."""

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from budgets.models import Commitment, EntryKind, Figure, LedgerEntry
from budgets.reconciliation import budgets_reconcile, commitments_reconcile, totals_reconcile
from budgets.selectors import (
    budget_figures,
    net_cost_by_help_type,
    net_cost_by_region,
    net_cost_per_help,
)
from contributions.models import ContributionClaim
from contributions.selectors import arrears_visible_to, contribution_totals
from contributions.services import (
    claims_create_for_month,
    contribution_set,
    receipt_record,
    table_amount,
    waiver_record,
)
from kjhstat.models import SpendingPosition
from kjhstat.surveys import spending
from kjhstat.surveys.spending import euro


def test_a_year_of_a_placement_reconciles_to_the_cent(
    users, placement, evidence, income_table, budget_nord
):
    caseworker = users["caseworker"]
    _, full = table_amount(table=income_table, monthly_income=evidence.monthly_income, stage=1)
    contribution = contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=caseworker,
    )  # fmt: skip
    assert contribution.amount == full > 0
    for month in range(1, 13):
        assert claims_create_for_month(month=datetime.date(2026, month, 1)) == 1
    # Run again: nothing new.
    assert claims_create_for_month(month=datetime.date(2026, 3, 1)) == 0
    claims = list(ContributionClaim.objects.filter(contribution=contribution).order_by("month"))
    assert len(claims) == 12
    january, february = claims[0], claims[1]
    first = receipt_record(
        claim=january, amount=Decimal("100.00"), received_on=datetime.date(2026, 1, 20),
        user=caseworker,
    )  # fmt: skip
    second = receipt_record(
        claim=january, amount=full - Decimal("100.00"), received_on=datetime.date(2026, 2, 3),
        user=caseworker, reference="KASSE-2026-0001",
    )  # fmt: skip
    partial = receipt_record(
        claim=february, amount=Decimal("33.33"), received_on=datetime.date(2026, 2, 25),
        user=caseworker,
    )  # fmt: skip
    waiver_record(
        claim=february, amount=full - Decimal("33.33"), reason="Härtefall (§ 92 Abs. 5)",
        user=caseworker,
    )  # fmt: skip
    received = Decimal("100.00") + (full - Decimal("100.00")) + Decimal("33.33")

    commitment = Commitment.objects.get(assignment__help=placement, budget=budget_nord)
    for receipt in (first, second, partial):
        assert receipt.entry.kind == EntryKind.INCOME
        assert receipt.entry.commitment == commitment
    income = LedgerEntry.objects.filter(figure=Figure.RECEIVED)
    assert sum(e.amount for e in income) == received
    assert budget_figures([budget_nord])[budget_nord.pk].received == received
    budget_nord.refresh_from_db()
    commitment.refresh_from_db()
    assert budget_nord.cached_received == commitment.cached_received == received
    assert budgets_reconcile() == commitments_reconcile() == totals_reconcile() == []
    call_command("reconcile_budgets")

    totals = contribution_totals(contribution)
    assert totals.claimed == 12 * full
    assert totals.received == received
    assert totals.waived == full - Decimal("33.33")
    assert totals.open == 10 * full
    # March to November are due and open (today is after the 15th of each of them).
    arrears = arrears_visible_to(caseworker, on=datetime.date(2026, 12, 1))
    assert [c.month.month for c in arrears] == list(range(3, 12))
    # The net cost per help and per help type take the income off the payments.
    per_help = {row.help_id: row for row in net_cost_per_help(budgets=[budget_nord])}
    assert per_help[placement.pk].received == received
    assert per_help[placement.pk].net == per_help[placement.pk].paid - received
    by_type = {row.label: row for row in net_cost_by_help_type(budgets=[budget_nord])}
    assert by_type[placement.help_type.name].received == received
    # Teil IV of the statistics reports the income of the year under the contributions.
    lines = {line["position"]: line for line in spending.rows(2026)}
    assert lines[SpendingPosition.INCOME_CONTRIBUTIONS]["einnahmen_eur"] == euro(received)
    assert lines[SpendingPosition.INCOME_REIMBURSEMENTS]["einnahmen_eur"] == "0,00"


def test_planners_see_income_and_net_cost_in_the_budget_overview(
    client, users, placement, evidence, income_table, budget_nord
):
    caseworker = users["caseworker"]
    contribution = contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=caseworker,
    )  # fmt: skip
    claims_create_for_month(month=datetime.date(2026, 2, 1))
    claim = ContributionClaim.objects.get(contribution=contribution)
    receipt_record(
        claim=claim, amount=Decimal("77.00"), received_on=datetime.date(2026, 2, 20),
        user=caseworker,
    )  # fmt: skip
    client.force_login(users["planner"])
    page = client.get(reverse("budgets:overview"), {"jahr": 2026}).content.decode()
    assert "Einnahmen und Nettokosten" in page
    assert "77,00" in page
    regions = {row.label: row for row in net_cost_by_region(fiscal_year=budget_nord.fiscal_year)}
    assert regions["Nord"].received == Decimal("77.00")
