"""Berichtigung of case records (issue 24, part 1): the author corrects within the office's
period, the team lead after it, always with a reason; the earlier version stays in the history
on the record and the audit has both; anyone else gets 403 with the reason. A case created by
mistake is withdrawn by the team lead: gone from the list and the figures, kept in the audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.corrections import help_correct_record, note_correct, review_correct, risk_correct
from cases.models import AuditEntry, HelpPlanReview, Note
from cases.services import note_add
from corrections.models import Correction
from corrections.selectors import corrections_of, record_key
from tests.cases.factories import RiskAssessmentFactory
from tests.factories import UserFactory


@pytest.fixture
def note(users, case_nord):
    return note_add(user=users["caseworker"], case=case_nord, text="Mia schläft um neun.")


@pytest.fixture
def colleague(team_nord):
    """A caseworker of the same team who did not write the record."""
    return UserFactory(role="caseworker", asd_team=team_nord)


def _age(record, days: int) -> None:
    """Pretend the record was written `days` ago (the ledger of time, not of money)."""
    field = {Note: "created_at"}.get(type(record), "assessed_at")
    type(record).objects.filter(pk=record.pk).update(
        **{field: timezone.now() - datetime.timedelta(days=days)}
    )
    record.refresh_from_db()


def test_author_corrects_a_note_and_the_earlier_version_stays_in_history_and_audit(users, note):
    correction = note_correct(
        user=users["caseworker"],
        note=note,
        text="Mia schläft um acht.",
        internal=True,
        reason="Uhrzeit vertippt",
    )

    note.refresh_from_db()
    assert note.text == "Mia schläft um acht."
    history = corrections_of([note])[record_key(note)]
    assert history == [correction]
    assert correction.reason == "Uhrzeit vertippt"
    assert correction.corrected_by == users["caseworker"]
    assert correction.changes == [
        {
            "field": "text",
            "label": "Text",
            "before": "Mia schläft um neun.",
            "after": "Mia schläft um acht.",
        }
    ]
    trail = AuditEntry.objects.filter(object_type="note", object_id=note.pk)
    assert sorted(trail.values_list("action", flat=True)) == ["change", "create"]
    assert trail.get(action="change").detail == "Vermerk berichtigt"


def test_a_correction_without_reason_or_without_change_is_refused_in_german(users, note):
    with pytest.raises(ValidationError) as missing:
        note_correct(user=users["caseworker"], note=note, text="Neu", internal=True, reason=" ")
    assert missing.value.message_dict == {
        "reason": ["Bitte geben Sie den Grund der Berichtigung an."]
    }
    with pytest.raises(ValidationError) as unchanged:
        note_correct(
            user=users["caseworker"], note=note, text=note.text, internal=True, reason="Test"
        )
    assert "nichts geändert" in unchanged.value.messages[0]
    assert not Correction.objects.exists()


def test_after_the_period_only_the_team_lead_corrects(users, note, settings):
    settings.CORRECTION_DAYS = 14
    _age(note, 15)
    with pytest.raises(PermissionDenied, match="nur durch die Teamleitung nach 14 Tagen"):
        note_correct(user=users["caseworker"], note=note, text="x", internal=True, reason="y")

    note_correct(user=users["team_lead"], note=note, text="x", internal=True, reason="y")
    assert Correction.objects.count() == 1


def test_colleague_and_outsiders_get_403_or_404_on_the_correction_page(
    client, users, note, colleague
):
    url = reverse("cases:note_correct", args=[note.case_id, note.pk])
    client.force_login(colleague)
    response = client.get(url)
    assert response.status_code == 403
    assert "Teamleitung" in response.content.decode()
    client.force_login(users["caseworker_sued"])
    assert client.get(url).status_code == 404
    client.force_login(users["caseworker"])
    assert client.get(url).status_code == 200


def test_the_case_page_links_correction_or_says_why_not_and_shows_the_history(
    client, users, note, colleague
):
    note_correct(
        user=users["caseworker"], note=note, text="Neuer Text", internal=True, reason="Tippfehler"
    )
    page = reverse("cases:detail", args=[note.case_id])
    client.force_login(users["caseworker"])
    html = client.get(page).content.decode()
    assert reverse("cases:note_correct", args=[note.case_id, note.pk]) in html
    assert "Berichtigung am" in html and "Grund: <span" in html
    assert "„Mia schläft um neun.“" in html
    client.force_login(colleague)
    html = client.get(page).content.decode()
    assert reverse("cases:note_correct", args=[note.case_id, note.pk]) not in html
    assert "Berichtigen nicht möglich" in html


def test_correcting_a_note_through_the_form_keeps_what_was_typed_on_a_refusal(client, users, note):
    client.force_login(users["caseworker"])
    url = reverse("cases:note_correct", args=[note.case_id, note.pk])
    response = client.post(url, {"text": "Berichtigter Text", "internal": "on", "reason": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte geben Sie den Grund an." in html and "Berichtigter Text" in html

    response = client.post(
        url, {"text": "Berichtigter Text", "internal": "on", "reason": "Tippfehler"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Berichtigter Text"


def test_review_record_is_corrected_with_history(users, help_nord, today):
    review = HelpPlanReview.objects.get(help_plan__help=help_nord)
    HelpPlanReview.objects.filter(pk=review.pk).update(
        held_on=today, participants="Mutter", summary="Alles gut", recorded_by=users["caseworker"]
    )
    review.refresh_from_db()
    correction = review_correct(
        user=users["caseworker"],
        review=review,
        held_on=today,
        participants="Mutter, Mia",
        summary="Alles gut",
        reason="Mia war auch dabei",
    )
    assert correction.changes[0]["before"] == "Mutter"
    assert AuditEntry.objects.filter(
        object_type="helpplanreview", object_id=review.pk, detail="Hilfeplangespräch berichtigt"
    ).exists()


def test_review_correction_by_someone_else_is_403(client, users, help_nord, today, colleague):
    review = HelpPlanReview.objects.get(help_plan__help=help_nord)
    HelpPlanReview.objects.filter(pk=review.pk).update(
        held_on=today, summary="x", recorded_by=users["caseworker"]
    )
    client.force_login(colleague)
    url = reverse("cases:review_correct", args=[help_nord.case_id, review.pk])
    assert client.get(url).status_code == 403


def test_risk_assessment_facts_are_corrected_with_history_and_audit(users, case_nord):
    assessment = RiskAssessmentFactory(case=case_nord, assessed_by=users["caseworker"], level="")
    correction = risk_correct(
        user=users["caseworker"],
        assessment=assessment,
        facts="Das Kind kam mit einem blauen Fleck in die Kita.",
        reason="Beobachtung genauer beschrieben",
    )
    assert correction.before == {"facts": "Das Kind kam mit Verletzungen in die Kita."}
    assert AuditEntry.objects.filter(
        object_type="riskassessment", detail="Gefährdungseinschätzung berichtigt"
    ).exists()


def test_risk_correction_by_a_colleague_is_403(client, users, case_nord, colleague):
    assessment = RiskAssessmentFactory(case=case_nord, assessed_by=users["caseworker"], level="")
    client.force_login(colleague)
    url = reverse("cases:risk_correct", args=[case_nord.pk, assessment.pk])
    assert client.get(url).status_code == 403


def test_provider_staff_correct_their_own_entry_and_the_asd_sees_the_history(
    client, users, assignment_a
):
    entry = note_add(
        user=users["provider_staff"],
        case=assignment_a.case,
        assignment=assignment_a,
        kind="progress",
        text="Termin am Dienstag.",
    )
    url = reverse("cases:assignment_note_correct", args=[assignment_a.pk, entry.pk])
    client.force_login(users["provider_staff_b"])
    assert client.get(url).status_code == 404
    client.force_login(users["provider_staff"])
    page = client.get(reverse("cases:assignment_detail", args=[assignment_a.pk])).content.decode()
    assert url in page
    response = client.post(url, {"text": "Termin am Mittwoch.", "reason": "Tag vertippt"})
    assert response.status_code == 302
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[assignment_a.case_id])).content.decode()
    assert "Termin am Mittwoch." in html and "„Termin am Dienstag.“" in html


def test_the_retention_run_takes_the_earlier_versions_with_the_record(users, note, help_nord):
    """A correction's history holds the earlier texts: anonymising or deleting the record
    removes it as well (privacy.anonymise)."""
    from django.utils import timezone as tz

    from privacy.anonymise import case_anonymise, notes_anonymise, rows_delete

    note_correct(user=users["caseworker"], note=note, text="neu", internal=True, reason="x")
    help_correct_record(
        user=users["caseworker"],
        help_=help_nord,
        starts_on=help_nord.starts_on,
        planned_end_on=help_nord.planned_end_on,
        hours_per_week=help_nord.hours_per_week,
        monthly_cost=None,
        placement_location="",
        rationale="Neue Begründung",
        reason="ergänzt",
    )
    assert Correction.objects.count() == 2
    notes_anonymise(Note.objects.filter(pk=note.pk))
    case_anonymise(case=help_nord.case, at=tz.now())
    assert not Correction.objects.exists()

    note_correct(user=users["caseworker"], note=note, text="wieder", internal=True, reason="y")
    rows_delete(type(help_nord.case).objects.filter(pk=note.case_id))
    assert not Correction.objects.exists()


def test_a_withdrawn_case_leaves_the_list_and_waits_for_the_retention_run(client, users, case_nord):
    from budgets.corrections import case_withdraw
    from privacy.models import RecordType
    from privacy.selectors import cases_of_type

    case_withdraw(user=users["team_lead"], case=case_nord, reason="irrtümlich angelegt")

    client.force_login(users["caseworker"])
    assert case_nord.number not in client.get(reverse("cases:list")).content.decode()
    assert AuditEntry.objects.filter(
        case_number=case_nord.number, detail="Fall zurückgenommen"
    ).exists()
    assert case_nord.pk in cases_of_type(RecordType.CASE_WITHOUT_HELP).values_list("pk", flat=True)
