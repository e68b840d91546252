"""§ 8a: a provider's acute assessment reaches the steering caseworker and team lead at once;
each acknowledges in their own role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AcknowledgementRole,
    AuditEntry,
    CaseStatus,
    PersonRole,
    RiskAcknowledgement,
    RiskAssessment,
    RiskLevel,
)
from cases.services import help_end
from tests.cases.conftest import intake
from tests.cases.factories import CaseFactory
from tests.cases.protection import FACTS, assess
from tests.factories import UserFactory


@pytest.fixture
def colleague(team_nord):
    """A caseworker of the same team who does not steer the case."""
    return UserFactory(role="caseworker", asd_team=team_nord)


def _report(client, user, assignment, level="acute", facts=FACTS, **extra):
    client.force_login(user)
    child = assignment.case.persons.filter(role=PersonRole.CHILD).first()
    data = {
        "children": [child.pk] if child else [],
        "known_on": timezone.localdate().isoformat(),
        "known_channel": "own",
        "source": "youth_welfare",
        "facts": facts,
        "level": level,
        "assessors": [user.pk],
        "experienced_professional": "Frau Albers, Kinderschutzzentrum",
        **extra,
    }
    return client.post(reverse("cases:assignment_risk", args=[assignment.pk]), data)


def _start_page(client, user):
    client.force_login(user)
    return client.get(reverse("asd_home")).content.decode()


def _acknowledge(client, user, risk, role):
    client.force_login(user)
    return client.post(reverse("cases:risk_acknowledge", args=[risk.pk]), {"role": role})


def test_provider_staff_record_an_acute_assessment_on_their_assignment(client, users, assignment_a):
    response = _report(client, users["provider_staff"], assignment_a)
    assert response.status_code == 302
    assert response.url.endswith(f"/auftraege/{assignment_a.pk}/#gefaehrdung")
    risk = RiskAssessment.objects.get()
    assert (risk.case, risk.assignment, risk.level, risk.facts, risk.assessed_by) == (
        assignment_a.case,
        assignment_a,
        RiskLevel.ACUTE,
        FACTS,
        users["provider_staff"],
    )
    assert risk.child.first_name == "Mia"
    assert risk.experienced_professional == "Frau Albers, Kinderschutzzentrum"
    assert list(risk.assessors.all()) == [users["provider_staff"]]
    assert not risk.acknowledgements.exists()
    page = client.get(response.url).content.decode()
    assert "beim ASD noch nicht zur Kenntnis genommen" in page


def test_provider_assessment_needs_the_insoweit_erfahrene_fachkraft(client, users, assignment_a):
    response = _report(client, users["provider_staff"], assignment_a, experienced_professional="")
    assert response.status_code == 422
    html = response.content.decode()
    assert "insoweit erfahrene Fachkraft" in html
    assert "mindestens zwei Fachkräfte" in html
    assert FACTS in html  # what was typed stays
    assert not RiskAssessment.objects.exists()


def test_acute_assessment_tops_the_start_page_of_steering_caseworker_and_team_lead(
    client, users, assignment_a, colleague
):
    _report(client, users["provider_staff"], assignment_a)
    number = assignment_a.case.number
    for user in (users["caseworker"], users["team_lead"]):
        html = _start_page(client, user)
        assert "Akute Gefährdung" in html
        assert number in html
        # At the top: before the case block and everything else of the page.
        assert html.index('id="gefaehrdungen"') < html.index('id="faelle-titel"')
        assert html.index('id="gefaehrdungen"') < html.index('id="sr-titel"')
    for user in (users["caseworker_sued"], colleague):
        html = _start_page(client, user)
        assert 'id="gefaehrdungen"' not in html
        assert number not in html


def test_acute_comes_before_latent_and_no_risk_is_not_shown(
    client, users, assignment_a, sozialraum_nord
):
    other = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
    calm = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
    lead = users["team_lead"]
    # Recorded by the team lead, so they wait for the steering caseworker.
    assess(user=lead, case=other, level=RiskLevel.LATENT, facts="unklar")
    assess(user=lead, case=calm, level=RiskLevel.NONE, facts="alles gut")
    assess(user=lead, case=calm, level=RiskLevel.HELP_NEEDED, facts="Hilfebedarf")
    _report(client, users["provider_staff"], assignment_a)
    html = _start_page(client, users["caseworker"])
    assert html.index(assignment_a.case.number) < html.index(other.number)
    assert "Latente Gefährdung" in html
    assert calm.number not in html


def test_steering_caseworker_acknowledges_and_the_team_lead_still_sees_it(
    client, users, assignment_a
):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    before = timezone.now()
    response = _acknowledge(client, users["caseworker"], risk, AcknowledgementRole.STEERING)
    assert response.status_code == 302
    assert response.url.endswith(f"/gefaehrdung/{risk.pk}/#kenntnisnahme")

    ack = RiskAcknowledgement.objects.get()
    assert (ack.assessment, ack.role, ack.user) == (
        risk,
        AcknowledgementRole.STEERING,
        users["caseworker"],
    )
    assert before <= ack.at <= timezone.now()
    assert AuditEntry.objects.filter(
        object_type="riskassessment", object_id=risk.pk, detail="Kenntnisnahme § 8a"
    ).exists()
    assert 'id="gefaehrdungen"' not in _start_page(client, users["caseworker"])
    # The team lead's own acknowledgement is still due.
    assert 'id="gefaehrdungen"' in _start_page(client, users["team_lead"])
    detail = client.get(reverse("cases:detail", args=[risk.case_id])).content.decode()
    assert "Zur Kenntnis genommen am" in detail
    # The provider sees that the ASD took note.
    client.force_login(users["provider_staff"])
    page = client.get(reverse("cases:assignment_detail", args=[assignment_a.pk])).content.decode()
    assert "vom ASD zur Kenntnis genommen: fallsteuernde Fachkraft am" in page


def test_team_lead_acknowledges_in_their_own_role(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    _acknowledge(client, users["team_lead"], risk, AcknowledgementRole.TEAM_LEAD)
    ack = RiskAcknowledgement.objects.get()
    assert (ack.role, ack.user) == (AcknowledgementRole.TEAM_LEAD, users["team_lead"])
    # The steering caseworker still has to take note herself.
    assert 'id="gefaehrdungen"' in _start_page(client, users["caseworker"])


def test_second_acknowledgement_in_the_same_role_keeps_the_first(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    lead_2 = UserFactory(role="team_lead", asd_team=users["team_lead"].asd_team)
    _acknowledge(client, users["team_lead"], risk, AcknowledgementRole.TEAM_LEAD)
    response = _acknowledge(client, lead_2, risk, AcknowledgementRole.TEAM_LEAD)
    followed = client.get(response.url).content.decode()
    assert "in dieser Rolle bereits zur Kenntnis genommen" in followed
    assert RiskAcknowledgement.objects.get().user == users["team_lead"]


def test_caseworker_cannot_acknowledge_as_team_lead(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    _acknowledge(client, users["caseworker"], risk, AcknowledgementRole.TEAM_LEAD)
    assert not RiskAcknowledgement.objects.exists()


def test_colleague_caseworker_cannot_acknowledge(client, users, assignment_a, colleague):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    steering = AcknowledgementRole.STEERING
    assert _acknowledge(client, colleague, risk, steering).status_code == 403
    assert _acknowledge(client, users["caseworker_sued"], risk, steering).status_code == 404
    assert _acknowledge(client, users["provider_staff"], risk, steering).status_code == 403
    assert not RiskAcknowledgement.objects.exists()


def test_acknowledgement_only_by_post(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:risk_acknowledge", args=[risk.pk])).status_code == 405
    assert not RiskAcknowledgement.objects.exists()


def test_staff_of_another_provider_get_404(client, users, assignment_a):
    assert _report(client, users["provider_staff_b"], assignment_a).status_code == 404
    assert not RiskAssessment.objects.exists()


def test_no_assessment_on_an_ended_assignment(client, users, assignment_a):
    help_end(user=users["caseworker"], help_=assignment_a.help, ended_on=assignment_a.starts_on)
    assert _report(client, users["provider_staff"], assignment_a).status_code == 403
    assert not RiskAssessment.objects.exists()


def test_assessment_without_facts_is_refused_with_422(client, users, assignment_a):
    response = _report(client, users["provider_staff"], assignment_a, facts="")
    assert response.status_code == 422
    assert "Bitte beschreiben Sie die Anhaltspunkte." in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_case_list_filter_risk_open(client, users, assignment_a, sozialraum_nord):
    quiet = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.CLARIFICATION,
    )
    _report(client, users["provider_staff"], assignment_a, level="latent")
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:list"), {"risk_open": "on"}).content.decode()
    assert assignment_a.case.number in html
    assert quiet.number not in html
    assert "§ 8a offen</span>" in html

    risk = RiskAssessment.objects.get()
    _acknowledge(client, users["team_lead"], risk, AcknowledgementRole.TEAM_LEAD)
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:list"), {"risk_open": "on"}).content.decode()
    assert assignment_a.case.number not in html
