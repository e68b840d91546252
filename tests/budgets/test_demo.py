"""The demo town's budgets: built once, readable, and with a request for `planung` to approve."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.models import FiscalYear, LedgerEntry, ReserveTransferRequest, TransferStatus
from budgets.reconciliation import budgets_reconcile
from budgets.selectors import budget_figures
from cases.models import Assignment
from sozialraum.models import User
from tests.budgets.factories import region_budget


@pytest.fixture
def demo(db):
    call_command("demo_town", verbosity=0)


def test_demo_budgets_are_built_once_and_reconcile(demo):
    entries = LedgerEntry.objects.count()
    call_command("demo_town", verbosity=0)
    assert LedgerEntry.objects.count() == entries > 0
    assert budgets_reconcile() == []


def test_planung_approves_the_open_request_of_leitung_nord(client, demo):
    transfer = ReserveTransferRequest.objects.get(status=TransferStatus.PENDING)
    assert transfer.requested_by.username == "leitung-nord"
    budget = transfer.budget
    before = budget_figures([budget])[budget.pk].allocated
    client.force_login(User.objects.get(username="planung"))
    assert "1 offen" in client.get(reverse("budgets:overview") + "?jahr=2026").content.decode()
    response = client.post(
        reverse("budgets:transfer_decide", args=[transfer.pk]),
        {"decision": "approve", "confirmed": "True"},
    )
    assert response.status_code == 302
    assert budget_figures([budget])[budget.pk].allocated == before + Decimal("25000.00")


@pytest.mark.parametrize("username", ["planung", "admin", "asd-nord", "leitung-nord", "asd-sued"])
def test_demo_budget_pages_open_for_office_roles(client, demo, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("budgets:overview") + "?jahr=2025").status_code == 200
    html = client.get(reverse("budgets:overview") + "?jahr=2026").content.decode()
    assert "Budget Region" in html
    region = "S" if username == "asd-sued" else "N"
    budget = region_budget(FiscalYear.objects.get(year=2026), region)
    assert client.get(reverse("budgets:budget_detail", args=[budget.pk])).status_code == 200
    if username in ("planung", "admin"):
        for part in ("buchungen", "uebersicht", "arten", "traeger", "sozialraeume"):
            for extension in ("csv", "xlsx"):
                url = reverse("budgets:export", args=[2026, part, extension])
                assert client.get(url).status_code == 200, url


def test_demo_carry_over_shows_in_2026(demo):
    budget = region_budget(FiscalYear.objects.get(year=2026), "N")
    assert budget_figures([budget])[budget.pk].carried_in == Decimal("35000.00")


def test_demo_assignments_are_bound_in_their_region_budget(demo):
    assignments = Assignment.objects.filter(starts_on__year__in=[2025, 2026])
    assert assignments.exists()
    for assignment in assignments.select_related("case"):
        first = assignment.commitments.order_by("starts_on").first()
        assert first.budget.region_id == assignment.case.region_id
        assert first.budget.fiscal_year.year == assignment.starts_on.year
