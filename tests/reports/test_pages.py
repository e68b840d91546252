"""Report pages: who may do what, the form's German answers, the status endpoint, downloads only
through the permission-checked view, and exports that carry the PDF's figures."""

import csv
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import services
from reports.models import ReportState
from reports.storage import report_storage
from reports.suppression import HIDDEN, SMALL
from tests.reports.conftest import request_report

ROLES = ["caseworker", "team_lead", "provider_staff", "planner", "admin"]


def _finished(user):
    report = request_report(user)
    services.report_render(report_id=report.pk, task_id="m1")
    report.refresh_from_db()
    assert report.state == ReportState.DONE
    return report


@pytest.fixture
def done(users, town, fast_pdf):
    """A finished report of the small town without case work (quick to build)."""
    return _finished(users["planner"])


@pytest.fixture
def done_2025(users, year_2025, fast_pdf):
    return _finished(users["planner"])


@pytest.fixture
def waiting(users, db):
    return request_report(users["admin"], regions=[users["caseworker"].asd_team.region])


def _urls(report):
    key = report.public_id
    return {
        "list": reverse("reports:list"),
        "create": reverse("reports:create"),
        "detail": reverse("reports:detail", args=[key]),
        "download": reverse("reports:download", args=[key]),
        "export_xlsx": reverse("reports:export_xlsx", args=[key]),
        "export_csv": reverse("reports:export_csv", args=[key, "fallzahlen"]),
    }


