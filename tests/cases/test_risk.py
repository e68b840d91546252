"""§ 8a: a provider's acute assessment reaches the steering caseworker and team lead at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditEntry, CaseStatus, RiskAssessment, RiskLevel
from cases.services import help_end, risk_assess
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory

FACTS = "Mia hatte heute Hämatome am Arm und wollte nicht nach Hause."


@pytest.fixture
def colleague(team_nord):
    """A caseworker of the same team who does not steer the case."""
    return UserFactory(role="caseworker", asd_team=team_nord)


def _report(client, user, assignment, level="acute", facts=FACTS):
    client.force_login(user)
    return client.post(
        reverse("cases:assignment_risk", args=[assignment.pk]), {"level": level, "facts": facts}
    )


def _start_page(client, user):
    client.force_login(user)
    return client.get(reverse("asd_home")).content.decode()


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
    assert risk.acknowledged_at is None
    page = client.get(response.url).content.decode()
    assert "beim ASD noch nicht zur Kenntnis genommen" in page


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
    other = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"])
    calm = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"])
    risk_assess(user=users["caseworker"], case=other, level=RiskLevel.LATENT, facts="unklar")
    risk_assess(user=users["caseworker"], case=calm, level=RiskLevel.NONE, facts="alles gut")
    _report(client, users["provider_staff"], assignment_a)
    html = _start_page(client, users["caseworker"])
    assert html.index(assignment_a.case.number) < html.index(other.number)
    assert "Latente Gefährdung" in html
    assert calm.number not in html


def test_steering_caseworker_acknowledges_and_the_alert_disappears(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    client.force_login(users["caseworker"])
    before = timezone.now()
    response = client.post(reverse("cases:risk_acknowledge", args=[risk.pk]))
    assert response.status_code == 302
    assert response.url.endswith("#gefaehrdung")

    risk.refresh_from_db()
    assert risk.acknowledged_by == users["caseworker"]
    assert before <= risk.acknowledged_at <= timezone.now()
    assert AuditEntry.objects.filter(
        object_type="riskassessment", object_id=risk.pk, detail="Kenntnisnahme § 8a"
    ).exists()
    for user in (users["caseworker"], users["team_lead"]):
        assert 'id="gefaehrdungen"' not in _start_page(client, user)
    detail = client.get(reverse("cases:detail", args=[risk.case_id])).content.decode()
    assert "Zur Kenntnis genommen am" in detail
    # The provider sees that the ASD took note.
    client.force_login(users["provider_staff"])
    page = client.get(reverse("cases:assignment_detail", args=[assignment_a.pk])).content.decode()
    assert "vom ASD zur Kenntnis genommen am" in page


def test_team_lead_may_acknowledge(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    client.force_login(users["team_lead"])
    client.post(reverse("cases:risk_acknowledge", args=[risk.pk]))
    risk.refresh_from_db()
    assert risk.acknowledged_by == users["team_lead"]


def test_second_acknowledgement_keeps_the_first(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    client.force_login(users["caseworker"])
    client.post(reverse("cases:risk_acknowledge", args=[risk.pk]))
    client.force_login(users["team_lead"])
    response = client.post(reverse("cases:risk_acknowledge", args=[risk.pk]), follow=True)
    assert "bereits zur Kenntnis genommen" in response.content.decode()
    risk.refresh_from_db()
    assert risk.acknowledged_by == users["caseworker"]


def test_colleague_caseworker_cannot_acknowledge(client, users, assignment_a, colleague):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    client.force_login(colleague)
    assert client.post(reverse("cases:risk_acknowledge", args=[risk.pk])).status_code == 403
    client.force_login(users["caseworker_sued"])
    assert client.post(reverse("cases:risk_acknowledge", args=[risk.pk])).status_code == 404
    client.force_login(users["provider_staff"])
    assert client.post(reverse("cases:risk_acknowledge", args=[risk.pk])).status_code == 403
    risk.refresh_from_db()
    assert risk.acknowledged_at is None


def test_acknowledgement_only_by_post(client, users, assignment_a):
    _report(client, users["provider_staff"], assignment_a)
    risk = RiskAssessment.objects.get()
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:risk_acknowledge", args=[risk.pk])).status_code == 405
    risk.refresh_from_db()
    assert risk.acknowledged_at is None


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
    assert not RiskAssessment.objects.exists()


def test_case_list_filter_risk_open(client, users, assignment_a, sozialraum_nord):
    quiet = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.CLARIFICATION,
    )
    _report(client, users["provider_staff"], assignment_a)
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:list"), {"risk_open": "on"}).content.decode()
    assert assignment_a.case.number in html
    assert quiet.number not in html
    assert "§ 8a offen</span>" in html

    risk = RiskAssessment.objects.get()
    client.post(reverse("cases:risk_acknowledge", args=[risk.pk]))
    html = client.get(reverse("cases:list"), {"risk_open": "on"}).content.decode()
    assert assignment_a.case.number not in html
