"""Budget pages: who sees what, German forms that keep input, exports that match the overview."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import FiscalYear, LedgerEntry, ReserveTransferRequest
from budgets.selectors import budget_figures, year_overview
from budgets.services import (
    commitment_end,
    entry_reverse,
    payment_book,
    reserve_transfer_request,
)
from sozialraum.money import money_format, money_round
from tests.budgets.factories import fiscal_year_build, project_book, region_budget, reserve_budget
from tests.conftest import page_query_limit


def cents(number) -> Decimal:
    return money_round(str(number))


ROLES = ["caseworker", "team_lead", "provider_staff", "planner", "admin"]


@pytest.fixture
def booked(users, fiscal_year, budget_nord, provider_a):
    commitment = project_book(
        budget=budget_nord, by=users["caseworker"], amount="12345.67", provider=provider_a
    )
    payment_book(
        commitment=commitment,
        amount=Decimal("2345.67"),
        paid_on=datetime.date(2026, 4, 1),
        by=users["caseworker"],
    )
    return commitment


# Access -----------------------------------------------------------------------------------------

PAGES = {
    # page → roles that get 200; the others get 403
    "overview": {"caseworker", "team_lead", "planner", "admin"},
    "fiscal_year_create": {"planner", "admin"},
    "split": {"planner", "admin"},
    "transfer_list": {"team_lead", "planner", "admin"},
    "budget_detail": {"caseworker", "team_lead", "planner", "admin"},
    "commitment_create": {"caseworker", "team_lead"},
    "commitment_detail": {"caseworker", "team_lead", "planner", "admin"},
    "carry_over": {"planner", "admin"},
    "transfer_request": {"team_lead"},
    "export": {"planner", "admin"},
}


def _url(page, fiscal_year, budget, commitment):
    args = {
        "split": [fiscal_year.year],
        "budget_detail": [budget.pk],
        "commitment_create": [budget.pk],
        "commitment_detail": [commitment.pk],
        "carry_over": [budget.pk],
        "transfer_request": [budget.pk],
        "export": [fiscal_year.year, "buchungen", "csv"],
    }.get(page, [])
    return reverse(f"budgets:{page}", args=args)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_role_reaches_its_budget_pages_and_gets_403_elsewhere(
    client, users, fiscal_year, budget_nord, booked, role, page
):
    client.force_login(users[role])
    response = client.get(_url(page, fiscal_year, budget_nord, booked))
    assert response.status_code == (200 if role in PAGES[page] else 403)


@pytest.mark.parametrize(
    "page", ["budget_detail", "commitment_create", "commitment_detail", "transfer_request"]
)
def test_foreign_regions_objects_are_not_found(client, users, fiscal_year, booked, page):
    # Süd's caseworker (or Nord's team lead for Süd's budget) must not learn they exist.
    sued = region_budget(fiscal_year, "S")
    client.force_login(users["caseworker_sued"])
    if page == "transfer_request":
        client.force_login(users["team_lead"])
        response = client.get(_url(page, fiscal_year, sued, booked))
    else:
        response = client.get(_url(page, fiscal_year, region_budget(fiscal_year, "N"), booked))
    assert response.status_code == 404


def test_asd_overview_shows_own_region_only_planner_sees_all(client, users, fiscal_year, booked):
    client.force_login(users["caseworker"])
    html = client.get(reverse("budgets:overview")).content.decode()
    assert "Budget Region Nord" in html
    assert "Budget Region Süd" not in html
    assert "Vorwegabzug</a>" not in html
    client.force_login(users["planner"])
    html = client.get(reverse("budgets:overview") + "?jahr=2026").content.decode()
    assert "Budget Region Süd" in html and "Vorwegabzug</a>" in html


def test_foreign_entry_cannot_be_reversed(client, users, booked):
    entry = booked.entries.get(kind="commitment")
    client.force_login(users["caseworker_sued"])
    response = client.post(reverse("budgets:entry_reverse", args=[entry.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert not LedgerEntry.objects.filter(reverses=entry).exists()


def test_budget_navigation_for_office_roles_only(client, users):
    for role in ROLES:
        client.force_login(users[role])
        html = client.get(reverse("sozialraum_list")).content.decode()
        assert (f'href="{reverse("budgets:overview")}"' in html) == (role != "provider_staff")


# Forms ------------------------------------------------------------------------------------------


def test_planner_sets_up_a_year_with_german_amounts(client, users, team_nord, team_sued):
    client.force_login(users["planner"])
    response = client.post(
        reverse("budgets:fiscal_year_create"),
        {
            "year": "2027",
            "total": "1.200.000,00",
            "reserve_kind": "percent",
            "reserve_value": "7,5",
        },
    )
    assert response.status_code == 302
    fiscal_year = FiscalYear.objects.get(year=2027)
    assert fiscal_year.total == Decimal("1200000.00")
    assert fiscal_year.reserve.resolved_amount == Decimal("90000.00")
    split_url = reverse("budgets:split", args=[2027])
    assert response.url == split_url
    response = client.post(
        split_url,
        {
            f"share_{team_nord.region.pk}": "600.000,00",
            f"share_{team_sued.region.pk}": "510.000,00",
            "method": "manual",
            "rationale": "Nord hat mehr Minderjährige.",
        },
    )
    assert response.status_code == 302
    assert budget_figures([region_budget(fiscal_year, "N")])[
        region_budget(fiscal_year, "N").pk
    ].allocated == Decimal("600000.00")


def test_split_that_does_not_add_up_shows_the_error_and_keeps_the_input(
    client, users, fiscal_year, team_nord, team_sued
):
    client.force_login(users["planner"])
    response = client.post(
        reverse("budgets:split", args=[2026]),
        {
            f"share_{team_nord.region.pk}": "450.000,00",
            f"share_{team_sued.region.pk}": "abc",
            "method": "manual",
            "rationale": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "450.000,00" in html and 'value="abc"' in html
    assert "Zahl" in html  # Django's German "Bitte eine Zahl eingeben."


def test_commitment_over_budget_is_refused_in_the_form(client, users, budget_nord):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("budgets:commitment_create", args=[budget_nord.pk]),
        {
            "kind": "cross_case",
            "title": "Großprojekt",
            "amount": "600.000,00",
            "starts_on": "2026-02-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "übersteigt das freie Budget" in html
    assert 'value="Großprojekt"' in html
    assert not budget_nord.commitments.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "cross_case", "title": "x", "amount": "-5", "starts_on": "2026-02-01"},
        {"kind": "individual", "title": "x", "amount": "5", "starts_on": "2026-02-01"},
        {"kind": "cross_case", "title": "x", "amount": "5", "starts_on": "2025-02-01"},
        {"kind": "cross_case", "title": "x", "amount": "1e999", "starts_on": "kein Datum"},
        {
            "kind": "cross_case",
            "title": "x",
            "amount": "5",
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
        },
    ],
)
def test_bad_commitment_input_never_gives_a_500(client, users, budget_nord, data):
    client.force_login(users["caseworker"])
    response = client.post(reverse("budgets:commitment_create", args=[budget_nord.pk]), data)
    assert response.status_code == 200
    assert 'class="invalid-feedback' in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )


def test_caseworker_commitment_lowers_free_budget_on_overview(client, users, budget_nord):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("budgets:commitment_create", args=[budget_nord.pk]),
        {
            "kind": "case_independent",
            "title": "Stadtteilfest",
            "amount": "1.500,50",
            "starts_on": "2026-06-01",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("budgets:overview") + "?jahr=2026").content.decode()
    assert "498.499,50\xa0€" in html


def test_four_eyes_in_the_pages(client, users, budget_nord):
    client.force_login(users["team_lead"])
    response = client.post(
        reverse("budgets:transfer_request", args=[budget_nord.pk]),
        {"amount": "5.000,00", "justification": "Zuzug zweier Familien"},
    )
    assert response.status_code == 302
    transfer = ReserveTransferRequest.objects.get()
    client.force_login(users["planner"])
    response = client.post(
        reverse("budgets:transfer_decide", args=[transfer.pk]),
        {"decision": "approve", "note": ""},
    )
    assert "aus dem Vorwegabzug in das Budget der Region" in response.content.decode()
    response = client.post(
        reverse("budgets:transfer_decide", args=[transfer.pk]),
        {"decision": "approve", "note": "", "confirmed": "True"},
    )
    assert response.status_code == 302
    assert budget_figures([budget_nord])[budget_nord.pk].allocated == Decimal("505000.00")


def test_planner_cannot_decide_own_request_in_the_page(client, users, budget_nord, settings):
    transfer = reserve_transfer_request(
        budget=budget_nord, amount=Decimal("10"), justification="x", by=users["team_lead"]
    )
    ReserveTransferRequest.objects.filter(pk=transfer.pk).update(requested_by=users["planner"])
    client.force_login(users["planner"])
    response = client.post(
        reverse("budgets:transfer_decide", args=[transfer.pk]), {"decision": "approve"}
    )
    assert response.status_code == 200
    assert "Vier-Augen" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == "pending"


# Overview queries -------------------------------------------------------------------------------


def test_overview_query_count_does_not_grow_with_entries(client, users, fiscal_year, budget_nord):
    client.force_login(users["planner"])
    url = reverse("budgets:overview") + "?jahr=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(15):
        project_book(budget=budget_nord, by=users["caseworker"], amount="10", title=f"P{number}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few) <= page_query_limit()


def test_overview_figures_follow_each_booking_and_its_storno(
    client, users, fiscal_year, budget_nord, budget_sued, settings
):
    """Read from the balances the booking keeps, never from a cache: also with the cache of the
    area pages' figures on, as in production, a booking shows on the next page."""
    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    url = reverse("budgets:overview") + "?jahr=2026"

    def committed(user, budget) -> str:
        client.force_login(user)
        html = client.get(url).content.decode()
        row = html.split(f'data-budget="{budget.region.code}"', 1)[1].split("</tr>", 1)[0]
        return re.findall(r'<td class="figure-number">([^<]*)</td>', row)[1]

    assert committed(users["planner"], budget_nord) == "0,00\xa0€"
    assert committed(users["caseworker"], budget_nord) == "0,00\xa0€"
    cafe = project_book(budget=budget_nord, by=users["caseworker"], amount="1234.50")
    assert committed(users["planner"], budget_nord) == "1.234,50\xa0€"
    assert committed(users["caseworker"], budget_nord) == "1.234,50\xa0€"
    # A Storno writes one entry and moves the budget's summed columns with it.
    entry_reverse(entry=cafe.entries.get(), by=users["planner"], reason="doppelt erfasst")
    assert committed(users["planner"], budget_nord) == "0,00\xa0€"


