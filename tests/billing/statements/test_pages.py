"""The pages of Leistungsnachweise: who reaches which (a provider only its own assignments and
statements, the queue only the region's team lead), and what a person sees when typing, uploading
and checking."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import LineKind, PaymentOrder, ServiceStatement, StatementStatus
from billing.statements import LineInput, statement_submit
from cases.models import AuditEntry
from tests.billing.statements.conftest import APRIL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def statement(users, hourly_assignment, media):
    return statement_submit(
        user=users["provider_staff"],
        assignment=hourly_assignment,
        month=APRIL,
        lines=[LineInput(1, datetime.date(2026, 4, 7), LineKind.FACE_TO_FACE, Decimal("2"))],
        document=SimpleUploadedFile("nachweis.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def people(users, team_sued):
    return {**users, "lead_sued": UserFactory(role="team_lead", asd_team=team_sued)}


def status_of(client, user, url):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(url)
    if response.status_code == 302 and "/anmelden" in response["Location"]:
        return "login"
    return str(response.status_code)


WHO = (
    "provider_staff",
    "provider_staff_b",
    "caseworker",
    "team_lead",
    "lead_sued",
    "planner",
    "admin",
    None,
)

# fmt: off
EXPECTED = {
    #                      provider other_pr caseworker lead  lead_sued planner admin  anonymous
    "statement_list":     ("200",   "200",     "403",     "403", "403",    "403",  "403",  "login"),
    "statement_import":   ("200",   "200",     "403",     "403", "403",    "403",  "403",  "login"),
    "statement_create":   ("200",   "404",     "403",     "403", "403",    "403",  "403",  "login"),
    "statement_detail":   ("200",   "404",     "403",     "403", "403",    "403",  "403",  "login"),
    "statement_document": ("200",   "404",     "403",     "200", "404",    "403",  "403",  "login"),
    "check_queue":        ("403",   "403",     "403",     "200", "200",    "403",  "403",  "login"),
    "check_detail":       ("403",   "403",     "403",     "200", "404",    "403",  "403",  "login"),
    "rate_list":          ("403",   "403",     "403",     "403", "403",    "200",  "200",  "login"),
    "rate_create":        ("403",   "403",     "403",     "403", "403",    "200",  "200",  "login"),
}
# fmt: on


def url_of(name, statement):
    if name in ("statement_detail", "statement_document", "check_detail"):
        return reverse(f"billing:{name}", args=[statement.pk])
    if name == "statement_create":
        return reverse("billing:statement_create", args=[statement.assignment_id])
    if name.startswith("rate_"):
        return reverse(f"budgets:{name}")
    return reverse(f"billing:{name}")


@pytest.mark.parametrize("name", list(EXPECTED))
def test_access_matrix(client, people, statement, name):
    url = url_of(name, statement)
    got = tuple(status_of(client, people[who] if who else None, url) for who in WHO)
    assert got == EXPECTED[name]


def test_the_download_of_the_original_is_audited(client, users, statement):
    client.force_login(users["team_lead"])
    response = client.get(reverse("billing:statement_document", args=[statement.pk]))
    assert b"".join(response.streaming_content) == PDF
    entry = AuditEntry.objects.get(user=users["team_lead"])
    assert entry.detail == "Leistungsnachweis (Original)"
    assert entry.case_number == statement.assignment.case.number


def form_data(rows, month="2026-04"):
    data = {
        "month": month,
        "zeilen-TOTAL_FORMS": str(len(rows)),
        "zeilen-INITIAL_FORMS": "0",
        "submit_statement": "1",
    }
    for index, (day, kind, quantity) in enumerate(rows):
        data[f"zeilen-{index}-day"] = day
        data[f"zeilen-{index}-kind"] = kind
        data[f"zeilen-{index}-quantity"] = quantity
    return data


def test_provider_enters_a_month_and_sees_its_status(client, users, hourly_assignment, media):
    client.force_login(users["provider_staff"])
    url = reverse("billing:statement_create", args=[hourly_assignment.pk])
    rows = [("2026-04-07", "face_to_face", "2,5"), ("", "", ""), ("2026-04-09", "with_family", "1")]
    response = client.post(url, form_data(rows), follow=True)
    statement = ServiceStatement.objects.get()
    assert statement.claimed_amount == Decimal("210.00")
    assert "eingereicht" in response.content.decode()
    listing = client.get(reverse("billing:statement_list")).content.decode()
    assert "04/2026" in listing and "eingereicht" in listing


def test_a_bad_line_is_named_and_everything_typed_stays(client, users, hourly_assignment, media):
    client.force_login(users["provider_staff"])
    url = reverse("billing:statement_create", args=[hourly_assignment.pk])
    rows = [("2026-04-07", "face_to_face", "2,5"), ("2026-04-08", "face_to_face", "30")]
    response = client.post(url, form_data(rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 2: Mehr als 24 Stunden an einem Tag sind nicht möglich." in page
    assert 'value="2,5"' in page and 'value="30"' in page
    assert not ServiceStatement.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused_beside_the_field(
    client, users, hourly_assignment, media
):
    client.force_login(users["provider_staff"])
    url = reverse("billing:statement_create", args=[hourly_assignment.pk])
    data = form_data([("2026-04-07", "face_to_face", "2")])
    data["document"] = SimpleUploadedFile(
        "nachweis.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(url, data)
    assert "kein erlaubtes Format" in response.content.decode()
    assert not ServiceStatement.objects.exists()


def test_import_dry_run_shows_each_line_and_takes_only_whole_statements(
    client, users, hourly_assignment, media
):
    client.force_login(users["provider_staff"])
    pk = hourly_assignment.pk
    csv = (
        "falldurchfuehrung;datum;art;menge\n"
        f"{pk};07.04.2026;direkt;2\n"
        f"{pk};08.04.2026;familie;1,5\n"
        f"{pk};03.05.2026;direkt;-1\n"
        f"{pk};04.05.2026;direkt;1\n"
        "999999;05.04.2026;direkt;1\n"
        f"{pk};06.04.2026;schwimmen;1\n"
    ).encode()
    response = client.post(
        reverse("billing:statement_import"),
        {"file": SimpleUploadedFile("nachweise.csv", csv, content_type="text/csv")},
    )
    page = response.content.decode()
    assert "wird übernommen: 120,00" in page
    assert "abgelehnt: Die Menge muss größer als null sein." in page
    assert "abgelehnt: Nicht übernommen: Zeile 4 desselben Nachweises" in page
    assert "gehört nicht zu Ihrem Träger" in page
    assert "Unbekannte Art „schwimmen“" in page
    assert not ServiceStatement.objects.exists()  # a dry run stores nothing

    token = response.context["token"]
    client.post(reverse("billing:statement_import"), {"take": "1", "token": token})
    statement = ServiceStatement.objects.get()
    assert statement.month == APRIL
    # Line 7 (an unknown kind) is refused on its own: April holds lines 2 and 3.
    assert statement.claimed_amount == Decimal("210.00")


def test_team_lead_approves_from_the_check_page(client, users, statement):
    client.force_login(users["team_lead"])
    url = reverse("billing:check_detail", args=[statement.pk])
    page = client.get(url).content.decode()
    assert "Prüfung gegen die Beauftragung" in page
    response = client.post(url, {"approve": "1", "approve-amount": "", "approve-reason": ""})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED
    assert PaymentOrder.objects.get().amount == Decimal("120.00")


def test_a_corrected_amount_without_reason_keeps_the_typed_amount(client, users, statement):
    client.force_login(users["team_lead"])
    url = reverse("billing:check_detail", args=[statement.pk])
    response = client.post(url, {"approve": "1", "approve-amount": "100,00", "approve-reason": ""})
    page = response.content.decode()
    assert "bitte begründen Sie die Korrektur" in page
    assert 'value="100,00"' in page
    assert not PaymentOrder.objects.exists()
