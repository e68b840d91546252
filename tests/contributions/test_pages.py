"""The pages of the cost contributions: who reaches which (owner, colleague, other region,
provider staff, planner), German form messages, audit of every view."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import AuditEntry
from contributions.models import ContributionReceipt, CostContribution
from contributions.services import claim_create, contribution_set
from tests.factories import UserFactory

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def contribution(users, placement, evidence, income_table):
    return contribution_set(
        help=placement, evidence=evidence, stage=1, starts_on=placement.starts_on,
        user=users["caseworker"],
    )  # fmt: skip


@pytest.fixture
def claim(contribution):
    return claim_create(contribution=contribution, month=MARCH)


def _urls(placement, contribution, claim) -> dict[str, tuple[str, bool]]:
    """url → whether it changes something (then a read-only colleague gets 403)."""
    case_pk, help_pk = placement.case_id, placement.pk
    return {
        reverse("contributions:help", args=[case_pk, help_pk]): False,
        reverse("contributions:evidence_create", args=[case_pk, help_pk]): True,
        reverse("contributions:create", args=[case_pk, help_pk]): True,
        reverse("contributions:detail", args=[contribution.pk]): False,
        reverse("contributions:notice", args=[contribution.pk]): False,
        reverse("contributions:receipt", args=[claim.pk]): True,
        reverse("contributions:waiver", args=[claim.pk]): True,
    }


def test_owner_reaches_every_page_and_the_case_page_links_them(
    client, users, placement, contribution, claim
):
    client.force_login(users["caseworker"])
    for url in _urls(placement, contribution, claim):
        assert client.get(url).status_code == 200, url
    for name in ("contributions:arrears", "contributions:import"):
        assert client.get(reverse(name)).status_code == 200
    case_page = client.get(reverse("cases:detail", args=[placement.case_id])).content.decode()
    assert reverse("contributions:help", args=[placement.case_id, placement.pk]) in case_page
    assert AuditEntry.objects.filter(object_type="costcontribution", action="view").exists()
    assert AuditEntry.objects.filter(object_type="costcontribution", action="export").exists()


def test_others_get_403_or_404(client, users, team_nord, placement, contribution, claim):
    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    urls = _urls(placement, contribution, claim)
    for user, expected in (
        (users["caseworker_sued"], {False: 404, True: 404}),
        (colleague, {False: 200, True: 403}),
        (users["provider_staff"], {False: 403, True: 403}),
        (users["planner"], {False: 403, True: 403}),
        (users["admin"], {False: 403, True: 403}),
    ):
        client.force_login(user)
        for url, changes in urls.items():
            assert client.get(url).status_code == expected[changes], (user.role, url)
    for role in ("provider_staff", "planner"):
        client.force_login(users[role])
        assert client.get(reverse("contributions:arrears")).status_code == 403


def test_other_region_sees_no_arrears_of_this_one(client, users, claim):
    client.force_login(users["caseworker_sued"])
    page = client.get(reverse("contributions:arrears"), headers={}).content.decode()
    assert claim.contribution.case.number not in page


def test_a_contribution_above_the_table_gets_a_german_form_error(
    client, users, placement, evidence, income_table
):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("contributions:create", args=[placement.case_id, placement.pk]),
        {
            "evidence": evidence.pk, "stage": 1, "further_dependants": 0,
            "starts_on": "2026-01-01", "amount": "99999,00",
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "übersteigt den Höchstbetrag der Tabelle" in response.content.decode()
    assert not CostContribution.objects.exists()


def test_a_partial_receipt_by_form_is_booked(client, users, claim):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("contributions:receipt", args=[claim.pk]),
        {"amount": "12,50", "received_on": "2026-03-20", "reference": ""},
    )
    assert response.status_code == 302
    assert ContributionReceipt.objects.get().amount == Decimal("12.50")


def test_the_cash_office_file_is_checked_then_booked_once(client, users, claim):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        "forderung;betrag;eingang;buchungszeichen\n"
        f"{claim.pk};10,00;05.03.2026;K-1\n"
        f"{claim.pk};99999,00;05.03.2026;K-2\n"
        "999999;1,00;05.03.2026;K-3\n"
    ).encode()
    client.force_login(users["caseworker"])
    url = reverse("contributions:import")
    dry = client.post(url, {"file": SimpleUploadedFile("k.csv", body, "text/csv")})
    page = dry.content.decode()
    assert "1 Zeile(n) würden gebucht, 2 nicht" in page
    assert "mehr als offen" in page and "gibt es nicht" in page
    assert not ContributionReceipt.objects.exists()
    for _ in range(2):
        client.post(url, {"file": SimpleUploadedFile("k.csv", body, "text/csv"), "take": "on"})
    assert ContributionReceipt.objects.get().reference == "K-1"
