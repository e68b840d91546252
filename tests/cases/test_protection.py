"""§ 8a as a process: per child, two staff, acknowledgement per role never by the author,
Schutzplan with a review date, family court and Inobhutnahme; every rule in the service and in
the form, every problem at once, never a 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AcknowledgementRole,
    AuditAction,
    AuditEntry,
    ConcernSource,
    PersonRole,
    ProtectionMeasure,
    RiskAcknowledgement,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
)
from cases.protection import (
    ResultInput,
    family_court_record,
    protection_measure_record,
    risk_acknowledge,
    risk_conclude,
    risk_report,
    safety_measure_add,
    safety_measure_done,
    safety_plan_update,
)
from cases.selectors_protection import risks_open_for, safety_reviews_overdue_for
from cases.services import PersonInput
from tests.cases.conftest import GUARDIAN, intake
from tests.cases.protection import assess, concern, report, second_assessor
from tests.conftest import page_query_limit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STEERING, TEAM_LEAD = AcknowledgementRole.STEERING, AcknowledgementRole.TEAM_LEAD
DAY = datetime.timedelta(days=1)


def _child(first: str, born: str) -> PersonInput:
    return PersonInput(
        role=PersonRole.CHILD,
        first_name=first,
        last_name="Geschwister",
        birth_date=datetime.date.fromisoformat(born),
    )


@pytest.fixture
def siblings(users, sozialraum_nord):
    """A family with two children (Lea, Tom), steered by users["caseworker"]."""
    return intake(
        user=users["caseworker"],
        sozialraum=sozialraum_nord,
        persons=[_child("Lea", "2014-05-01"), _child("Tom", "2017-09-09"), GUARDIAN],
    )


@pytest.fixture
def colleague(team_nord):
    return UserFactory(role="caseworker", asd_team=team_nord, first_name="Kai")


def _result(level, *assessors, **extra) -> ResultInput:
    return ResultInput(level=level, assessors=list(assessors), **extra)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- reporting and assessing, per child ---------------------------------------------------------


def test_a_concern_for_two_siblings_is_two_assessments_with_the_same_facts(users, siblings):
    children = list(siblings.persons.filter(role=PersonRole.CHILD))
    assessments = risk_report(
        user=users["caseworker"],
        case=siblings,
        children=children,
        concern=concern(source=ConcernSource.SCHOOL, source_detail="Grundschule am Park"),
    )
    assert [a.child for a in assessments] == children
    for assessment in assessments:
        assessment.refresh_from_db()
        assert assessment.level == ""  # reported, not yet assessed
        assert assessment.source == ConcernSource.SCHOOL
        assert assessment.source_detail == "Grundschule am Park"
        assert assessment.known_on == timezone.localdate()
    assert len({a.facts for a in assessments}) == 1
    assert (
        AuditEntry.objects.filter(object_type="riskassessment", action=AuditAction.CREATE).count()
        == 2
    )


def test_each_child_is_assessed_on_its_own_by_two_staff(users, siblings, colleague):
    lea, tom = report(user=users["caseworker"], case=siblings)
    risk_conclude(
        user=users["caseworker"],
        assessment=lea,
        result=_result(
            RiskLevel.ACUTE,
            users["caseworker"],
            colleague,
            child_seen=True,
            child_seen_on=timezone.localdate(),
            child_seen_by="Frau Roth und Herr Kai",
        ),
    )
    risk_conclude(
        user=users["caseworker"],
        assessment=tom,
        result=_result(RiskLevel.HELP_NEEDED, users["caseworker"], colleague),
    )
    lea.refresh_from_db()
    tom.refresh_from_db()
    assert (lea.level, tom.level) == (RiskLevel.ACUTE, RiskLevel.HELP_NEEDED)
    assert set(lea.assessors.all()) == {users["caseworker"], colleague}
    assert lea.child_seen and lea.child_seen_by == "Frau Roth und Herr Kai"
    assert lea.concluded_by == users["caseworker"] and lea.concluded_at is not None
    with pytest.raises(ValidationError, match="bereits erfasst"):
        risk_conclude(
            user=users["caseworker"],
            assessment=lea,
            result=_result(RiskLevel.NONE, users["caseworker"], colleague),
        )


def test_fewer_than_two_staff_are_refused(users, case_nord):
    assessment = report(user=users["caseworker"], case=case_nord)[0]
    for assessors in ([users["caseworker"]], [users["caseworker"], users["caseworker"]]):
        with pytest.raises(ValidationError) as refused:
            risk_conclude(
                user=users["caseworker"],
                assessment=assessment,
                result=_result(RiskLevel.LATENT, *assessors),
            )
        assert "mindestens zwei Fachkräfte" in _errors(refused)["assessors"][0]
    assessment.refresh_from_db()
    assert assessment.level == ""


def test_a_provider_names_its_insoweit_erfahrene_fachkraft(users, assignment_a):
    staff = users["provider_staff"]
    children = list(assignment_a.case.persons.filter(role=PersonRole.CHILD))
    with pytest.raises(ValidationError) as refused:
        risk_report(
            user=staff,
            case=assignment_a.case,
            assignment=assignment_a,
            children=children,
            concern=concern(),
            result=_result(RiskLevel.ACUTE, staff, second_assessor(staff)),
        )
    assert "insoweit erfahrene Fachkraft" in _errors(refused)["experienced_professional"][0]
    risk = risk_report(
        user=staff,
        case=assignment_a.case,
        assignment=assignment_a,
        children=children,
        concern=concern(),
        result=_result(RiskLevel.ACUTE, staff, experienced_professional="Frau Albers"),
    )[0]
    assert risk.experienced_professional == "Frau Albers"


def test_every_problem_is_reported_at_once(users, case_nord):
    child = case_nord.persons.get(role=PersonRole.CHILD)
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(ValidationError) as refused:
        risk_report(
            user=users["caseworker"],
            case=case_nord,
            children=[child],
            concern=concern(facts=" ", known_on=tomorrow, source="unbekannt"),
            result=_result(RiskLevel.ACUTE, users["caseworker"], child_seen=True, child_seen_by=""),
        )
    errors = _errors(refused)
    assert set(errors) >= {"known_on", "source", "facts", "assessors", "child_seen_on"}
    assert "in der Zukunft" in errors["known_on"][0]
    assert not RiskAssessment.objects.exists()


def test_only_staff_of_the_region_or_the_provider_assess_together(users, case_nord, assignment_a):
    with pytest.raises(ValidationError) as refused:
        risk_report(
            user=users["caseworker"],
            case=case_nord,
            children=list(case_nord.persons.filter(role=PersonRole.CHILD)),
            concern=concern(),
            result=_result(RiskLevel.LATENT, users["caseworker"], users["caseworker_sued"]),
        )
    assert "des ASD der Region" in _errors(refused)["assessors"][0]
    staff = users["provider_staff"]
    with pytest.raises(ValidationError) as refused:
        risk_report(
            user=staff,
            case=assignment_a.case,
            assignment=assignment_a,
            children=list(assignment_a.case.persons.filter(role=PersonRole.CHILD)),
            concern=concern(),
            result=_result(
                RiskLevel.LATENT,
                staff,
                users["provider_staff_b"],
                experienced_professional="Frau Albers",
            ),
        )
    assert "Ihres Trägers" in _errors(refused)["assessors"][0]
    assert not RiskAssessment.objects.exists()


def test_only_children_of_the_case_are_assessed(users, case_nord, case_sued):
    foreign = case_sued.persons.get(role=PersonRole.CHILD)
    guardian = case_nord.persons.get(role=PersonRole.GUARDIAN)
    for children in ([], [foreign], [guardian]):
        with pytest.raises(ValidationError) as refused:
            risk_report(
                user=users["caseworker"], case=case_nord, children=children, concern=concern()
            )
        assert "children" in _errors(refused)
    assert not RiskAssessment.objects.exists()


# --- acknowledgement per role -------------------------------------------------------------------


def test_the_author_never_acknowledges_her_own_assessment(users, case_nord, colleague):
    own = assess(
        user=users["caseworker"],
        case=case_nord,
        level=RiskLevel.ACUTE,
        assessors=[users["caseworker"], colleague],
    )
    with pytest.raises(ValidationError, match="selbst erfasst"):
        risk_acknowledge(user=users["caseworker"], assessment=own, role=STEERING)
    lead_own = assess(user=users["team_lead"], case=case_nord, level=RiskLevel.LATENT)
    with pytest.raises(ValidationError, match="selbst erfasst"):
        risk_acknowledge(user=users["team_lead"], assessment=lead_own, role=TEAM_LEAD)
    assert not RiskAcknowledgement.objects.exists()


def test_whoever_recorded_the_result_is_an_author_too(users, case_nord, colleague):
    reported = report(user=users["team_lead"], case=case_nord)[0]
    risk_conclude(
        user=users["caseworker"],
        assessment=reported,
        result=_result(RiskLevel.ACUTE, users["caseworker"], colleague),
    )
    with pytest.raises(ValidationError, match="selbst erfasst"):
        risk_acknowledge(user=users["team_lead"], assessment=reported, role=TEAM_LEAD)


def test_steering_caseworker_and_team_lead_acknowledge_each_in_their_role(
    users, case_nord, colleague
):
    risk = assess(user=colleague, case=case_nord, level=RiskLevel.LATENT)
    risk_acknowledge(user=users["caseworker"], assessment=risk, role=STEERING)
    risk_acknowledge(user=users["team_lead"], assessment=risk, role=TEAM_LEAD)
    acks = list(risk.acknowledgements.order_by("role").values_list("role", "user"))
    assert acks == [(STEERING, users["caseworker"].pk), (TEAM_LEAD, users["team_lead"].pk)]
    with pytest.raises(ValidationError, match="bereits"):
        risk_acknowledge(user=users["caseworker"], assessment=risk, role=STEERING)
    with pytest.raises(ValidationError, match="nicht als Teamleitung"):
        risk_acknowledge(user=colleague, assessment=risk, role=TEAM_LEAD)


def test_an_open_or_harmless_assessment_needs_no_acknowledgement(users, case_nord, colleague):
    reported = report(user=colleague, case=case_nord)[0]
    with pytest.raises(ValidationError, match="noch nicht abgeschlossen"):
        risk_acknowledge(user=users["team_lead"], assessment=reported, role=TEAM_LEAD)
    help_needed = assess(user=colleague, case=case_nord, level=RiskLevel.HELP_NEEDED)
    with pytest.raises(ValidationError, match="ohne Gefährdung"):
        risk_acknowledge(user=users["team_lead"], assessment=help_needed, role=TEAM_LEAD)


def test_acute_stays_on_the_team_leads_page_until_acknowledged_and_reviewed(
    users, case_nord, colleague
):
    lead = users["team_lead"]
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    assert list(risks_open_for(lead)) == [risk]
    # The steering caseworker wrote it: nothing waits for her.
    assert list(risks_open_for(users["caseworker"])) == []
    risk_acknowledge(user=lead, assessment=risk, role=TEAM_LEAD)
    assert list(risks_open_for(lead)) == [risk]  # no Schutzplan review date yet
    safety_measure_add(
        user=users["caseworker"],
        assessment=risk,
        text="Täglicher Kita-Besuch",
        responsible="Mutter",
        due_on=timezone.localdate() + DAY,
    )
    assert list(risks_open_for(lead)) == [risk]  # a plan, still without a date
    safety_plan_update(
        user=users["caseworker"], assessment=risk, review_on=timezone.localdate() + 14 * DAY
    )
    assert list(risks_open_for(lead)) == []


def test_a_review_date_alone_does_not_replace_the_team_leads_acknowledgement(users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    safety_plan_update(user=users["caseworker"], assessment=risk, review_on=timezone.localdate())
    assert list(risks_open_for(users["team_lead"])) == [risk]


def test_a_latent_result_leaves_the_team_leads_page_with_the_acknowledgement(
    users, case_nord, colleague
):
    risk = assess(user=colleague, case=case_nord, level=RiskLevel.LATENT)
    assert list(risks_open_for(users["caseworker"])) == [risk]
    risk_acknowledge(user=users["team_lead"], assessment=risk, role=TEAM_LEAD)
    assert list(risks_open_for(users["team_lead"])) == []
    # Her own acknowledgement is still due.
    assert list(risks_open_for(users["caseworker"])) == [risk]


# --- Schutzplan, family court, Inobhutnahme -----------------------------------------------------


def test_the_review_date_is_never_in_the_past(users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    with pytest.raises(ValidationError) as refused:
        safety_plan_update(
            user=users["caseworker"], assessment=risk, review_on=timezone.localdate() - DAY
        )
    assert "Vergangenheit" in _errors(refused)["review_on"][0]
    assert not SafetyPlan.objects.exists()


def test_a_schutzplan_needs_a_result_first(users, case_nord):
    reported = report(user=users["caseworker"], case=case_nord)[0]
    with pytest.raises(ValidationError, match="zuerst das Ergebnis"):
        safety_plan_update(
            user=users["caseworker"], assessment=reported, review_on=timezone.localdate()
        )


def test_measures_are_added_and_done(users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.LATENT)
    with pytest.raises(ValidationError) as refused:
        safety_measure_add(
            user=users["caseworker"],
            assessment=risk,
            text="",
            responsible=" ",
            due_on=timezone.localdate(),
        )
    assert set(_errors(refused)) == {"text", "responsible"}
    measure = safety_measure_add(
        user=users["caseworker"],
        assessment=risk,
        text="Kinderarzt-Termin",
        responsible="Mutter",
        due_on=timezone.localdate(),
    )
    safety_measure_done(user=users["caseworker"], measure=measure, done_on=timezone.localdate())
    measure.refresh_from_db()
    assert measure.done_on == timezone.localdate()
    with pytest.raises(ValidationError, match="bereits"):
        safety_measure_done(user=users["caseworker"], measure=measure, done_on=timezone.localdate())


def test_overdue_reviews_reach_the_caseworker_and_the_team_lead(
    users, case_nord, case_sued, colleague
):
    today = timezone.localdate()
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    plan = safety_plan_update(user=users["caseworker"], assessment=risk, review_on=today)
    assert list(safety_reviews_overdue_for(users["caseworker"], today)) == []
    later = today + 3 * DAY
    for user in (users["caseworker"], users["team_lead"]):
        assert list(safety_reviews_overdue_for(user, later)) == [plan]
    for user in (colleague, users["caseworker_sued"]):
        assert list(safety_reviews_overdue_for(user, later)) == []
    safety_plan_update(user=users["caseworker"], assessment=risk, review_on=None, close=True)
    assert list(safety_reviews_overdue_for(users["team_lead"], later)) == []


def test_family_court_step(users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    with pytest.raises(ValidationError) as refused:
        family_court_record(
            user=users["caseworker"],
            assessment=risk,
            called_on=timezone.localdate() + DAY,
            court="",
        )
    assert set(_errors(refused)) == {"called_on", "court"}
    family_court_record(
        user=users["caseworker"],
        assessment=risk,
        called_on=timezone.localdate(),
        court="Amtsgericht Lindenau, 12 F 345/26",
    )
    risk.refresh_from_db()
    assert risk.family_court_on == timezone.localdate()
    assert risk.family_court == "Amtsgericht Lindenau, 12 F 345/26"


def test_inobhutnahme_is_one_record_linked_to_the_assessment(users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    measure = protection_measure_record(
        user=users["caseworker"], assessment=risk, started_on=timezone.localdate()
    )
    assert (measure.assessment, measure.child, measure.case) == (risk, risk.child, case_nord)
    with pytest.raises(ValidationError, match="bereits erfasst"):
        protection_measure_record(
            user=users["caseworker"], assessment=risk, started_on=timezone.localdate()
        )
    with pytest.raises(ValidationError) as refused:
        protection_measure_record(user=users["caseworker"], assessment=risk, started_on=None)
    assert "started_on" in _errors(refused)
    assert ProtectionMeasure.objects.count() == 1


# --- pages --------------------------------------------------------------------------------------


def _report_form(case, **extra):
    children = case.persons.filter(role=PersonRole.CHILD)
    return {
        "children": [c.pk for c in children],
        "known_on": timezone.localdate().isoformat(),
        "known_channel": "phone",
        "source": "school",
        "source_detail": "Grundschule am Park",
        "facts": "Beide Kinder kamen ohne Frühstück und mit blauen Flecken.",
        "level": "",
        **extra,
    }


def test_the_form_starts_one_assessment_per_chosen_child(client, users, siblings):
    client.force_login(users["caseworker"])
    response = client.post(reverse("cases:risk_add", args=[siblings.pk]), _report_form(siblings))
    assert response.status_code == 302
    assert RiskAssessment.objects.filter(case=siblings, level="").count() == 2
    page = client.get(reverse("cases:detail", args=[siblings.pk])).content.decode()
    assert "Lea Geschwister: Ergebnis steht aus" in page
    assert "Tom Geschwister: Ergebnis steht aus" in page


def test_bad_input_shows_every_message_and_keeps_what_was_typed(client, users, siblings):
    client.force_login(users["caseworker"])
    tomorrow = (timezone.localdate() + DAY).isoformat()
    response = client.post(
        reverse("cases:risk_add", args=[siblings.pk]),
        _report_form(
            siblings,
            known_on=tomorrow,
            level="acute",
            assessors=[users["caseworker"].pk],
            child_seen="on",
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    for message in (
        "in der Zukunft",
        "mindestens zwei Fachkräfte",
        "Bitte geben Sie an, wann das Kind gesehen wurde.",
        "Bitte geben Sie an, wer das Kind gesehen hat.",
    ):
        assert message in html
    assert "Beide Kinder kamen ohne Frühstück" in html
    assert tomorrow in html
    assert not RiskAssessment.objects.exists()


def test_unreadable_input_is_a_german_message_not_a_500(client, users, siblings):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:risk_add", args=[siblings.pk]),
        _report_form(siblings, known_on="31.02.", children=["999999"], level="sehr"),
    )
    assert response.status_code == 422
    assert not RiskAssessment.objects.exists()


def test_the_review_date_form_refuses_the_past(client, users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    client.force_login(users["caseworker"])
    yesterday = (timezone.localdate() - DAY).isoformat()
    response = client.post(reverse("cases:safety_plan", args=[risk.pk]), {"review_on": yesterday})
    assert response.status_code == 422
    assert "Die Überprüfung kann nicht in der Vergangenheit liegen." in response.content.decode()


def test_the_author_sees_why_there_is_no_button(client, users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    # The team lead co-steers as author here: her own role's acknowledgement is refused.
    lead_risk = assess(user=users["team_lead"], case=case_nord, level=RiskLevel.ACUTE)
    client.force_login(users["team_lead"])
    html = client.get(reverse("cases:risk_detail", args=[lead_risk.pk])).content.decode()
    assert "Als Teamleitung zur Kenntnis genommen</button>" not in html
    assert "Sie haben diese Einschätzung selbst erfasst" in html
    html = client.get(reverse("cases:risk_detail", args=[risk.pk])).content.decode()
    assert "Als Teamleitung zur Kenntnis genommen</button>" in html
    assert AuditEntry.objects.filter(
        object_type="riskassessment", object_id=risk.pk, action=AuditAction.VIEW
    ).exists()


def test_outsiders_get_404_and_readers_403(client, users, case_nord, colleague):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    for user in (users["caseworker_sued"],):
        client.force_login(user)
        for name in ("risk_detail", "safety_plan", "family_court"):
            assert client.get(reverse(f"cases:{name}", args=[risk.pk])).status_code == 404
    client.force_login(colleague)
    assert client.get(reverse("cases:risk_detail", args=[risk.pk])).status_code == 200
    for name in ("risk_conclude", "safety_plan", "family_court"):
        assert client.get(reverse(f"cases:{name}", args=[risk.pk])).status_code == 403


def test_start_page_with_many_alerts_stays_within_the_query_limit(
    client, users, sozialraum_nord, django_assert_max_num_queries
):
    lead = users["team_lead"]
    today = timezone.localdate()
    for _ in range(3):
        case = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
        risk = assess(user=users["caseworker"], case=case, level=RiskLevel.ACUTE)
        report(user=users["caseworker"], case=case)
        safety_plan_update(user=users["caseworker"], assessment=risk, review_on=today)
    SafetyPlan.objects.update(review_on=today - 5 * DAY)  # overdue now
    client.force_login(lead)
    client.get(reverse("asd_home"))
    with django_assert_max_num_queries(page_query_limit()):
        html = client.get(reverse("asd_home")).content.decode()
    assert 'id="gefaehrdungen"' in html
    assert 'id="schutzplaene"' in html
    assert html.count("Überprüfung fällig seit") == 3


def test_the_risk_detail_page_stays_within_the_query_limit(
    client, users, case_nord, colleague, django_assert_max_num_queries
):
    risk = assess(user=colleague, case=case_nord, level=RiskLevel.ACUTE)
    for n in range(3):
        safety_measure_add(
            user=users["caseworker"],
            assessment=risk,
            text=f"Maßnahme {n}",
            responsible="ASD",
            due_on=timezone.localdate(),
        )
    risk_acknowledge(user=users["caseworker"], assessment=risk, role=STEERING)
    client.force_login(users["team_lead"])
    with django_assert_max_num_queries(page_query_limit()):
        response = client.get(reverse("cases:risk_detail", args=[risk.pk]))
    assert response.status_code == 200


def test_anonymising_removes_names_from_the_whole_record(users, case_nord):
    from privacy.anonymise import PLACEHOLDER, risk_assessments_anonymise

    risk = risk_report(
        user=users["caseworker"],
        case=case_nord,
        children=list(case_nord.persons.filter(role=PersonRole.CHILD)),
        concern=concern(source=ConcernSource.NEIGHBOUR, source_detail="Frau Nachbarin Kühn"),
        result=_result(
            RiskLevel.ACUTE,
            users["caseworker"],
            users["team_lead"],
            experienced_professional="Herr Erfahren",
            child_seen=True,
            child_seen_on=timezone.localdate(),
            child_seen_by="Frau Roth",
        ),
    )[0]
    measure = safety_measure_add(
        user=users["caseworker"],
        assessment=risk,
        text="Oma Kühn holt ab",
        responsible="Oma Kühn",
        due_on=timezone.localdate(),
    )
    family_court_record(
        user=users["caseworker"],
        assessment=risk,
        called_on=timezone.localdate(),
        court="AG Lindenau, Sache Kühn",
    )
    assert risk_assessments_anonymise(RiskAssessment.objects.filter(pk=risk.pk)) == 1
    risk.refresh_from_db()
    measure.refresh_from_db()
    assert (risk.facts, risk.family_court) == (PLACEHOLDER, PLACEHOLDER)
    assert (risk.source_detail, risk.child_seen_by, risk.experienced_professional) == ("", "", "")
    assert (measure.text, measure.responsible) == (PLACEHOLDER, PLACEHOLDER)
    # What the statistics count stays.
    assert (risk.level, risk.source, risk.family_court_on) == (
        RiskLevel.ACUTE,
        ConcernSource.NEIGHBOUR,
        timezone.localdate(),
    )


def test_the_team_lead_sees_why_an_acknowledged_acute_assessment_stays(client, users, case_nord):
    risk = assess(user=users["caseworker"], case=case_nord, level=RiskLevel.ACUTE)
    risk_acknowledge(user=users["team_lead"], assessment=risk, role=TEAM_LEAD)
    client.force_login(users["team_lead"])
    html = client.get(reverse("asd_home")).content.decode()
    assert "der Schutzplan braucht noch ein Datum der Überprüfung" in html


def test_the_subject_access_export_names_the_steps_but_not_the_informant(client, users, case_nord):
    risk = risk_report(
        user=users["caseworker"],
        case=case_nord,
        children=list(case_nord.persons.filter(role=PersonRole.CHILD)),
        concern=concern(source=ConcernSource.NEIGHBOUR, source_detail="Frau Nachbarin Kühn"),
        result=_result(RiskLevel.ACUTE, users["caseworker"], users["team_lead"]),
    )[0]
    today = timezone.localdate()
    family_court_record(
        user=users["caseworker"], assessment=risk, called_on=today, court="AG Lindenau"
    )
    protection_measure_record(user=users["caseworker"], assessment=risk, started_on=today)
    mother = case_nord.persons.get(role=PersonRole.GUARDIAN)
    client.force_login(users["team_lead"])
    response = client.post(
        reverse("privacy:subject_export"), {"persons": [mother.pk], "output": "html"}
    )
    html = response.content.decode()
    assert f"Familiengericht angerufen am {today:%d.%m.%Y}" in html
    assert f"Inobhutnahme am {today:%d.%m.%Y}" in html
    assert "Kühn" not in html  # § 65 SGB VIII: the informant stays protected


def test_the_team_leads_alerts_come_acute_first_then_unassessed_then_latent(
    client, users, case_nord, colleague
):
    """The order of the start page's § 8a list, as kept by the services (`alert_rank`):
    acute, then concerns not yet assessed, then latent; within each the oldest first. A result
    recorded later moves a reported concern to its place."""
    lead = users["team_lead"]
    latent = assess(user=colleague, case=case_nord, level=RiskLevel.LATENT)
    reported_first = report(user=colleague, case=case_nord)[0]
    acute = assess(user=colleague, case=case_nord, level=RiskLevel.ACUTE)
    reported_second = report(user=colleague, case=case_nord)[0]
    assert list(risks_open_for(lead)) == [acute, reported_first, reported_second, latent]

    def conclude(risk, level):
        assessors = [colleague, second_assessor(colleague)]
        risk_conclude(user=colleague, assessment=risk, result=ResultInput(level, assessors))

    conclude(reported_first, RiskLevel.ACUTE)
    # Concluded as acute: among the acute ones, by when it was reported (before `acute`).
    assert list(risks_open_for(lead)) == [reported_first, acute, reported_second, latent]
    conclude(reported_second, RiskLevel.LATENT)
    assert list(risks_open_for(lead)) == [reported_first, acute, latent, reported_second]
    # And so on the team lead's start page.
    client.force_login(lead)
    html = client.get(reverse("asd_home")).content.decode()
    links = [reverse("cases:risk_detail", args=[r.pk]) for r in (reported_first, acute, latent)]
    positions = [html.index(f'href="{link}"') for link in links]
    assert positions == sorted(positions)
