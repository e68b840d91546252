"""Who sees which document: the region's ASD all of the case's documents; a provider's staff
only documents shared with their running assignment while the commission or the family's
consent covers them; another region's caseworker, another provider and roles without case
access none. Every download is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.consent import consent_withdraw, sharing_record
from cases.models import AuditEntry, PersonRole, SharingBasis
from cases.services import help_end
from documents.models import Document
from documents.selectors import documents_visible_to
from documents.services import document_shares_set


def _consent(users, assignment):
    case = assignment.case
    return sharing_record(
        user=users["caseworker"],
        case=case,
        basis=SharingBasis.CONSENT,
        categories=["resources"],
        purpose="Begleitung der Familie",
        given_on=case.opened_on,
        provider=assignment.provider,
        given_by=case.persons.get(role=PersonRole.GUARDIAN),
    )


def _status(client, user, document) -> int:
    client.force_login(user)
    return client.get(reverse("documents:download", args=[document.pk])).status_code


@pytest.fixture
def docs(stored, assignment_a, case_sued, users):
    case = assignment_a.case
    plan = assignment_a.help.help_plan
    return {
        "plan": stored(case, title="Hilfeplan unterschrieben", help_plan=plan),
        "school": stored(case, title="Bericht der Schule"),
        "sued": stored(case_sued, title="Bericht Süd", created_by=users["caseworker_sued"]),
    }


def test_access_matrix_for_documents(client, users, docs, assignment_a):
    document_shares_set(user=users["caseworker"], document=docs["plan"], assignments=[assignment_a])
    expected = {
        "caseworker": {"plan": 200, "school": 200, "sued": 404},
        "team_lead": {"plan": 200, "school": 200, "sued": 404},
        "caseworker_sued": {"plan": 404, "school": 404, "sued": 200},
        "provider_staff": {"plan": 200, "school": 404, "sued": 404},
        "provider_staff_b": {"plan": 404, "school": 404, "sued": 404},
        "planner": {"plan": 403, "school": 403, "sued": 403},
        "admin": {"plan": 403, "school": 403, "sued": 403},
    }
    seen = {
        role: {name: _status(client, users[role], doc) for name, doc in docs.items()}
        for role in expected
    }
    assert seen == expected
    # Every successful download is one audit entry naming the user.
    downloads = AuditEntry.objects.filter(detail="Dokument heruntergeladen")
    assert downloads.count() == sum(
        1 for row in expected.values() for status in row.values() if status == 200
    )
    provider_entry = downloads.get(user=users["provider_staff"])
    assert provider_entry.object_id == docs["plan"].pk


def test_other_documents_need_the_familys_consent(client, users, docs, assignment_a):
    with pytest.raises(ValidationError) as refusal:
        document_shares_set(
            user=users["caseworker"], document=docs["school"], assignments=[assignment_a]
        )
    assert "keine gültige Einwilligung" in str(refusal.value)

    consent = _consent(users, assignment_a)
    document_shares_set(
        user=users["caseworker"], document=docs["school"], assignments=[assignment_a]
    )
    assert _status(client, users["provider_staff"], docs["school"]) == 200

    # Withdrawn consent: the provider no longer sees what it covered, from that day on.
    consent_withdraw(user=users["caseworker"], sharing=consent, withdrawn_on=timezone.localdate())
    assert _status(client, users["provider_staff"], docs["school"]) == 404
    assert docs["school"] not in documents_visible_to(users["provider_staff"])


def test_an_ended_assignment_sees_no_shared_documents(client, users, docs, assignment_a):
    document_shares_set(user=users["caseworker"], document=docs["plan"], assignments=[assignment_a])
    help_end(user=users["caseworker"], help_=assignment_a.help, ended_on=timezone.localdate())
    assert _status(client, users["provider_staff"], docs["plan"]) == 404


def test_share_page_and_provider_list(client, users, docs, assignment_a):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("documents:share", args=[docs["plan"].pk]), {"assignments": [assignment_a.pk]}
    )
    assert response.status_code == 302
    assert list(docs["plan"].shares.values_list("assignment_id", flat=True)) == [assignment_a.pk]
    refused = client.post(
        reverse("documents:share", args=[docs["school"].pk]), {"assignments": [assignment_a.pk]}
    )
    assert refused.status_code == 422
    assert "Einwilligung" in refused.content.decode()

    client.force_login(users["provider_staff"])
    page = client.get(reverse("documents:assignment_documents", args=[assignment_a.pk]))
    text = page.content.decode()
    assert "Hilfeplan unterschrieben" in text and "Bericht der Schule" not in text
    # The case's own documents page is the ASD's.
    assert (
        client.get(reverse("documents:case_documents", args=[assignment_a.case_id])).status_code
        == 403
    )


def test_other_region_cannot_reach_the_documents_page_or_upload(client, users, docs, assignment_a):
    client.force_login(users["caseworker_sued"])
    case_id = assignment_a.case_id
    assert client.get(reverse("documents:case_documents", args=[case_id])).status_code == 404
    assert client.get(reverse("documents:upload", args=[case_id])).status_code == 404
    assert client.get(reverse("documents:share", args=[docs["plan"].pk])).status_code == 404
    assert Document.objects.count() == 3


# --- Every page of the documents part × every role ------------------------------------------------

PAGES = (
    "case_documents",
    "upload",
    "download",
    "share",
    "remove",
    "assignment_documents",
    "handover",
    "move",
    "move_decide",
)
#                 case_docs upload download share remove assignment handover move move_decide
MATRIX = {
    "caseworker":       (200, 200, 200, 200, 200, 200, 200, 200, 403),
    "team_lead":        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "caseworker_sued":  (404, 404, 404, 404, 404, 404, 404, 404, 403),
    "provider_staff":   (403, 403, 404, 403, 403, 200, 403, 403, 403),
    "provider_staff_b": (403, 403, 404, 403, 403, 404, 403, 403, 403),
    "planner":          (403, 403, 403, 403, 403, 403, 403, 403, 403),
    "admin":            (403, 403, 403, 403, 403, 403, 403, 403, 403),
}  # fmt: skip


def test_every_documents_page_for_every_role(client, users, docs, assignment_a, street_nord):
    from documents.handover import move_record

    case = assignment_a.case
    move = move_record(
        user=users["caseworker"],
        case=case,
        moved_on=timezone.localdate(),
        street="Lindenweg",
        house_number="12",
    )
    args = {
        "case_documents": case.pk,
        "upload": case.pk,
        "download": docs["school"].pk,
        "share": docs["school"].pk,
        "remove": docs["school"].pk,
        "assignment_documents": assignment_a.pk,
        "handover": case.pk,
        "move": case.pk,
        "move_decide": move.pk,
    }
    urls = {name: reverse(f"documents:{name}", args=[args[name]]) for name in PAGES}
    seen = {}
    for role in MATRIX:
        client.force_login(users[role])
        seen[role] = tuple(client.get(urls[name]).status_code for name in PAGES)
    assert seen == MATRIX
    client.logout()
    assert {client.get(url).status_code for url in urls.values()} == {302}
