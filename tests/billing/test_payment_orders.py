"""Payment orders: an approved sum becomes a payment in the ledger, and a numbered run becomes
the cash office's file (CSV/XLSX), the same bytes on every export."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from billing.models import PaymentOrder, PaymentRun, PaymentRunLine
from billing.payment_orders import Payee, payment_order_book
from billing.payment_runs import (
    payment_run_create,
    payment_run_export,
    payment_run_lines_page,
    payment_run_total,
)
from budgets.models import EntryKind, LedgerEntry
from budgets.selectors import budget_figures, commitment_figures
from budgets.services import entry_reverse
from tests.billing.conftest import IBAN_A
from tests.budgets.factories import project_book

pytestmark = pytest.mark.django_db

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


@pytest.fixture(autouse=True)
def _in_2026():
    with time_machine.travel(datetime.datetime(2026, 4, 10, 9, 0), tick=True):
        yield


@pytest.fixture
def commitment(users, budget_nord, provider_a_banked):
    # The title names the child, as case commitments do: it must never reach the cash office.
    return project_book(
        budget=budget_nord,
        by=users["caseworker"],
        amount="3000.00",
        title="Hilfe für Max Mustermann",
        provider=provider_a_banked,
    )


def order_book(commitment, user, amount="1234.56", period=MARCH):
    return payment_order_book(
        commitment=commitment,
        amount=Decimal(amount),
        period_start=period[0],
        period_end=period[1],
        purpose="Leistungsnachweis März 2026",
        approved_by=user,
    )


def test_order_is_booked_as_a_payment_against_the_commitment(users, commitment, budget_nord):
    order = order_book(commitment, users["planner"])
    payment = order.payment
    assert payment.amount == Decimal("1234.56")
    assert (payment.period_start, payment.period_end) == MARCH
    entry = LedgerEntry.objects.get(payment=payment)
    assert entry.kind == EntryKind.PAYMENT and entry.commitment == commitment
    assert commitment_figures(commitment).paid == Decimal("1234.56")
    assert budget_figures([budget_nord])[budget_nord.pk].paid == Decimal("1234.56")
    assert order.number.startswith("AO-2026-")


def test_order_above_the_commitment_is_refused_and_books_nothing(users, commitment):
    order_book(commitment, users["planner"], amount="2500.00")
    with pytest.raises(ValidationError) as refused:
        order_book(commitment, users["team_lead"], amount="600.00")
    assert "höher als der noch offene Betrag" in " ".join(refused.value.messages)
    assert PaymentOrder.objects.count() == 1
    assert commitment_figures(commitment).paid == Decimal("2500.00")


@pytest.mark.parametrize("role", ["caseworker", "provider_staff"])
def test_only_the_checking_roles_order_payments(users, commitment, role):
    with pytest.raises(ValidationError, match="Auszahlungen ordnen"):
        order_book(commitment, users[role])
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()


def test_upside_down_period_and_zero_amount_are_refused(users, commitment):
    with pytest.raises(ValidationError, match="vor dem Beginn"):
        order_book(commitment, users["planner"], period=(MARCH[1], MARCH[0]))
    with pytest.raises(ValidationError, match="größer als null"):
        order_book(commitment, users["planner"], amount="0")


def test_reversed_order_stays_out_of_the_run(users, commitment):
    kept = order_book(commitment, users["planner"], amount="100.00")
    wrong = order_book(commitment, users["planner"], amount="200.00")
    entry_reverse(entry=wrong.payment.entry, by=users["planner"], reason="Doppelt angeordnet")
    run = payment_run_create(by=users["planner"]).run
    assert [line.order for line in run.lines.all()] == [kept]


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_run_file_has_the_cash_office_columns_without_the_childs_name(
    users, commitment, provider_b, budget_nord
):
    order = order_book(commitment, users["planner"])
    # Träger B has no IBAN yet: its order stays open and is named.
    other = project_book(
        budget=budget_nord, by=users["caseworker"], amount="500.00", provider=provider_b
    )
    held = order_book(other, users["planner"], amount="50.00")
    result = payment_run_create(by=users["planner"])
    run = result.run
    assert run.label == "2026-0001"
    assert any(
        "keine gültige IBAN" in note and provider_b.name in note for note in result.held_back
    )
    rows = _csv_rows(payment_run_export(run=run, extension="csv"))
    assert rows[0] == [
        "Zahllauf", "Position", "Anordnungsnummer", "Zahlungsempfänger", "Kreditorennummer",
        "IBAN", "BIC", "Betrag (€)", "Verwendungszweck", "Kostenstelle", "Haushaltsstelle",
    ]  # fmt: skip
    assert len(rows) == 2
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["IBAN"] == IBAN_A and line["Kreditorennummer"] == "700123"
    assert line["Betrag (€)"] == "1234,56"
    assert line["Zahlungsempfänger"] == commitment.provider.name
    assert order.number in line["Verwendungszweck"]
    assert "01.03.2026-31.03.2026" in line["Verwendungszweck"]
    assert "Mustermann" not in "".join(rows[1])
    assert line["Kostenstelle"] == "N"
    assert line["Haushaltsstelle"] == "3630.7690.02"
    sheet = load_workbook(io.BytesIO(payment_run_export(run=run, extension="xlsx"))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][5] == IBAN_A and values[1][7] == 1234.56
    # The held-back order goes into the next run once Träger B's IBAN is there.
    provider_b.iban = "DE02 1203 0000 0000 2020 51"
    provider_b.full_clean()
    provider_b.save()
    second = payment_run_create(by=users["planner"]).run
    assert second.label == "2026-0002"
    assert [line.order for line in second.lines.all()] == [held]


def test_run_is_exported_again_byte_for_byte(users, commitment):
    order_book(commitment, users["planner"])
    run = payment_run_create(by=users["planner"]).run
    first = {ext: payment_run_export(run=run, extension=ext) for ext in ("csv", "xlsx")}
    # Later, and after the provider changed its bank: the run's file does not change.
    provider = commitment.provider
    provider.iban = "DE02120300000000202051"
    provider.save()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, 0, 7)):
        again = {ext: payment_run_export(run=run, extension=ext) for ext in ("csv", "xlsx")}
    assert again == first


def test_an_order_goes_into_one_run_only(users, commitment):
    order = order_book(commitment, users["planner"])
    run = payment_run_create(by=users["planner"]).run
    with pytest.raises(ValidationError, match="keine offenen Auszahlungsanordnungen"):
        payment_run_create(by=users["planner"])
    other = PaymentRun.objects.create(year=2026, number=99, created_by=users["planner"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRunLine.objects.create(
            run=other, order=order, position=1, creditor="x", iban=IBAN_A,
            amount=order.amount, purpose="x", cost_centre="N", budget_line="x",
        )  # fmt: skip
    assert run.lines.count() == 1


def test_invalid_iban_is_refused_with_a_german_message(provider_a):
    provider_a.iban = "DE89370400440532013001"
    with pytest.raises(ValidationError) as refused:
        provider_a.full_clean()
    assert "Prüfziffer der IBAN stimmt nicht" in refused.value.message_dict["iban"][0]
    provider_a.iban = "DE8937040044"
    with pytest.raises(ValidationError) as refused:
        provider_a.full_clean()
    assert "IBAN" in refused.value.message_dict["iban"][0]
    provider_a.iban, provider_a.bic = IBAN_A, "FOO"
    with pytest.raises(ValidationError) as refused:
        provider_a.full_clean()
    assert "BIC" in refused.value.message_dict["bic"][0]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("planner", 200),
        ("team_lead", 200),
        ("admin", 200),
        ("caseworker", 403),
        ("provider_staff", 403),
    ],
)
def test_cash_office_file_only_for_the_checking_roles(client, users, commitment, role, status):
    order_book(commitment, users["planner"])
    run = payment_run_create(by=users["planner"]).run
    client.force_login(users[role])
    for url in (
        reverse("billing:payment_run_list"),
        reverse("billing:payment_run_detail", args=[run.pk]),
        reverse("billing:payment_run_file", args=[run.pk, "csv"]),
        reverse("billing:payment_run_file", args=[run.pk, "xlsx"]),
    ):
        assert client.get(url).status_code == status, url


def test_pages_create_a_run_and_serve_its_file(client, users, commitment):
    order = order_book(commitment, users["planner"])
    client.force_login(users["planner"])
    page = client.get(reverse("billing:payment_run_list"))
    assert order.number in page.content.decode()
    response = client.post(reverse("billing:payment_run_create"), follow=True)
    run = PaymentRun.objects.get()
    assert "Zahllauf 2026-0001 ist angelegt" in response.content.decode()
    response = client.get(reverse("billing:payment_run_file", args=[run.pk, "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="zahllauf-2026-0001.csv"'
    assert order.number in response.content.decode("utf-8-sig")
    # A second click finds nothing open: a German message, no new run.
    response = client.post(reverse("billing:payment_run_create"), follow=True)
    assert "keine offenen Auszahlungsanordnungen" in response.content.decode()
    assert PaymentRun.objects.count() == 1
    assert client.get(reverse("billing:payment_run_file", args=[run.pk, "pdf"])).status_code == 404


def test_run_page_pages_its_lines_and_sums_them_all(client, users, commitment):
    """A run of a large city has tens of thousands of lines: the page shows them in pages (by
    position), the sum and the count cover the whole run, and the file has every line."""
    orders = [order_book(commitment, users["planner"], amount=f"{100 + n}.00") for n in range(3)]
    run = payment_run_create(by=users["planner"]).run
    client.force_login(users["planner"])

    first, after = payment_run_lines_page(run=run, size=2)
    assert [line.order for line in first] == orders[:2]
    assert after == 2
    rest, after = payment_run_lines_page(run=run, after=after, size=2)
    assert ([line.order for line in rest], after) == (orders[2:], None)
    assert payment_run_total(run) == Decimal("303.00")
    html = client.get(reverse("billing:payment_run_detail", args=[run.pk])).content.decode()
    assert "Positionen: 3" in html and all(order.number in html for order in orders)
    html = client.get(
        reverse("billing:payment_run_detail", args=[run.pk]), {"nach": 2}
    ).content.decode()
    assert orders[2].number in html and orders[0].number not in html
    assert "Zur ersten Position" in html
    assert len(_csv_rows(payment_run_export(run=run, extension="csv"))) == 4


def test_an_order_with_its_own_payee_is_paid_to_it_not_to_the_provider(users, commitment):
    """Another youth office's claim: the run takes the bank details frozen on the order."""
    own = payment_order_book(
        commitment=commitment,
        amount=Decimal("99.00"),
        period_start=MARCH[0],
        period_end=MARCH[1],
        purpose="Kostenerstattung",
        approved_by=users["planner"],
        payee=Payee(name="Jugendamt Beispielstadt", iban="DE02 1203 0000 0000 2020 51"),
    )
    order_book(commitment, users["planner"])
    run = payment_run_create(by=users["planner"]).run
    lines = {line.order_id: line for line in run.lines.all()}
    assert (lines[own.pk].creditor, lines[own.pk].iban) == (
        "Jugendamt Beispielstadt",
        "DE02120300000000202051",
    )
    assert len({line.creditor for line in lines.values()}) == 2
