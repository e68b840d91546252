"""Money follows the work, end to end in a real browser: Träger staff enter a month of hours,
the region's team lead approves it, the ledger has the payment, the budget overview's paid and
forecast figures move, and the cash office's file of the next payment run (CSV and XLSX, both
downloaded in the browser) has the approved Leistungsnachweis's line."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from billing.models import PaymentOrder, ServiceStatement, StatementStatus
from budgets.commissioning import assignment_commission, case_transition
from budgets.models import EntryKind, LedgerEntry, ServiceUnit
from budgets.rates import rate_agreement_add
from cases.models import CaseStatus, HelpType
from cases.services import help_types_ensure
from sozialraum.demo import DEMO_PASSWORD, demo_town_build
from sozialraum.models import Sozialraum, User
from tests.billing.conftest import IBAN_A
from tests.budgets.factories import fiscal_year_build
from tests.cases.conftest import CHILD, decide, intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _paid_of(page, region_code):
    return page.locator(f'tr[data-budget="{region_code}"] td').nth(2).inner_text()


def _forecast_of(page, region_code):
    return page.locator(f'tr[data-budget="{region_code}"] td').nth(4).inner_text()


def _download(page, link_name) -> bytes:
    """Click a download link and return the file the browser received."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name).click()
    download = download_info.value
    assert download.failure() is None
    return Path(download.path()).read_bytes()


def _commissioned_help():
    demo_town_build()  # the ground floor: regions, providers, accounts
    help_types_ensure()
    planner = User.objects.get(username="planung")
    caseworker = User.objects.get(username="asd-nord")
    provider = User.objects.get(username="traeger-a").provider
    # The cash office pays to the bank details of the master data; a run holds back orders of a
    # provider without a valid IBAN.
    provider.iban, provider.creditor_number = IBAN_A, "70001"
    provider.save(update_fields=["iban", "creditor_number"])
    fiscal_year_build(
        planner=planner, shares={"N": Decimal("500000.00"), "S": Decimal("400000.00")}
    )
    rate_agreement_add(
        user=planner,
        provider=provider,
        unit=ServiceUnit.HOURLY,
        valid_from=datetime.date(2026, 1, 1),
        rate=Decimal("60.00"),
        travel_billable=True,
    )
    sozialraum = Sozialraum.objects.filter(region__code="N").order_by("pk").first()
    case = intake(user=caseworker, sozialraum=sozialraum, opened_on=datetime.date(2026, 2, 2))
    case = case_transition(user=caseworker, case=case, to_status=CaseStatus.CLARIFICATION)
    help_ = decide(
        user=caseworker,
        case=case,
        help_type=HelpType.objects.get(code="31"),
        starts_on=datetime.date(2026, 3, 2),
        planned_end_on=datetime.date(2027, 2, 28),
    )
    return assignment_commission(
        user=caseworker,
        help_=help_,
        provider=provider,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    ).assignment


def test_provider_enters_a_month_and_the_team_lead_approves_it_into_the_ledger(live_server, page):
    assignment = _commissioned_help()

    _login(page, live_server, "leitung-nord")
    page.get_by_role("link", name="Budgets", exact=True).click()
    paid_before = _paid_of(page, "N")
    forecast_before = _forecast_of(page, "N")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden/")

    _login(page, live_server, "traeger-a")
    page.get_by_role("link", name="Leistungsnachweise").click()
    page.get_by_role("link", name=f"Monat erfassen für Falldurchführung {assignment.pk}").click()
    page.get_by_label("Monat").select_option(label="04/2026")
    rows = [("2026-04-07", "2,5"), ("2026-04-14", "2"), ("2026-04-21", "3")]
    for number, (day, hours) in enumerate(rows, start=1):
        page.get_by_label(f"Datum Zeile {number}", exact=True).fill(day)
        page.get_by_label(f"Art Zeile {number}", exact=True).select_option("face_to_face")
        page.get_by_label(f"Menge Zeile {number}", exact=True).fill(hours)
    page.get_by_role("button", name="Einreichen").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "eingereicht" in main
    assert "450,00\u00a0€" in main  # 7,5 h × 60 €
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden/")

    _login(page, live_server, "leitung-nord")
    page.goto(f"{live_server.url}/pruefung/leistungsnachweise/")
    page.get_by_role("link", name=f"04/2026 Fall {assignment.case.number} prüfen").click()
    assert "keine Abweichungen" in page.locator("main").inner_text()
    page.get_by_role("button", name="Freigeben").click()
    page.wait_for_load_state()
    assert "Auszahlungsanordnung ist gebucht" in page.locator("main").inner_text()

    statement = ServiceStatement.objects.get()
    assert statement.status == StatementStatus.APPROVED
    order = PaymentOrder.objects.get()
    assert order.amount == Decimal("450.00")
    payment_entry = LedgerEntry.objects.get(kind=EntryKind.PAYMENT)
    assert payment_entry.amount == Decimal("450.00")
    assert payment_entry.commitment.assignment_id == assignment.pk

    page.get_by_role("link", name="Budgets", exact=True).click()
    assert _paid_of(page, "N") != paid_before
    assert _paid_of(page, "N").startswith("450,00")
    # April is invoiced: the forecast takes the approved 450 € instead of the month's plan.
    assert _forecast_of(page, "N") != forecast_before

    # The team lead orders payments too: a payment run takes the open order, and the cash
    # office's file has its line (bank details from the master data, no child's name).
    page.goto(f"{live_server.url}/zahlungen/zahllaeufe/")
    page.get_by_role("button", name=re.compile(r"^Zahllauf mit 1 offenen Anordnung")).click()
    page.wait_for_load_state()
    assert "ist angelegt" in page.locator("main").inner_text()
    provider = assignment.provider
    expected = {
        "Anordnungsnummer": order.number,
        "Zahlungsempfänger": provider.name,
        "Kreditorennummer": "70001",
        "IBAN": IBAN_A,
    }

    body = _download(page, "Datei für die Stadtkasse (CSV)")
    header, *lines = csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";")
    assert len(lines) == 1
    line = dict(zip(header, lines[0], strict=True))
    assert {key: line[key] for key in expected} == expected
    assert line["Betrag (€)"] == "450,00"
    assert line["Verwendungszweck"].startswith(order.number)
    assert "04.2026" in line["Verwendungszweck"]
    assert CHILD.last_name not in body.decode("utf-8-sig")

    body = _download(page, "Datei für die Stadtkasse (XLSX)")
    header, *rows = load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert {key: row[key] for key in expected} == expected
    assert Decimal(str(row["Betrag (€)"])) == Decimal("450.00")
    assert row["Verwendungszweck"] == line["Verwendungszweck"]