def test_overview_shows_each_reader_the_budgets_of_their_scope(
    client, users, fiscal_year, budget_nord, budget_sued, settings
):
    """One region's caseworkers never get the planners' overview, in either order."""
    settings.FIGURES_CACHE_SECONDS = 600  # as in production with Redis
    cache.clear()
    url = reverse("budgets:overview") + "?jahr=2026"
    client.force_login(users["planner"])
    assert 'data-budget="S"' in client.get(url).content.decode()
    client.force_login(users["caseworker"])
    assert 'data-budget="S"' not in client.get(url).content.decode()
    client.force_login(users["planner"])
    assert 'data-budget="S"' in client.get(url).content.decode()
    cache.clear()


# Exports ----------------------------------------------------------------------------------------


def test_xlsx_overview_export_matches_the_overview(client, users, fiscal_year, booked):
    client.force_login(users["planner"])
    response = client.get(reverse("budgets:export", args=[2026, "uebersicht", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Budget", "Zugewiesen (€)", "Gebunden (€)", "Gezahlt (€)", "Frei (€)"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    overview = year_overview(users["planner"], fiscal_year)
    for budget_row in overview.rows:
        cells = rows[budget_row.label]
        assert cents(cells[1].value) == budget_row.figures.allocated
        assert cents(cells[2].value) == budget_row.figures.committed
        assert cents(cells[3].value) == budget_row.figures.paid
        assert cents(cells[4].value) == budget_row.figures.free
        assert cells[4].number_format == "#,##0.00 €"
        assert isinstance(cells[4].value, int | float)
    assert rows["Budget Region Nord"][2].value == pytest.approx(12345.67)


def test_csv_ledger_export_is_german_excel(client, users, fiscal_year, booked):
    client.force_login(users["planner"])
    response = client.get(reverse("budgets:export", args=[2026, "buchungen", "csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:6] == [
        "Buchungsnummer",
        "Buchungsdatum",
        "Budget",
        "Buchungsart",
        "Größe",
        "Betrag (€)",
    ]
    amounts = [row[5] for row in rows[1:]]
    assert "12345,67" in amounts and "2345,67" in amounts and "100000,00" in amounts
    assert len(rows) - 1 == LedgerEntry.objects.count()


def test_xlsx_breakdown_by_provider(client, users, fiscal_year, booked, provider_a):
    client.force_login(users["admin"])
    response = client.get(reverse("budgets:export", args=[2026, "traeger", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == [provider_a.name, 12345.67, 2345.67]


def test_unknown_export_is_404(client, users, fiscal_year):
    client.force_login(users["planner"])
    assert client.get("/budget/2026/export/geheim.csv").status_code == 404
    assert client.get("/budget/2026/export/buchungen.pdf").status_code == 404
    assert client.get("/budget/1999/export/buchungen.csv").status_code == 404


def test_carry_over_page_books_into_next_year(client, users, fiscal_year, budget_nord):
    fiscal_year_build(planner=users["planner"], year=2027)
    client.force_login(users["planner"])
    response = client.post(
        reverse("budgets:carry_over", args=[budget_nord.pk]),
        {"amount": "10.000,00", "reason": "Jahresabschluss"},
    )
    assert response.status_code == 302
    assert budget_figures([budget_nord])[budget_nord.pk].free == Decimal("490000.00")
    assert reserve_budget(fiscal_year).pk != budget_nord.pk


def test_planner_sees_a_commitment_but_cannot_book_on_it(client, users, booked):
    client.force_login(users["planner"])
    url = reverse("budgets:commitment_detail", args=[booked.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"aktion": "zahlung", "zahlung-amount": "1", "zahlung-paid_on": "2026-05-01"}
    )
    assert response.status_code == 403
    assert booked.payments.count() == 1


def test_budget_page_rows_show_periods_amounts_badges_and_storno_links(
    client, users, budget_nord, booked
):
    """The commitments' and the entries' rows as the budget page shows them."""
    ended = project_book(budget=budget_nord, by=users["caseworker"], title="Müll & <Sammeln>")
    commitment_end(
        commitment=ended, ended_on=datetime.date(2026, 6, 30), by=users["caseworker"], reason="x"
    )
    payment = booked.payments.get()
    entry_reverse(entry=payment.entry, by=users["caseworker"], reason="Doppelt <erfasst>")
    url = reverse("budgets:budget_detail", args=[budget_nord.pk])

    client.force_login(users["caseworker"])
    html = client.get(url).content.decode()
    assert "Müll &amp; &lt;Sammeln&gt;</a>" in html
    assert "<td>01.03.2026 – 30.06.2026</td>" in html  # ended early: the end it had
    assert '<span class="badge text-bg-secondary">beendet</span>' in html
    assert "<td>01.03.2026 – 31.12.</td>" in html  # no planned end: the year's
    assert f"{money_format(Decimal('12345.67'))}</td>" in html
    assert "Begründung: Doppelt &lt;erfasst&gt;" in html
    assert f"storniert Nr. {payment.entry.pk}" in html
    storno = reverse("budgets:entry_reverse", args=[payment.entry.pk])
    assert f'<a href="{storno}">Stornieren' in html

    client.force_login(users["planner"])  # may look, may reverse as planning
    assert f'<a href="{storno}">Stornieren' in client.get(url).content.decode()
    client.force_login(users["team_lead"])
    assert "Stornieren" in client.get(url).content.decode()
