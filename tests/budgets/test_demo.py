"""The demo town's budgets: built once, readable, and with a request for `planung` to approve."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from budgets.models import FiscalYear, LedgerText, ReserveTransferRequest, TransferStatus
from budgets.reconciliation import budgets_reconcile
from budgets.selectors import budget_figures
from cases.models import Assignment
from sozialraum.models import User
from tests.budgets.factories import region_budget

THIS = timezone.localdate().year  # the demo's two fiscal years: last year and this


@pytest.fixture
def demo(db):
    call_command("demo_town", verbosity=0)


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_demo_budgets_are_built_once_and_reconcile(demo):
    before = _counts()
    call_command("demo_town", verbosity=0)
    assert _counts() == before  # nothing added anywhere, in the ledger or elsewhere
    assert before["budgets.LedgerEntry"] > 0
    assert list(FiscalYear.objects.order_by("year").values_list("year", flat=True)) == [
        THIS - 1,
        THIS,
    ]
    assert budgets_reconcile() == []


def test_planung_approves_the_open_request_of_leitung_nord(client, demo):
    transfer = ReserveTransferRequest.objects.get(status=TransferStatus.PENDING)
    assert transfer.requested_by.username == "leitung-nord"
    budget = transfer.budget
    before = budget_figures([budget])[budget.pk].allocated
    client.force_login(User.objects.get(username="planung"))
    assert "1 offen" in client.get(reverse("budgets:overview") + f"?jahr={THIS}").content.decode()
    response = client.post(
        reverse("budgets:transfer_decide", args=[transfer.pk]),
        {"decision": "approve", "confirmed": "True"},
    )
    assert response.status_code == 302
    assert budget_figures([budget])[budget.pk].allocated == before + Decimal("25000.00")


@pytest.mark.parametrize("username", ["planung", "admin", "asd-nord", "leitung-nord", "asd-sued"])
def test_demo_budget_pages_open_for_office_roles(client, demo, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("budgets:overview") + f"?jahr={THIS - 1}").status_code == 200
    html = client.get(reverse("budgets:overview") + f"?jahr={THIS}").content.decode()
    assert "Budget Region" in html
    region = "S" if username == "asd-sued" else "N"
    budget = region_budget(FiscalYear.objects.get(year=THIS), region)
    assert client.get(reverse("budgets:budget_detail", args=[budget.pk])).status_code == 200
    if username in ("planung", "admin"):
        for part in ("buchungen", "uebersicht", "arten", "traeger", "sozialraeume"):
            for extension in ("csv", "xlsx"):
                url = reverse("budgets:export", args=[THIS, part, extension])
                assert client.get(url).status_code == 200, url


def test_demo_carry_over_shows_in_this_year(demo):
    budget = region_budget(FiscalYear.objects.get(year=THIS), "N")
    assert budget_figures([budget])[budget.pk].carried_in == Decimal("35000.00")


def test_demo_assignments_are_bound_in_their_region_budget(demo):
    assignments = Assignment.objects.filter(starts_on__year__in=[THIS - 1, THIS])
    assert assignments.exists()
    for assignment in assignments.select_related("case"):
        first = assignment.commitments.order_by("starts_on").first()
        assert first.budget.region_id == assignment.case.region_id
        assert first.budget.fiscal_year.year == assignment.starts_on.year


def test_demo_shows_one_erased_ledger_text(client, demo):
    """Issue 27: one payment's text erased by the retention period; its entry and sums stay."""
    (erased,) = LedgerText.objects.filter(erased_on__isnull=False).select_related("entry__budget")
    assert erased.entry.text.startswith("Text gelöscht am ")
    assert erased.entry.text.endswith("(Aufbewahrungsfrist)")
    assert budgets_reconcile() == []
    client.force_login(User.objects.get(username="planung"))
    commitment = erased.entry.commitment
    html = client.get(reverse("budgets:commitment_detail", args=[commitment.pk])).content.decode()
    assert erased.entry.text in html
