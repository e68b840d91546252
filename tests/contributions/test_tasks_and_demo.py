"""The claim run from the command and the Celery task (ids and dates only), and the demo."""

from django.core.management import call_command

from budgets.reconciliation import budgets_reconcile, commitments_reconcile
from contributions import tasks
from contributions.demo import demo_build
from contributions.models import (
    ClaimRun,
    ContributionClaim,
    ContributionReceipt,
    ContributionWaiver,
    CostContribution,
)
from contributions.services import contribution_set


def test_command_and_task_claim_a_month_once(
    users, placement, evidence, income_table, tasks_in_process, capsys
):
    contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"],
    )  # fmt: skip
    call_command("contribution_claims", "--monat", "2026-03")
    assert "1 Forderung(en) für 03/2026 angelegt." in capsys.readouterr().out
    tasks.claims_for_month.delay(2026, 3)
    tasks.claims_for_month.delay(2026, 4)
    assert ContributionClaim.objects.count() == 2
    run = ClaimRun.objects.get(month__month=3)
    assert (run.runs, run.claims_created) == (2, 1)


def test_the_demo_adds_a_contribution_with_partial_receipt_and_waiver(placement, income_table):
    demo_build()
    demo_build()  # idempotent
    assert CostContribution.objects.count() == 1
    assert ContributionClaim.objects.count() >= 3
    receipts = list(ContributionReceipt.objects.order_by("claim__month"))
    assert receipts[0].amount < receipts[0].claim.amount  # partial
    assert ContributionWaiver.objects.count() == 1
    assert budgets_reconcile() == [] and commitments_reconcile() == []
