"""The demo town's reimbursement: a part-paid claim, a disputed one and another office's claim
waiting for the check of leitung-nord; the ledger reconciles, the pages open for leitung-nord."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.reconciliation import budgets_reconcile, commitments_reconcile, totals_reconcile
from reimbursements.models import ClaimStatus, ReceivedClaim, ReceivedStatus, ReimbursementClaim
from sozialraum.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo town once for the module (built twice: the demo is idempotent), rolled back."""
    from django.conf import settings
    from django.db import transaction

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo_town", verbosity=0)
            call_command("demo_town", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT = media


def test_demo_has_a_claim_in_each_state_and_reconciles(demo, client):
    statuses = set(ReimbursementClaim.objects.values_list("status", flat=True))
    assert statuses == {ClaimStatus.PART_PAID, ClaimStatus.DISPUTED}
    assert ReceivedClaim.objects.filter(status=ReceivedStatus.RECEIVED).count() == 1
    assert budgets_reconcile() == [] and commitments_reconcile() == [] and totals_reconcile() == []
    client.force_login(User.objects.get(username="leitung-nord"))
    response = client.get(reverse("reimbursements:home"))
    assert response.status_code == 200
    assert "wartet auf Ihre Prüfung" in response.content.decode()
    for claim in ReimbursementClaim.objects.all():
        assert (
            client.get(reverse("reimbursements:claim_detail", args=[claim.pk])).status_code == 200
        )
    received = ReceivedClaim.objects.get()
    assert (
        client.get(reverse("reimbursements:received_detail", args=[received.pk])).status_code == 200
    )