# Who may: planners and admins everything; team leads read finished reports; others nothing.
ALLOWED = {
    "list": {"team_lead", "planner", "admin"},
    "create": {"planner", "admin"},
    "detail": {"team_lead", "planner", "admin"},
    "download": {"team_lead", "planner", "admin"},
    "export_xlsx": {"planner", "admin"},
    "export_csv": {"planner", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(ALLOWED))
def test_access_by_role(client, users, done, role, page):
    client.force_login(users[role])
    response = client.get(_urls(done)[page])
    assert response.status_code == (200 if role in ALLOWED[page] else 403)


def test_status_as_json_for_readers_only(client, users, done):
    url = reverse("reports:detail", args=[done.public_id])
    for role in ROLES:
        client.force_login(users[role])
        response = client.get(url, HTTP_ACCEPT="application/json")
        if role in ALLOWED["detail"]:
            assert response.json()["state"] == "done"
        else:
            assert response.status_code == 403


def test_retry_is_for_planners_and_admins_only(client, users, done):
    for role in ("caseworker", "team_lead", "provider_staff"):
        client.force_login(users[role])
        assert client.post(reverse("reports:detail", args=[done.public_id])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, done):
    for url in _urls(done).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_team_leads_see_only_finished_reports(client, users, done, waiting):
    client.force_login(users["team_lead"])
    html = client.get(reverse("reports:list")).content.decode()
    assert str(done.public_id) in html
    assert str(waiting.public_id) not in html
    assert client.get(reverse("reports:detail", args=[waiting.public_id])).status_code == 404
    assert "Neuen Bericht anfordern" not in html


def test_a_guessed_report_key_finds_nothing(client, users, done):
    client.force_login(users["planner"])
    assert client.get(reverse("reports:download", args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/berichte/{done.pk}/bericht.pdf").status_code == 404


def test_the_pdf_is_served_only_by_the_download_view(client, users, done, report_files):
    client.force_login(users["team_lead"])
    response = client.get(reverse("reports:download", args=[done.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "JHA-Bericht_2025-01-01_2025-12-31.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # The file lies outside every URL: its storage refuses to name one, and the name is random.
    with pytest.raises(NotImplementedError):
        report_storage().url(done.pdf.name)
    assert done.pdf.name == f"{done.public_id}.pdf"
    assert (report_files / done.pdf.name).exists()


def test_an_unfinished_report_has_no_download(client, users, waiting):
    client.force_login(users["admin"])
    assert client.get(reverse("reports:download", args=[waiting.public_id])).status_code == 404
    assert client.get(reverse("reports:export_xlsx", args=[waiting.public_id])).status_code == 404


def test_status_endpoint_for_the_polling_page(client, users, waiting):
    client.force_login(users["planner"])
    url = reverse("reports:detail", args=[waiting.public_id])
    data = client.get(url, HTTP_ACCEPT="application/json").json()
    assert data["state"] == "waiting" and data["state_label"] == "wartend"
    assert data["finished"] is False
    assert data["waits_for_broker"] is True  # never handed over in this test
    page = client.get(url).content.decode()
    assert "reports/report_status.js" in page
    assert f'data-report-status="{url}"' in page
    assert "<script>" not in page  # no inline script: the CSP forbids them


def test_a_finished_page_stops_polling_and_offers_downloads(client, users, done):
    client.force_login(users["planner"])
    page = client.get(reverse("reports:detail", args=[done.public_id])).content.decode()
    assert "report_status.js" not in page
    assert reverse("reports:download", args=[done.public_id]) in page
    assert reverse("reports:export_xlsx", args=[done.public_id]) in page


def test_form_refuses_bad_periods_in_german_and_keeps_the_input(client, users, town):
    client.force_login(users["planner"])
    url = reverse("reports:create")
    cases = [
        ({"period_start": "2025-06-01", "period_end": "2025-01-01"}, "vor dem Beginn"),
        ({"period_start": "2024-12-01", "period_end": "2025-01-31"}, "in einem Haushaltsjahr"),
        ({"period_start": "2025-01-01", "period_end": "31.02.2025"}, "gültiges Datum"),
        ({"period_start": "2025-01-01", "period_end": "2025-12-31", "regions": []}, "Region"),
    ]
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    cases.append(
        ({"period_start": f"{future.year}-01-01", "period_end": future.isoformat()}, "Zukunft")
    )
    region = town["N1"].region_id
    for data, message in cases:
        response = client.post(url, {"title": "Mein Titel", "regions": [region], **data})
        html = response.content.decode()
        assert response.status_code == 200, data
        assert message in html, data
        assert 'value="Mein Titel"' in html
    assert not services.ReportRequest.objects.exists()


def test_navigation_shows_reports_to_readers(client, users):
    for role in ROLES:
        client.force_login(users[role])
        html = client.get(reverse("reports:list") if role in ALLOWED["list"] else "/").content
        assert (f'href="{reverse("reports:list")}"'.encode() in html) == (role in ALLOWED["list"])


# Exports ------------------------------------------------------------------------------------


def test_csv_export_has_the_pdf_figures_with_small_counts_protected(client, users, done_2025):
    done = done_2025
    client.force_login(users["planner"])
    response = client.get(reverse("reports:export_csv", args=[done.public_id, "fallzahlen"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    intakes = header.index("Falleingänge")
    assert body["Quartier S1 (S1)"][intakes] == "7"
    assert body["Quartier N2 (N2)"][intakes] == SMALL
    assert body["Quartier N1 (N1)"][intakes] == HIDDEN
    assert body["Summe"][intakes] == "13"
    assert body["Quartier S1 (S1)"][header.index("laufende Hilfen je 1.000 Mj.")] == "4,5"
    assert (
        client.get(
            reverse("reports:export_csv", args=[done.public_id, "gibt-es-nicht"])
        ).status_code
        == 404
    )


def test_xlsx_export_has_every_table_and_real_numbers(client, users, done_2025):
    done = done_2025
    client.force_login(users["admin"])
    response = client.get(reverse("reports:export_xlsx", args=[done.public_id]))
    workbook = load_workbook(io.BytesIO(response.content))
    titles = [sheet["A1"].value for sheet in workbook.worksheets]
    expected = [t["title"] for s in done.content["sections"] for t in s.get("tables", [])]
    assert titles == expected
    budget = workbook.worksheets[0]
    assert budget["A4"].value == "Nord"
    assert float(budget["B4"].value) == 500000.0
    assert "€" in budget["B4"].number_format
    counts = next(s for s in workbook.worksheets if s["A1"].value.startswith("Fallzahlen"))
    values = [cell.value for row in counts.iter_rows(min_row=4) for cell in row[3:7]]
    assert SMALL in values and HIDDEN in values
    assert not [v for v in values if v in (1, 2)]
