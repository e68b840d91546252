"""The status workflow: every step the rules allow, every step they refuse, and the history."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AssignmentStatus,
    AuditEntry,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    EndReason,
    HelpPlanReview,
)
from cases.services import case_transition
from cases.workflow import INDIVIDUAL_TRANSITIONS, PROJECT_TRANSITIONS, refusal_message
from tests.cases.factories import CaseFactory, HelpFactory, ProjectFactory

ALL = list(CaseStatus.values)


def _matrix(transitions):
    return [
        pytest.param(src, dst, dst in transitions[src], id=f"{src}->{dst}")
        for src, dst in itertools.product(transitions, ALL)
    ]


def _state(case):
    case.refresh_from_db()
    return (
        case.status,
        case.end_reason,
        case.closed_on,
        case.status_changes.count(),
        AuditEntry.objects.filter(case_number=case.number).count(),
    )


@pytest.mark.parametrize(("src", "dst", "allowed"), _matrix(INDIVIDUAL_TRANSITIONS))
def test_individual_case_transition_matrix(users, sozialraum_nord, src, dst, allowed):
    caseworker = users["caseworker"]
    case = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=caseworker, status=src)
    # A decided help exists, so that only the workflow itself decides the outcome.
    HelpFactory(case=case)
    before = _state(case)

    if allowed:
        case_transition(
            user=caseworker, case=case, to_status=dst, reason="weil", end_reason="other"
        )
        case.refresh_from_db()
        assert case.status == dst
        change = case.status_changes.get()
        assert (change.from_status, change.to_status, change.changed_by) == (src, dst, caseworker)
    else:
        with pytest.raises(ValidationError) as refused:
            case_transition(
                user=caseworker, case=case, to_status=dst, reason="weil", end_reason="other"
            )
        assert refused.value.messages == [refusal_message(CaseKind.INDIVIDUAL, src, dst)]
        assert _state(case) == before


@pytest.mark.parametrize(("src", "dst", "allowed"), _matrix(PROJECT_TRANSITIONS))
@pytest.mark.parametrize("kind", [CaseKind.CROSS_CASE, CaseKind.CASE_INDEPENDENT])
def test_project_transition_matrix(users, sozialraum_nord, kind, src, dst, allowed):
    caseworker = users["caseworker"]
    case = ProjectFactory(
        sozialraum=sozialraum_nord, steering_caseworker=caseworker, status=src, kind=kind
    )
    before = _state(case)

    if allowed:
        case_transition(user=caseworker, case=case, to_status=dst, end_reason="project_completed")
        case.refresh_from_db()
        assert case.status == dst
        assert case.status_changes.get().to_status == dst
    else:
        with pytest.raises(ValidationError) as refused:
            case_transition(user=caseworker, case=case, to_status=dst, end_reason="other")
        assert refused.value.messages == [refusal_message(kind, src, dst)]
        assert _state(case) == before


def test_refusal_message_names_the_statuses_in_german():
    assert refusal_message(CaseKind.INDIVIDUAL, CaseStatus.INTAKE, CaseStatus.RUNNING) == (
        "Ein Fall im Status „Eingang“ kann nicht auf „laufend“ gesetzt werden. "
        "Möglich ist: „Klärung“, „beendet“."
    )
    assert refusal_message(CaseKind.CROSS_CASE, CaseStatus.CLOSED, CaseStatus.RUNNING).endswith(
        "Möglich ist: keiner (der Fall ist beendet)."
    )


def test_projects_never_pass_through_clarification_or_help_decision():
    assert set(PROJECT_TRANSITIONS) == {CaseStatus.INTAKE, CaseStatus.RUNNING, CaseStatus.CLOSED}


def test_every_transition_writes_history_with_who_when_and_why(users, case_nord, today):
    caseworker = users["caseworker"]
    case_transition(
        user=caseworker, case=case_nord, to_status=CaseStatus.CLARIFICATION, reason="Erstgespräch"
    )
    history = list(case_nord.status_changes.all())
    # The intake itself is the first entry.
    assert [(h.from_status, h.to_status) for h in history] == [
        ("", CaseStatus.INTAKE),
        (CaseStatus.INTAKE, CaseStatus.CLARIFICATION),
    ]
    last = history[-1]
    assert last.changed_by == caseworker
    assert last.reason == "Erstgespräch"
    # The day in the office's time zone: between 23:00 and 24:00 UTC it is already tomorrow in
    # Germany, and the stored time's UTC date would be yesterday's.
    assert timezone.localdate(last.changed_at) == today


def test_team_lead_transition_is_recorded_as_the_team_lead(users, case_nord):
    case_transition(user=users["team_lead"], case=case_nord, to_status=CaseStatus.CLARIFICATION)
    assert case_nord.status_changes.last().changed_by == users["team_lead"]


def test_closing_without_end_reason_is_refused_and_changes_nothing(users, case_nord):
    before = _state(case_nord)
    with pytest.raises(ValidationError) as refused:
        case_transition(user=users["caseworker"], case=case_nord, to_status=CaseStatus.CLOSED)
    assert refused.value.message_dict == {
        "end_reason": ["Bitte wählen Sie einen Beendigungsgrund."]
    }
    assert _state(case_nord) == before


def test_closing_with_an_unknown_end_reason_is_refused(users, case_nord):
    with pytest.raises(ValidationError):
        case_transition(
            user=users["caseworker"], case=case_nord, to_status="closed", end_reason="langeweile"
        )
    case_nord.refresh_from_db()
    assert case_nord.status == CaseStatus.INTAKE


def test_closing_a_running_case_ends_its_helps_assignments_and_open_reviews(
    users, assignment_a, today
):
    case = assignment_a.case
    case.refresh_from_db()
    assert case.status == CaseStatus.RUNNING
    assert HelpPlanReview.objects.filter(case=case, held_on__isnull=True).exists()

    case_transition(
        user=users["caseworker"],
        case=case,
        to_status=CaseStatus.CLOSED,
        end_reason=EndReason.GOALS_REACHED,
        reason="Ziele erreicht, Familie kommt allein zurecht.",
    )

    case.refresh_from_db()
    assert (case.status, case.end_reason, case.closed_on) == (
        CaseStatus.CLOSED,
        EndReason.GOALS_REACHED,
        today,
    )
    assignment_a.refresh_from_db()
    assignment_a.help.refresh_from_db()
    assert assignment_a.help.ended_on == today
    assert (assignment_a.status, assignment_a.ended_on) == (AssignmentStatus.ENDED, today)
    # The open appointment is cancelled with the reason, never deleted.
    review = HelpPlanReview.objects.get(case=case, held_on__isnull=True)
    assert (review.cancelled_on, review.is_open) == (today, False)


def test_closing_before_a_future_help_starts_ends_it_on_its_start(users, sozialraum_nord, today):
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.HELP_DECIDED,
    )
    future = today + datetime.timedelta(days=365)
    # Planned to end some weeks later (not "the 28th": on the 29th to 31st that lay before it).
    help_ = HelpFactory(
        case=case, starts_on=future, planned_end_on=future + datetime.timedelta(days=60)
    )
    case_transition(user=users["caseworker"], case=case, to_status="closed", end_reason="other")
    help_.refresh_from_db()
    assert help_.ended_on == future


def test_help_decided_needs_a_help(users, case_in_clarification):
    with pytest.raises(ValidationError) as refused:
        case_transition(
            user=users["caseworker"],
            case=case_in_clarification,
            to_status=CaseStatus.HELP_DECIDED,
        )
    assert "setzt eine erfasste Hilfe voraus" in refused.value.messages[0]
    case_in_clarification.refresh_from_db()
    assert case_in_clarification.status == CaseStatus.CLARIFICATION


def test_an_individual_case_runs_only_with_a_help(users, sozialraum_nord):
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.HELP_DECIDED,
    )
    with pytest.raises(ValidationError) as refused:
        case_transition(user=users["caseworker"], case=case, to_status=CaseStatus.RUNNING)
    assert refused.value.messages == ["Ein Fall läuft erst, wenn eine Hilfe entschieden ist."]


def test_reopening_a_decision_withdraws_the_help_never_started(users, help_nord):
    case = help_nord.case
    case_transition(
        user=users["caseworker"],
        case=case,
        to_status=CaseStatus.CLARIFICATION,
        reason="Familie lehnt ab",
    )
    help_nord.refresh_from_db()
    assert help_nord.ended_on is not None
    assert not HelpPlanReview.objects.filter(
        case=case, held_on__isnull=True, cancelled_on__isnull=True
    ).exists()


# --- the status page ------------------------------------------------------------------------


def test_status_page_moves_the_case_and_shows_it_in_the_history(client, users, case_nord):
    client.force_login(users["caseworker"])
    url = reverse("budgets:case_transition", args=[case_nord.pk])
    data = {"to_status": "clarification", "end_reason": "", "reason": "Erstgespräch geführt"}
    # Issue 24: first what will happen, then the change once it is confirmed.
    preview = client.post(url, data).content.decode()
    assert "Der Fall wechselt von „Eingang“ zu „Klärung“." in preview
    response = client.post(url, {**data, "confirmed": "True"})
    assert response.status_code == 302
    assert response.url.endswith("#verlauf")
    detail = client.get(response.url).content.decode()
    assert "Erstgespräch geführt" in detail
    assert "Eingang → Klärung" in detail


def test_status_page_offers_only_the_allowed_next_steps(client, users, case_nord):
    client.force_login(users["caseworker"])
    html = client.get(reverse("budgets:case_transition", args=[case_nord.pk])).content.decode()
    assert '<option value="clarification"' in html
    assert '<option value="closed"' in html
    assert '<option value="running"' not in html


def test_status_page_refuses_an_illegal_step_with_422_and_keeps_the_reason(
    client, users, case_nord
):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("budgets:case_transition", args=[case_nord.pk]),
        {"to_status": "running", "end_reason": "", "reason": "Meine getippte Begründung"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert refusal_message(CaseKind.INDIVIDUAL, "intake", "running") in html
    assert "Meine getippte Begründung" in html
    case_nord.refresh_from_db()
    assert case_nord.status == CaseStatus.INTAKE
    assert CaseStatusChange.objects.filter(case=case_nord).count() == 1


def test_status_page_closing_without_end_reason_marks_the_field(client, users, case_nord):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("budgets:case_transition", args=[case_nord.pk]),
        {"to_status": "closed", "end_reason": "", "reason": "Umzug nach Hamburg"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Bitte wählen Sie einen Beendigungsgrund." in html
    assert "Umzug nach Hamburg" in html
    case_nord.refresh_from_db()
    assert case_nord.status == CaseStatus.INTAKE


def test_colleague_in_the_team_may_not_change_the_status(client, users, case_nord, team_nord):
    from tests.factories import UserFactory

    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    client.force_login(colleague)
    response = client.post(
        reverse("budgets:case_transition", args=[case_nord.pk]), {"to_status": "clarification"}
    )
    assert response.status_code == 403
    case_nord.refresh_from_db()
    assert case_nord.status == CaseStatus.INTAKE
