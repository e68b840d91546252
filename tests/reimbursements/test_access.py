"""Who reaches the reimbursement pages: planners and the region's team lead manage, the case's
caseworkers read on the help's page, Träger staff never, another region not at all."""

import datetime

import pytest
from django.urls import reverse

from cases.models import AuditEntry
from reimbursements.models import LegalBasis
from reimbursements.services import claim_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(users, paid_help, office):
    return claim_create(
        user=users["team_lead"],
        help_=paid_help,
        office=office,
        legal_basis=LegalBasis.S89A,
        period_start=datetime.date(2026, 3, 2),
        period_end=datetime.date(2026, 5, 31),
    )


def status(client, user, url, method="get"):
    client.force_login(user)
    return getattr(client, method)(url).status_code


def test_provider_staff_are_refused_every_page(client, users, claim, office):
    help_ = claim.help
    urls = [
        reverse("reimbursements:home"),
        reverse("reimbursements:office_list"),
        reverse("reimbursements:office_create"),
        reverse("reimbursements:office_edit", args=[office.pk]),
        reverse("reimbursements:claim_create", args=[help_.pk]),
        reverse("reimbursements:claim_detail", args=[claim.pk]),
        reverse("reimbursements:claim_letter", args=[claim.pk]),
        reverse("reimbursements:help_claims", args=[help_.case_id, help_.pk]),
        reverse("reimbursements:received_create"),
        reverse("reimbursements:help_lookup"),
    ]
    for url in urls:
        assert status(client, users["provider_staff"], url) == 403, url


def test_another_regions_team_lead_and_caseworker_do_not_see_the_claim(
    client, users, claim, team_sued
):
    lead_sued = UserFactory(role="team_lead", asd_team=team_sued)
    detail = reverse("reimbursements:claim_detail", args=[claim.pk])
    assert status(client, lead_sued, detail) == 404
    assert status(client, users["caseworker_sued"], detail) == 404
    assert status(client, lead_sued, reverse("reimbursements:claim_letter", args=[claim.pk])) == 404
    assert (
        status(client, lead_sued, reverse("reimbursements:claim_create", args=[claim.help_id]))
        == 404
    )
    help_page = reverse("reimbursements:help_claims", args=[claim.help.case_id, claim.help_id])
    assert status(client, users["caseworker_sued"], help_page) == 404
    client.force_login(lead_sued)
    assert claim.number not in client.get(reverse("reimbursements:home")).content.decode()


def test_caseworker_reads_the_claims_of_her_case_but_does_not_change_them(client, users, claim):
    caseworker = users["caseworker"]
    help_page = reverse("reimbursements:help_claims", args=[claim.help.case_id, claim.help_id])
    client.force_login(caseworker)
    response = client.get(help_page)
    assert response.status_code == 200
    assert claim.number in response.content.decode()
    detail = reverse("reimbursements:claim_detail", args=[claim.pk])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"send-sent_on": "2026-06-01", "send": "1"}).status_code == 403
    assert client.get(reverse("reimbursements:claim_letter", args=[claim.pk])).status_code == 403
    assert client.get(reverse("reimbursements:home")).status_code == 403
    # Reading the claim is audited like a case record, with the case number only.
    entry = AuditEntry.objects.filter(user=caseworker, object_type="reimbursementclaim").last()
    assert entry is not None and entry.case_number == claim.help.case.number


def test_team_leads_cannot_maintain_offices(client, users, office):
    assert status(client, users["team_lead"], reverse("reimbursements:office_create")) == 403
    assert status(client, users["team_lead"], reverse("reimbursements:office_list")) == 200


def test_case_page_links_the_help_claims(client, users, claim):
    client.force_login(users["caseworker"])
    response = client.get(reverse("cases:detail", args=[claim.help.case_id]))
    assert (
        reverse("reimbursements:help_claims", args=[claim.help.case_id, claim.help_id])
        in response.content.decode()
    )


def test_the_help_lookup_posts_the_case_number_and_shows_the_helps_by_the_cases_id(
    client, users, paid_help, team_sued
):
    """The case number never stands in a URL: it is posted, and the result page carries the
    case's id. Another region's team lead finds nothing, by number or by id."""
    case = paid_help.case
    lookup = reverse("reimbursements:help_lookup")
    client.force_login(users["planner"])
    response = client.post(lookup, {"number": f"  {case.number} "})
    assert response.status_code == 302
    assert response["Location"] == f"{lookup}?fall={case.pk}"
    assert case.number not in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert f"<caption>Hilfen des Falls {case.number}</caption>" in html
    assert reverse("reimbursements:claim_create", args=[paid_help.pk]) in html
    # The form on the start page and on the lookup page posts.
    assert 'method="post"' in client.get(reverse("reimbursements:home")).content.decode()
    assert 'method="post"' in html
    # A number typed into the URL (an old bookmark) searches nothing.
    html = client.get(lookup, {"number": case.number}).content.decode()
    assert "<caption>" not in html

    lead_sued = UserFactory(role="team_lead", asd_team=team_sued)
    client.force_login(lead_sued)
    response = client.post(lookup, {"number": case.number})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Zu dieser Fallnummer gibt es keine Hilfe, die Sie sehen." in html
    assert f'value="{case.number}"' in html  # what was typed stays in the field
    html = client.get(lookup, {"fall": case.pk}).content.decode()
    assert "<caption>" not in html
    assert "Zu diesem Fall gibt es keine Hilfe, die Sie sehen." in html


def test_the_help_lookup_refuses_an_empty_number_in_german(client, users):
    client.force_login(users["planner"])
    response = client.post(reverse("reimbursements:help_lookup"), {"number": ""})
    assert response.status_code == 422
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
