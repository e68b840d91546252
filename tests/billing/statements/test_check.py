"""The team lead's check: approve (the payment order and the ledger's payment in one step), a
corrected amount with a reason, return with a reason, four eyes above the office's threshold,
and never more than the commitment still binds."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from billing.checking import statement_approve, statement_check, statement_return
from billing.models import LineKind, PaymentOrder, StatementStatus
from billing.selectors import check_queue_page, statements_to_check
from billing.statements import LineInput, statement_submit
from budgets.models import Commitment, EntryKind, LedgerEntry
from budgets.selectors import budget_figures
from tests.billing.statements.conftest import APRIL

pytestmark = pytest.mark.django_db


def submitted(users, assignment, hours=("2", "3"), month=APRIL):
    lines = [
        LineInput(
            number=n,
            day=month.replace(day=n + 6),
            kind=LineKind.FACE_TO_FACE,
            quantity=Decimal(h),
        )
        for n, h in enumerate(hours, start=1)
    ]
    return statement_submit(
        user=users["provider_staff"], assignment=assignment, month=month, lines=lines
    )


def test_the_queue_shows_the_regions_open_statements_to_the_team_lead_only(
    users, hourly_assignment
):
    statement = submitted(users, hourly_assignment)
    assert list(statements_to_check(users["team_lead"])) == [statement]
    for other in ("caseworker", "caseworker_sued", "provider_staff", "planner"):
        assert not statements_to_check(users[other]).exists()


def test_the_queue_pages_by_keyset_oldest_month_first(users, hourly_assignment, client):
    """Pages of two: each continues after the last statement shown, also when that one has been
    decided meanwhile; an unknown or foreign id starts at the beginning."""
    months = [datetime.date(2026, m, 1) for m in (6, 4, 5, 7, 3)]
    by_month = {m: submitted(users, hourly_assignment, month=m) for m in months}
    ordered = [by_month[m] for m in sorted(months)]
    lead = users["team_lead"]

    def pks(page):
        return [row["pk"] for row in page.statements]

    first = check_queue_page(user=lead, size=2)
    assert (pks(first), first.total) == ([s.pk for s in ordered[:2]], 5)
    assert first.next_after == ordered[1].pk
    statement_return(user=lead, statement_id=ordered[1].pk, reason="Unterschrift fehlt")
    second = check_queue_page(user=lead, after=first.next_after, size=2)
    assert (pks(second), second.total) == ([s.pk for s in ordered[2:4]], 4)
    last = check_queue_page(user=lead, after=second.next_after, size=2)
    assert (pks(last), last.next_after) == ([ordered[4].pk], None)
    assert pks(check_queue_page(user=lead, after=10**12, size=2)) == [
        ordered[0].pk,
        ordered[2].pk,
    ]
    # The figures of a row: hours delivered and what the commitment still has open.
    row = first.statements[0]
    assert row["hours_delivered"] == Decimal(5)
    assert row["commitment_open"] is not None and row["commitment_open"] > 0

    client.force_login(lead)
    html = client.get(reverse("billing:check_queue"), {"nach": ordered[2].pk}).content.decode()
    assert "Offene Leistungsnachweise: 4" in html
    assert "07/2026" in html and "04/2026" not in html
    assert "Zum Anfang der Warteschlange" in html
    assert "5 / 22,14" in html  # July: 5 hours delivered, 5 a week × 31 days / 7 allowed


def test_approval_books_the_payment_order_and_the_ledger_payment(
    users, hourly_assignment, budget_nord
):
    statement = submitted(users, hourly_assignment)  # 5 h × 60 € = 300 €
    paid_before = budget_figures([budget_nord])[budget_nord.pk].paid

    statement = statement_approve(user=users["team_lead"], statement_id=statement.pk)

    assert statement.status == StatementStatus.APPROVED
    order = PaymentOrder.objects.get()
    assert statement.payment_order == order
    assert order.amount == Decimal("300.00")
    assert (order.period_start, order.period_end) == (APRIL, datetime.date(2026, 4, 30))
    entry = LedgerEntry.objects.get(kind=EntryKind.PAYMENT)
    assert entry.amount == Decimal("300.00")
    assert entry.commitment == Commitment.objects.get(assignment=hourly_assignment)
    assert budget_figures([budget_nord])[budget_nord.pk].paid == paid_before + Decimal("300.00")


def test_a_decided_statement_is_not_approved_twice(users, hourly_assignment):
    statement = submitted(users, hourly_assignment)
    statement_approve(user=users["team_lead"], statement_id=statement.pk)
    with pytest.raises(ValidationError) as refused:
        statement_approve(user=users["team_lead"], statement_id=statement.pk)
    assert "schon entschieden" in refused.value.messages[0]
    assert PaymentOrder.objects.count() == 1


def test_a_corrected_amount_needs_a_reason_and_is_booked(users, hourly_assignment):
    statement = submitted(users, hourly_assignment)
    with pytest.raises(ValidationError) as refused:
        statement_approve(user=users["team_lead"], statement_id=statement.pk, amount=Decimal("240"))
    assert "begründen" in str(refused.value)
    assert not PaymentOrder.objects.exists()

    statement = statement_approve(
        user=users["team_lead"],
        statement_id=statement.pk,
        amount=Decimal("240"),
        reason="Eine Stunde am 8.4. ist im Original nicht unterschrieben.",
    )
    assert statement.approved_amount == Decimal("240.00")
    assert PaymentOrder.objects.get().amount == Decimal("240.00")


def test_more_than_claimed_is_not_approved(users, hourly_assignment):
    statement = submitted(users, hourly_assignment)
    with pytest.raises(ValidationError):
        statement_approve(
            user=users["team_lead"], statement_id=statement.pk, amount=Decimal("400"), reason="x"
        )


def test_return_with_a_reason_lets_the_provider_submit_the_month_again(users, hourly_assignment):
    statement = submitted(users, hourly_assignment)
    with pytest.raises(ValidationError):
        statement_return(user=users["team_lead"], statement_id=statement.pk, reason="  ")
    statement_return(user=users["team_lead"], statement_id=statement.pk, reason="Original fehlt.")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.RETURNED
    assert submitted(users, hourly_assignment).status == StatementStatus.SUBMITTED
    assert not PaymentOrder.objects.exists()


def test_another_regions_team_lead_cannot_decide(users, hourly_assignment, team_sued):
    from tests.factories import UserFactory

    lead_sued = UserFactory(role="team_lead", asd_team=team_sued)
    statement = submitted(users, hourly_assignment)
    with pytest.raises(Http404):
        statement_approve(user=lead_sued, statement_id=statement.pk)
    with pytest.raises(Http404):
        statement_return(user=lead_sued, statement_id=statement.pk, reason="nein")


def test_above_the_threshold_a_second_team_lead_approves(
    users, hourly_assignment, second_lead, settings
):
    settings.FOUR_EYES_THRESHOLD = 200
    statement = submitted(users, hourly_assignment)  # 300 €

    statement = statement_approve(user=users["team_lead"], statement_id=statement.pk)
    assert statement.status == StatementStatus.FIRST_APPROVED
    assert not PaymentOrder.objects.exists()
    with pytest.raises(ValidationError) as refused:
        statement_approve(user=users["team_lead"], statement_id=statement.pk)
    assert "Vier-Augen" in refused.value.messages[0]

    statement = statement_approve(user=second_lead, statement_id=statement.pk)
    assert statement.status == StatementStatus.APPROVED
    assert statement.checked_by == second_lead
    assert PaymentOrder.objects.get().amount == Decimal("300.00")


def test_an_approval_beyond_the_commitment_is_refused_and_books_nothing(
    users, hourly_assignment, settings
):
    settings.FOUR_EYES_THRESHOLD = 1_000_000
    # 24 hours on 25 days of April (36,000 €) is far beyond 5 hours a week for the year.
    lines = [
        LineInput(
            number=n, day=APRIL.replace(day=n), kind=LineKind.FACE_TO_FACE, quantity=Decimal(24)
        )
        for n in range(1, 26)
    ]
    statement = statement_submit(
        user=users["provider_staff"], assignment=hourly_assignment, month=APRIL, lines=lines
    )
    check = statement_check(statement)
    differences = {f.label for f in check.findings if not f.ok}
    assert differences == {"Fachleistungsstunden im Monat", "Betrag innerhalb der Bewilligung"}

    with pytest.raises(ValidationError) as refused:
        statement_approve(user=users["team_lead"], statement_id=statement.pk)

    assert "nicht gebucht" in refused.value.messages[0]
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SUBMITTED
    assert not PaymentOrder.objects.exists()
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
