"""Who reaches the letter pages: the case's ASD (the steering caseworker, the team lead, a
deputy) makes letters; a colleague reads; another region's caseworker gets 404, provider staff
403 (and only their own assignment's commission notice); templates only for administrators.
Bad template input in the editor comes back in German, with the text typed kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEntry
from documents import letters
from documents.letters_schema import LetterKind
from documents.models import LetterTemplateVersion, SentLetter
from sozialraum.models import Deputy
from tests.documents.letters_helpers import plan_with_steps
from tests.factories import UserFactory


@pytest.fixture
def plan_and_review(users, help_nord):
    return plan_with_steps(users["caseworker"], help_nord)


def urls(case, plan, review):
    return {
        "letters": reverse("documents:case_letters", args=[case.pk]),
        "send": reverse("documents:letter_send", args=[case.pk, "invitation", review.pk]),
        "family": reverse("documents:help_plan_family", args=[case.pk, plan.help_id]),
        "agreement": reverse("documents:help_plan_agreement", args=[case.pk, plan.help_id]),
        "notice": reverse("documents:decision_notice_create", args=[case.pk]),
    }


def test_the_steering_caseworker_previews_and_sends_an_invitation(client, users, plan_and_review):
    plan, review = plan_and_review
    case = plan.case
    client.force_login(users["caseworker"])
    page = client.get(urls(case, plan, review)["send"])
    assert page.status_code == 200
    assert "Termin: Sonntag, 15.09.2030 um 10:00 Uhr" in page.content.decode()
    assert not SentLetter.objects.exists()  # a preview makes nothing

    response = client.post(urls(case, plan, review)["send"])
    assert response.status_code == 302
    letter = SentLetter.objects.get()
    listing = client.get(urls(case, plan, review)["letters"]).content.decode()
    assert letter.document.title in listing
    download = client.get(reverse("documents:letter_download", args=[case.pk, letter.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(detail="Brief", object_id=letter.pk).exists()


@pytest.mark.parametrize("who", ["caseworker_sued"])
def test_another_regions_caseworker_gets_404_everywhere(client, users, plan_and_review, who):
    plan, review = plan_and_review
    letter = letters.invitation_send(user=users["caseworker"], review=review)
    client.force_login(users[who])
    for url in [
        *urls(plan.case, plan, review).values(),
        reverse("documents:letter_download", args=[plan.case.pk, letter.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert SentLetter.objects.count() == 1


def test_provider_staff_are_refused_the_case_letters(client, users, plan_and_review):
    plan, review = plan_and_review
    client.force_login(users["provider_staff"])
    for url in urls(plan.case, plan, review).values():
        assert client.get(url).status_code == 403, url


def test_a_colleague_reads_but_cannot_send(client, users, plan_and_review):
    plan, review = plan_and_review
    colleague = UserFactory(role="caseworker", asd_team=users["caseworker"].asd_team)
    client.force_login(colleague)
    assert client.get(urls(plan.case, plan, review)["letters"]).status_code == 200
    assert client.get(urls(plan.case, plan, review)["family"]).status_code == 200
    assert client.get(urls(plan.case, plan, review)["send"]).status_code == 403
    assert client.post(urls(plan.case, plan, review)["send"]).status_code == 403
    assert not SentLetter.objects.exists()


def test_a_deputy_from_another_region_sends_in_cover(client, users, plan_and_review):
    plan, review = plan_and_review
    deputy = users["caseworker_sued"]
    Deputy.objects.create(
        absent=users["caseworker"],
        deputy=deputy,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=7),
        set_by=users["team_lead"],
    )
    client.force_login(deputy)
    assert client.post(urls(plan.case, plan, review)["send"]).status_code == 302
    entry = AuditEntry.objects.get(detail="Brief erstellt")
    assert entry.on_behalf_of == users["caseworker"]


def test_the_provider_reads_only_its_own_commission_notice(client, users, assignment_a):
    letter = letters.commission_notice_send(user=users["caseworker"], assignment=assignment_a)
    url = reverse("documents:download", args=[letter.document.pk])
    client.force_login(users["provider_staff_b"])
    assert client.get(url).status_code == 404
    client.force_login(users["provider_staff"])
    listing = client.get(reverse("documents:assignment_documents", args=[assignment_a.pk]))
    assert letter.document.title in listing.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_bescheid_without_legal_basis_is_refused_on_the_page(
    client, users, case_in_clarification
):
    from cases.models import HelpType

    offer = HelpType.objects.create(code="SR9", paragraph="", name="Elterncafé")
    case = case_in_clarification
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("documents:decision_notice_create", args=[case.pk]),
        {
            "outcome": "refused",
            "help_type": offer.pk,
            "reasons": "Ein Angebot im Quartier genügt.",
            "decided_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Ein Bescheid ohne Rechtsgrundlage kann nicht erstellt werden" in page.content.decode()
    assert "Brief als PDF erstellen" not in page.content.decode()
    sent = client.post(response["Location"])
    assert sent.status_code == 422
    assert "Ein Bescheid ohne Rechtsgrundlage kann nicht erstellt werden" in sent.content.decode()
    assert not SentLetter.objects.exists()


# The template editor -----------------------------------------------------------------------------


def test_only_administrators_edit_templates(client, users):
    url = reverse("documents:letter_template_edit", args=[LetterKind.INVITATION])
    for role in ("caseworker", "team_lead", "provider_staff", "planner"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403, role
        assert client.get(reverse("documents:letter_templates")).status_code == 403, role
    client.force_login(users["admin"])
    assert client.get(reverse("documents:letter_templates")).status_code == 200
    assert client.get(url).status_code == 200
    assert client.get(reverse("documents:letter_template_edit", args=["nope"])).status_code == 404


def test_the_editor_previews_refuses_in_german_and_saves_a_new_version(client, users):
    client.force_login(users["admin"])
    url = reverse("documents:letter_template_edit", args=[LetterKind.INVITATION])
    body = "<p>{{ salutation }}</p>\n<p>Wir sehen uns am {{ review.date|date:'d.m.Y' }}.</p>"
    preview = client.post(url, {"subject": "Einladung", "body": body, "preview": "1"})
    assert preview.status_code == 200
    assert "Wir sehen uns am 01.09.2026." in preview.content.decode()  # the sample data
    assert LetterTemplateVersion.objects.filter(template__kind="invitation").count() == 1

    bad = body + "\n{% load static %}"
    refused = client.post(url, {"subject": "Einladung", "body": bad, "save": "1"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "Brieftext, Zeile 3:" in page and "nicht erlaubt" in page
    assert "Wir sehen uns am" in page  # what was typed stays in the form
    assert LetterTemplateVersion.objects.filter(template__kind="invitation").count() == 1

    saved = client.post(url, {"subject": "Einladung", "body": body, "save": "1", "note": "kürzer"})
    assert saved.status_code == 302
    assert LetterTemplateVersion.objects.filter(template__kind="invitation").count() == 2
