"""Issue 27: a closed case takes nothing new. Every add-form answers with the German refusal and
writes nothing; the team lead of the region offers and does the reopening, with a reason."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    ActionStep,
    Case,
    CaseStatus,
    CaseStatusChange,
    EndReason,
    Goal,
    Help,
    Note,
    PeerConsultation,
    Person,
    Resource,
    Sharing,
)
from cases.services import (
    PersonInput,
    case_reopen,
    case_transition,
    goal_add,
    note_add,
    person_add,
)

REFUSAL = "Dieser Fall ist beendet: Es kann nichts mehr ergänzt werden."
MODELS = (Person, Resource, Goal, ActionStep, Note, PeerConsultation, Sharing, Help)


@pytest.fixture
def closed_case(users, case_nord):
    goal_add(user=users["caseworker"], case=case_nord, text="Ruhige Abende")
    return case_transition(
        user=users["caseworker"],
        case=case_nord,
        to_status=CaseStatus.CLOSED,
        end_reason=EndReason.TRANSFERRED,
        reason="Umzug nach Kiel",
    )


def _add_urls(case: Case) -> dict[str, str]:
    goal = case.goals.first()
    return {
        "person_add": reverse("cases:person_add", args=[case.pk]),
        "resource_add": reverse("cases:resource_add", args=[case.pk]),
        "goal_add": reverse("cases:goal_add", args=[case.pk]),
        "step_add": reverse("cases:step_add", args=[case.pk, goal.pk]),
        "note_add": reverse("cases:note_add", args=[case.pk]),
        "consultation_add": reverse("cases:consultation_add", args=[case.pk]),
        "sharing_add": reverse("cases:sharing_add", args=[case.pk]),
        "help_decide": reverse("cases:help_decide", args=[case.pk]),
    }


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


FILLED = {
    "text": "Neuer Eintrag",
    "first_name": "Neu",
    "last_name": "Person",
    "role": "child",
    "kind": "person",
    "description": "Oma hilft",
    "owner": "family",
    "question": "Wie weiter?",
    "purpose": "Schule",
    "contact_on": timezone.localdate().isoformat(),
    "held_on": timezone.localdate().isoformat(),
}


def test_each_add_form_on_a_closed_case_answers_with_the_message_and_writes_nothing(
    client, users, closed_case
):
    client.force_login(users["caseworker"])
    before = _counts()
    for name, url in _add_urls(closed_case).items():
        page = client.get(url)
        assert page.status_code == 200, name
        html = page.content.decode()
        assert REFUSAL in html, name
        assert "<form" not in html.split("<main", 1)[-1].split("</main>", 1)[0], name
        assert "Fall wieder öffnen" not in html, name  # the caseworker may not reopen
        response = client.post(url, FILLED)
        assert response.status_code == 409, name
        assert REFUSAL in response.content.decode(), name
    assert _counts() == before


def test_the_team_lead_is_offered_the_reopening_and_reopens_with_a_reason(
    client, users, closed_case
):
    client.force_login(users["team_lead"])
    html = client.get(reverse("cases:note_add", args=[closed_case.pk])).content.decode()
    reopen = reverse("cases:reopen", args=[closed_case.pk])
    assert REFUSAL in html and f'href="{reopen}"' in html
    response = client.post(reopen, {"reason": ""})
    assert response.status_code == 422
    assert Case.objects.get(pk=closed_case.pk).status == CaseStatus.CLOSED
    response = client.post(reopen, {"reason": "Familie ist zurückgezogen"})
    assert response.status_code == 302
    case = Case.objects.get(pk=closed_case.pk)
    assert (case.status, case.closed_on, case.end_reason) == (CaseStatus.CLARIFICATION, None, "")
    change = CaseStatusChange.objects.filter(case=case).latest("pk")
    assert (change.from_status, change.reason) == (CaseStatus.CLOSED, "Familie ist zurückgezogen")
    note_add(user=users["team_lead"], case=case, text="Wieder da.")  # open again: takes notes


def test_only_the_region_team_lead_may_reopen(client, users, closed_case):
    with pytest.raises(ValidationError):
        case_reopen(user=users["caseworker"], case=closed_case, reason="bitte")
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:reopen", args=[closed_case.pk])).status_code == 403


def test_the_services_refuse_a_closed_and_a_withdrawn_case(users, closed_case, case_sued):
    with pytest.raises(ValidationError) as refused:
        note_add(user=users["caseworker"], case=closed_case, text="Nachtrag")
    assert refused.value.messages[0].startswith(REFUSAL)
    with pytest.raises(ValidationError):
        person_add(
            user=users["caseworker"],
            case=closed_case,
            data=PersonInput(role="child", first_name="A", last_name="B", birth_date=None),
        )
    case_sued.withdrawn_at = timezone.now()
    case_sued.withdrawal_reason = "irrtümlich angelegt"
    with pytest.raises(ValidationError) as refused:
        goal_add(user=users["caseworker_sued"], case=case_sued, text="x")
    assert refused.value.messages == [
        "Dieser Fall ist zurückgenommen: Es kann nichts mehr ergänzt werden."
    ]


def test_the_case_page_of_a_closed_case_shows_the_refusal_instead_of_its_add_links(
    client, users, closed_case
):
    client.force_login(users["team_lead"])
    html = client.get(reverse("cases:detail", args=[closed_case.pk])).content.decode()
    assert REFUSAL in html
    assert f'href="{reverse("cases:reopen", args=[closed_case.pk])}"' in html
    for url in _add_urls(closed_case).values():
        assert f'href="{url}"' not in html, url
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[closed_case.pk])).content.decode()
    assert REFUSAL in html and "Fall wieder öffnen" not in html
