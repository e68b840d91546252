"""The stored projection (`Budget.cached_projection`) and the totals by provider and Sozialraum
(`CommitmentPlaceTotal`) equal a fresh recomputation from the commitments after every kind of
change, the pages read them, and the reconciliation finds a wrong one."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F, Sum
from django.urls import reverse

from budgets.models import Budget, Commitment, CommitmentPlaceTotal, CostBasis, EntryKind
from budgets.reconciliation import budgets_reconcile, place_totals_reconcile, totals_reconcile
from budgets.services import (
    commitment_book,
    commitment_correct,
    commitment_end,
    entry_reverse,
    payment_book,
)
from cases.models import CaseKind
from sozialraum.money import money_round
from tests.factories import SozialraumFactory

pytestmark = pytest.mark.django_db
D = datetime.date
ZERO = Decimal("0.00")


@pytest.fixture(autouse=True)
def _in_2026():
    with time_machine.travel(datetime.datetime(2026, 5, 10, 9, 0), tick=True):
        yield


def _book(users, budget, title, *, provider, sozialraum, monthly="1000", ends_on=None):
    return commitment_book(
        budget=budget,
        kind=CaseKind.INDIVIDUAL,
        title=title,
        by=users["caseworker"],
        basis=CostBasis.MONTHLY,
        monthly_cost=Decimal(monthly),
        starts_on=D(2026, 1, 1),
        ends_on=ends_on,
        provider=provider,
        sozialraum=sozialraum,
    )


def _invoice(users, commitment, amount, first, last):
    return payment_book(
        commitment=commitment,
        amount=Decimal(amount),
        paid_on=D(2026, 5, 2),
        by=users["caseworker"],
        period_start=first,
        period_end=last,
    )


def _projection_recomputed(budget):
    """The sum the overview used to run over the commitments."""
    extra = Commitment.objects.filter(
        budget=budget, ended_on__isnull=True, is_cancelled=False
    ).aggregate(s=Sum(F("year_end_amount") - F("cached_bound")))["s"]
    return money_round(extra or ZERO)


def _breakdown_recomputed(budget, key, empty):
    rows = (
        Commitment.objects.filter(budget=budget)
        .values(key)
        .annotate(bound=Sum("cached_bound"), paid=Sum("cached_paid"))
        .order_by(key)
    )
    return [
        (
            row[key] if row[key] is not None else empty,
            money_round(row["bound"]),
            money_round(row["paid"]),
        )
        for row in rows
    ]


def _shown(rows):
    return [(row.label, row.committed, row.paid) for row in rows]


def _assert_pages_agree(client, users, budget):
    budget.refresh_from_db()
    projection = _projection_recomputed(budget)
    assert budget.cached_projection == projection
    client.force_login(users["planner"])
    overview = client.get(reverse("budgets:overview") + "?jahr=2026")
    assert overview.status_code == 200
    row = next(r for r in overview.context["overview"].rows if r.budget.pk == budget.pk)
    assert row.figures.projection == projection
    client.force_login(users["team_lead"])
    detail = client.get(reverse("budgets:budget_detail", args=[budget.pk]))
    assert detail.status_code == 200
    assert detail.context["figures"].projection == projection
    assert _shown(detail.context["by_provider"]) == _breakdown_recomputed(
        budget, "provider__name", "ohne Träger"
    )
    assert _shown(detail.context["by_sozialraum"]) == _breakdown_recomputed(
        budget, "sozialraum__name", "ohne Sozialraum"
    )
    assert budgets_reconcile() == []
    assert totals_reconcile() == []
    assert place_totals_reconcile() == []


def test_projection_and_place_totals_follow_every_change(
    client, users, budget_nord, provider_a, provider_b, sozialraum_nord, team_nord
):
    other_place = SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N2")
    # Running to 31 December: binds what it projects. Approved to June: projects the rest.
    a = _book(users, budget_nord, "Hilfe A", provider=provider_a, sozialraum=sozialraum_nord)
    b = _book(
        users,
        budget_nord,
        "Hilfe B",
        provider=provider_b,
        sozialraum=other_place,
        monthly="2000",
        ends_on=D(2026, 6, 30),
    )
    c = _book(users, budget_nord, "Hilfe C", provider=None, sozialraum=None, monthly="500")
    d = _book(users, budget_nord, "Hilfe D", provider=provider_a, sozialraum=other_place)
    _assert_pages_agree(client, users, budget_nord)
    assert budget_nord.cached_projection == Decimal("12000.00")  # B: July to December

    # Invoices with service periods move the forecast (absences in January).
    _invoice(users, b, "1500.00", D(2026, 1, 1), D(2026, 1, 31))
    paid_a = _invoice(users, a, "800.00", D(2026, 1, 1), D(2026, 1, 31))
    _invoice(users, a, "1000.00", D(2026, 2, 1), D(2026, 2, 28))
    _assert_pages_agree(client, users, budget_nord)
    assert budget_nord.cached_projection == Decimal("11300.00")

    # A payment reversed: its month is plan again.
    entry_reverse(entry=paid_a.entry, by=users["caseworker"], reason="falscher Monat")
    _assert_pages_agree(client, users, budget_nord)

    # B ends early (releases money), C is cancelled, D is corrected.
    release = commitment_end(
        commitment=b, ended_on=D(2026, 3, 31), by=users["caseworker"], reason="Ende"
    )
    _assert_pages_agree(client, users, budget_nord)
    entry_reverse(
        entry=c.entries.get(kind=EntryKind.COMMITMENT), by=users["caseworker"], reason="Irrtum"
    )
    _assert_pages_agree(client, users, budget_nord)
    commitment_correct(
        commitment=d,
        by=users["caseworker"],
        reason="Kosten höher",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 9, 30),
        monthly_cost=Decimal("1200"),
    )
    _assert_pages_agree(client, users, budget_nord)

    # The release of B reversed: B runs again and projects again.
    assert release is not None
    entry_reverse(entry=release, by=users["team_lead"], reason="doch weiter")
    _assert_pages_agree(client, users, budget_nord)
    b.refresh_from_db()
    assert b.ended_on is None


def test_reconcile_reports_a_wrong_projection_and_a_wrong_place_total(
    users, budget_nord, provider_a, sozialraum_nord
):
    _book(
        users,
        budget_nord,
        "Hilfe",
        provider=provider_a,
        sozialraum=sozialraum_nord,
        ends_on=D(2026, 6, 30),
    )
    assert budgets_reconcile() == [] and place_totals_reconcile() == []
    Budget.objects.filter(pk=budget_nord.pk).update(cached_projection=F("cached_projection") + 1)
    CommitmentPlaceTotal.objects.filter(budget=budget_nord).update(paid=Decimal("7.00"))
    [difference] = budgets_reconcile()
    assert difference.figure == "projection"
    assert difference.cached == difference.ledger + 1
    [place] = place_totals_reconcile()
    assert (place.provider_id, place.sozialraum_id, place.figure) == (
        provider_a.pk,
        sozialraum_nord.pk,
        "paid",
    )
    assert (place.cached, place.ledger) == (Decimal("7.00"), ZERO)
    with pytest.raises(CommandError, match="2 Abweichung"):
        call_command("reconcile_budgets")
