"""Letters from templates: each letter read back from its PDF (the family's goals, the dates,
the legal remedy), kept on the case as a document that never changes, versioned when sent
again; a Bescheid needs its legal basis; a broken template refuses new letters and leaves the
sent ones alone; the family's agreement to its Hilfeplan; a batch makes one letter per case."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import AuditEntry, HelpType, PersonRole
from documents import letters
from documents.letters_schema import LetterKind
from documents.models import (
    AgreementWay,
    BatchState,
    DecisionOutcome,
    Document,
    DocumentKind,
    DocumentShare,
    HelpPlanAgreement,
    LetterTemplate,
    LetterTemplateVersion,
    SentLetter,
)
from tests.cases.conftest import decide, intake
from tests.documents.conftest import upload
from tests.documents.letters_helpers import pdf_text, plan_with_steps


def stored_pdf(letter: SentLetter) -> bytes:
    with letter.document.file.open("rb") as handle:
        return handle.read()


def test_the_help_plan_letter_reads_the_familys_goals_steps_and_next_review(users, help_nord):
    user = users["caseworker"]
    plan, _ = plan_with_steps(user, help_nord)
    letter = letters.help_plan_letter_send(user=user, plan=plan)

    text = pdf_text(stored_pdf(letter))
    assert "Ihr Hilfeplan: Sozialpädagogische Familienhilfe" in text
    assert "„Mia schläft um acht.“" in text  # the goal in the family's own words
    assert "„Wir wollen weniger Streit beim Zubettgehen.“" in text  # the concern
    assert "Abendritual mit Vorlesen einführen Familie 31.10.2026" in text
    assert "Wochenplan gemeinsam aufstellen Träger 15.11.2026" in text
    assert "am 15.09.2030 um 10:00 Uhr (Jugendamt, Raum 2.14)" in text
    assert "Guten Tag Sandra Beispielkind" in text
    assert help_nord.case.number in text

    document = letter.document
    assert (document.kind, document.help_plan, document.mime, document.version) == (
        DocumentKind.LETTER_SENT,
        plan,
        "application/pdf",
        1,
    )
    assert AuditEntry.objects.filter(
        user=user, object_type="sentletter", object_id=letter.pk, detail="Brief erstellt"
    ).exists()


def test_the_invitation_reads_date_time_place_and_the_invited(users, help_nord):
    user = users["caseworker"]
    _, review = plan_with_steps(user, help_nord)
    letter = letters.invitation_send(user=user, review=review)
    text = pdf_text(stored_pdf(letter))
    assert "Einladung zum Hilfeplangespräch am 15.09.2030" in text
    assert "Termin: Sonntag, 15.09.2030 um 10:00 Uhr" in text
    assert "Ort: Jugendamt, Raum 2.14" in text
    assert "Mia Beispielkind" in text and "„Mia schläft um acht.“" in text


def test_the_bescheid_reads_legal_basis_and_the_instruction_on_legal_remedies(users, help_nord):
    user = users["caseworker"]
    notice = letters.decision_notice_create(
        user=user,
        case=help_nord.case,
        outcome=DecisionOutcome.GRANTED,
        help_type=help_nord.help_type,
        help=help_nord,
        recipient=None,
        legal_basis="§§ 27, 31 SGB VIII",
        reasons="Die Familie braucht Unterstützung am Abend.",
        applied_on=help_nord.starts_on - datetime.timedelta(days=10),
        decided_on=help_nord.starts_on,
    )
    text = pdf_text(stored_pdf(letters.decision_notice_send(user=user, notice=notice)))
    assert "Bescheid: Bewilligung – Sozialpädagogische Familienhilfe" in text
    assert "Diese Entscheidung beruht auf §§ 27, 31 SGB VIII." in text
    assert f"vom {help_nord.starts_on:%d.%m.%Y} bis zum {help_nord.planned_end_on:%d.%m.%Y}" in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden" in text


def test_a_bescheid_without_legal_basis_cannot_be_generated(users, case_in_clarification):
    user = users["caseworker"]
    own_offer = HelpType.objects.create(code="SR1", paragraph="", name="Elterncafé im Quartier")
    notice = letters.decision_notice_create(
        user=user,
        case=case_in_clarification,
        outcome=DecisionOutcome.REFUSED,
        help_type=own_offer,
        help=None,
        recipient=case_in_clarification.persons.get(role=PersonRole.GUARDIAN),
        legal_basis="  ",
        reasons="Ein Angebot im Quartier genügt.",
        applied_on=None,
        decided_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as refused:
        letters.decision_notice_send(user=user, notice=notice)
    assert "Ein Bescheid ohne Rechtsgrundlage kann nicht erstellt werden" in str(refused.value)
    assert not Document.objects.filter(case=case_in_clarification).exists()


def test_sending_again_makes_a_new_version_and_keeps_the_first(users, help_nord):
    user = users["caseworker"]
    plan, _ = plan_with_steps(user, help_nord)
    first = letters.help_plan_letter_send(user=user, plan=plan)
    first_bytes = stored_pdf(first)
    second = letters.help_plan_letter_send(user=user, plan=plan)
    assert second.document.replaces == first.document
    assert (first.document.version, second.document.version) == (1, 2)
    first.document.refresh_from_db()
    assert stored_pdf(first) == first_bytes


def test_a_later_broken_template_refuses_new_letters_and_leaves_sent_ones_intact(users, help_nord):
    user = users["caseworker"]
    plan, _ = plan_with_steps(user, help_nord)
    sent = letters.help_plan_letter_send(user=user, plan=plan)
    sent_hash = sent.document.sha256

    # The portal refuses to save a broken template …
    with pytest.raises(ValidationError):
        letters.letter_template_save(
            user=users["admin"],
            kind=LetterKind.HELP_PLAN,
            parts={"subject": "Hilfeplan", "body": "{% for goal in goals %}{{ goal.text }}"},
        )
    # … but a version broken behind its back (a database edit) must not break anything sent.
    LetterTemplateVersion.objects.create(
        template=LetterTemplate.objects.get(kind=LetterKind.HELP_PLAN),
        number=99,
        subject="Hilfeplan",
        body="{% include 'base.html' %}",
    )
    with pytest.raises(ValidationError) as refused:
        letters.help_plan_letter_send(user=user, plan=plan)
    assert "Die Briefvorlage „Hilfeplan für die Familie“ ist fehlerhaft" in str(refused.value)
    assert SentLetter.objects.filter(case=help_nord.case).count() == 1

    data = stored_pdf(sent)
    assert hashlib.sha256(data).hexdigest() == sent_hash
    assert "„Mia schläft um acht.“" in pdf_text(data)


def test_a_saved_template_version_is_used_by_the_next_letter_only(users, help_nord):
    user = users["caseworker"]
    plan, _ = plan_with_steps(user, help_nord)
    before = letters.help_plan_letter_send(user=user, plan=plan)
    version = letters.letter_template_save(
        user=users["admin"],
        kind=LetterKind.LAYOUT,
        parts={
            "letterhead": "<p>{{ office.name }}</p>",
            "address_block": "<p>{{ recipient.name }}</p>",
            "signature": "<p>Herzliche Grüße, {{ caseworker.name }}</p>",
            "footer": "<p>Neue Sprechzeiten: Mittwoch 8 bis 13 Uhr</p>",
        },
        note="Sprechzeiten",
    )
    assert version.number == 2
    after = letters.help_plan_letter_send(user=user, plan=plan)
    assert "Neue Sprechzeiten: Mittwoch 8 bis 13 Uhr" in pdf_text(stored_pdf(after))
    assert "Neue Sprechzeiten" not in pdf_text(stored_pdf(before))
    assert "Dienstag 9 bis 12 Uhr" in pdf_text(stored_pdf(before))


def test_the_commission_notice_is_shared_with_the_own_assignment_only(users, assignment_a):
    user = users["caseworker"]
    letter = letters.commission_notice_send(user=user, assignment=assignment_a)
    text = pdf_text(stored_pdf(letter))
    assert "Beauftragung: Sozialpädagogische Familienhilfe" in text
    assert "Abendroutine mit der Familie aufbauen." in text
    assert "„Mia schläft um acht.“" not in text and "Mia schläft um acht." in text
    assert list(DocumentShare.objects.filter(document=letter.document)) == list(
        DocumentShare.objects.filter(assignment=assignment_a)
    )


def test_agreement_given_in_the_meeting_and_signed_on_paper(users, help_nord, pdf_bytes, exe_bytes):
    user = users["caseworker"]
    plan, _ = plan_with_steps(user, help_nord)
    letter = letters.help_plan_letter_send(user=user, plan=plan)
    given = letters.help_plan_agreement_record(
        user=user,
        plan=plan,
        way=AgreementWay.MEETING,
        given_on=timezone.localdate(),
        given_by="Sandra Beispielkind (Mutter)",
    )
    assert (given.letter, given.document) == (letter, None)

    with pytest.raises(ValidationError) as refused:
        letters.help_plan_agreement_record(
            user=user,
            plan=plan,
            way=AgreementWay.PAPER,
            given_on=timezone.localdate(),
            given_by="Sandra Beispielkind",
        )
    assert "unterschriebenen Hilfeplan hoch" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        letters.help_plan_agreement_record(
            user=user,
            plan=plan,
            way=AgreementWay.PAPER,
            given_on=timezone.localdate(),
            given_by="Sandra Beispielkind",
            uploaded=upload("plan.pdf", exe_bytes),
        )
    assert "kein erlaubtes Format" in str(refused.value)

    signed = letters.help_plan_agreement_record(
        user=user,
        plan=plan,
        way=AgreementWay.PAPER,
        given_on=timezone.localdate(),
        given_by="Sandra Beispielkind",
        uploaded=upload("Hilfeplan unterschrieben.pdf", pdf_bytes),
    )
    assert (signed.document.kind, signed.document.help_plan) == (DocumentKind.CONSENT, plan)
    assert HelpPlanAgreement.objects.filter(help_plan=plan).count() == 2


def test_a_batch_of_overdue_invitations_makes_one_document_per_case(
    users, sozialraum_nord, spfh, django_capture_on_commit_callbacks, tasks_in_process
):
    from cases.models import CaseStatus
    from cases.services import case_transition

    lead = users["team_lead"]
    reviews = []
    for _ in range(3):
        case = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
        case = case_transition(
            user=users["caseworker"], case=case, to_status=CaseStatus.CLARIFICATION
        )
        help_ = decide(user=users["caseworker"], case=case, help_type=spfh)
        review = help_.help_plan.reviews.get()
        type(review).objects.filter(pk=review.pk).update(
            due_on=timezone.localdate() - datetime.timedelta(days=30)
        )
        reviews.append(review)

    from documents.selectors_letters import reviews_for_batch

    due = list(reviews_for_batch(lead))
    assert {r.pk for r in due} == {r.pk for r in reviews}
    with django_capture_on_commit_callbacks(execute=True):
        batch = letters.letter_batch_request(user=lead, reviews=due, with_combined=True)
    batch.refresh_from_db()
    assert (batch.state, batch.made, batch.skipped, batch.progress) == (BatchState.DONE, 3, 0, 100)
    made = SentLetter.objects.filter(batch=batch)
    assert sorted(made.values_list("case_id", flat=True)) == sorted(r.case_id for r in reviews)
    assert Document.objects.filter(kind=DocumentKind.LETTER_SENT).count() == 3
    with batch.combined.open("rb") as handle:
        from pypdf import PdfReader

        assert len(PdfReader(handle).pages) >= 3
    # Running the same batch again (a re-delivered message) makes nothing twice.
    letters.letter_batch_run(batch_id=batch.pk)
    assert SentLetter.objects.filter(batch=batch).count() == 3


def test_a_batch_skips_what_the_requester_may_no_longer_change(
    users, help_nord, case_sued, django_capture_on_commit_callbacks, tasks_in_process
):
    review = help_nord.help_plan.reviews.get()
    with django_capture_on_commit_callbacks(execute=True):
        batch = letters.letter_batch_request(
            user=users["caseworker_sued"], reviews=[review], with_combined=False
        )
    batch.refresh_from_db()
    assert (batch.state, batch.made, batch.skipped) == (BatchState.DONE, 0, 1)
    assert not SentLetter.objects.exists()


def test_anonymising_the_case_removes_the_scan_with_its_agreement_and_empties_names(
    users, help_nord, pdf_bytes
):
    from documents.services import documents_erase_for_cases

    user = users["caseworker"]
    plan, _ = plan_with_steps(user, help_nord)
    letters.help_plan_letter_send(user=user, plan=plan)
    given = letters.help_plan_agreement_record(
        user=user,
        plan=plan,
        way=AgreementWay.MEETING,
        given_on=timezone.localdate(),
        given_by="Sandra Beispielkind (Mutter)",
    )
    letters.help_plan_agreement_record(
        user=user,
        plan=plan,
        way=AgreementWay.PAPER,
        given_on=timezone.localdate(),
        given_by="Sandra Beispielkind",
        uploaded=upload("unterschrieben.pdf", pdf_bytes),
    )
    documents_erase_for_cases(case_ids=[help_nord.case_id])
    assert list(HelpPlanAgreement.objects.all()) == [given]
    given.refresh_from_db()
    assert given.given_by == ""
    assert not SentLetter.objects.exists() and not Document.objects.exists()
