"""The one rule for who may see and change case-related objects.

- ASD staff (caseworkers, team leads) see every case of their own region. The steering caseworker
  and the region's team leads change it; the other caseworkers of the team read it.
- Provider staff reach a case only through an assignment of their own provider, and see only
  what that assignment needs; notes the ASD marks as internal never reach them.
- Planners and administrators see no personal case data at all (aggregates only, elsewhere).

Views load every object through these functions: an object outside the user's scope is a 404
(its existence is not confirmed), an object they may read but not change is a 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import Assignment, AssignmentStatus, Case, Note, NoteKind, RiskAssessment
from sozialraum.models import Role
from sozialraum.prepared import PreparedQuery

READ_ONLY = (
    "Sie können diesen Fall einsehen, aber nicht ändern: "
    "das dürfen die fallsteuernde Fachkraft und die Teamleitung."
)


def _is_asd(user: Any) -> bool:
    return user.is_authenticated and user.effective_role in (Role.CASEWORKER, Role.TEAM_LEAD)


def _is_provider_staff(user: Any) -> bool:
    return user.is_authenticated and user.effective_role == Role.PROVIDER_STAFF


def case_scope(user: Any) -> dict[str, int] | None:
    """Which cases the user sees, as filter arguments: ASD staff their own region's
    (`region_id`); everyone else none (None)."""
    return {"region_id": user.asd_team.region_id} if _is_asd(user) and user.asd_team_id else None


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Every case the user may open; empty for roles without access to personal case data."""
    scope = case_scope(user)
    return Case.objects.none() if scope is None else Case.objects.filter(**scope)


def can_change_case(user: Any, case: Case) -> bool:
    if not _is_asd(user) or case.region_id != user.asd_team.region_id:
        return False
    return user.effective_role == Role.TEAM_LEAD or case.steering_caseworker_id == user.pk


# Every case page starts here: compiled once (sozialraum/prepared.py).
_CASE = PreparedQuery(
    lambda pk, **scope: Case.objects.filter(pk=pk, **scope).select_related(
        "sozialraum__region", "region", "steering_caseworker__asd_team"
    )
)


def case_get(user: Any, pk: int, *, for_change: bool = False) -> Case:
    """The case if the user may see it (404 otherwise); 403 if a change is asked and not allowed."""
    scope = case_scope(user)
    found = [] if scope is None else _CASE.run(pk=pk, **scope)
    if not found:
        raise Http404("Fall nicht gefunden.")
    case = found[0]
    if for_change and not can_change_case(user, case):
        raise PermissionDenied(READ_ONLY)
    return case


def assignment_scope(user: Any) -> dict[str, int] | None:
    """Which assignments the user sees, as filter arguments: their provider's
    (`provider_id`), their region's cases' (`case__region_id`), or none (None)."""
    if _is_provider_staff(user) and user.provider_id:
        return {"provider_id": user.provider_id}
    if _is_asd(user) and user.asd_team_id:
        return {"case__region_id": user.asd_team.region_id}
    return None


def can_work_on_assignment(user: Any, assignment: Assignment) -> bool:
    """Provider staff write notes and reports on their own provider's running assignments."""
    return (
        _is_provider_staff(user)
        and assignment.provider_id == user.provider_id
        and assignment.status == AssignmentStatus.ACTIVE
    )


def _assignment_with_case(pk: int, **scope: int) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(pk=pk, **scope)
        .select_related(
            "case__sozialraum",
            "case__steering_caseworker__asd_team",
            "help__help_type",
            "provider",
            "alliance",
        )
        .order_by()
    )


# Every assignment page starts here: compiled once for provider staff and once for the ASD
# (a PreparedQuery keeps one form per set of argument names).
_ASSIGNMENT = PreparedQuery(_assignment_with_case)


def assignment_get(user: Any, pk: int, *, for_work: bool = False) -> Assignment:
    """The assignment if the user may see it (404 otherwise; guessing an ID reveals nothing)."""
    scope = assignment_scope(user)
    found = [] if scope is None else _ASSIGNMENT.run(pk=pk, **scope)
    if not found:
        raise Http404("Falldurchführung nicht gefunden.")
    assignment = found[0]
    if for_work and not can_work_on_assignment(user, assignment):
        raise PermissionDenied(
            "Diese Falldurchführung ist beendet; es sind keine Einträge mehr möglich."
        )
    return assignment


def notes_scope(
    user: Any, case: Case, *, through: Assignment | None = None
) -> dict[str, int] | None:
    """Which of the case's notes the user reads, as arguments of `notes_of_case`: all ({}),
    those for a provider ({"provider_id": …}), or none (None). `through`: an assignment of the
    case already loaded through `assignment_get`, which spares asking whether the provider has
    one."""
    if _is_asd(user) and case.region_id == user.asd_team.region_id:
        return {}
    if not _is_provider_staff(user):
        return None
    own = through is not None and (through.case_id, through.provider_id) == (
        case.pk,
        user.provider_id,
    )
    if own or case.assignments.filter(provider_id=user.provider_id).exists():
        return {"provider_id": user.provider_id}
    return None


def notes_of_case(case_id: int, provider_id: int | None = None) -> QuerySet[Note]:
    """ASD staff of the region read every note; provider staff their own assignment's notes and
    the ASD's notes that are not internal. Call it with what `notes_scope` allows."""
    notes = Note.objects.filter(case_id=case_id)
    if provider_id is None:
        return notes
    return notes.filter(
        Q(assignment__provider_id=provider_id) | Q(kind=NoteKind.ASD, internal=False)
    )


def can_assess_risk(user: Any, case: Case) -> bool:
    """ASD staff who steer or lead the case, and provider staff working on it, record § 8a."""
    if can_change_case(user, case):
        return True
    return (
        _is_provider_staff(user)
        and case.assignments.filter(
            provider_id=user.provider_id, status=AssignmentStatus.ACTIVE
        ).exists()
    )


def risk_assessment_get_for_acknowledgement(user: Any, pk: int) -> RiskAssessment:
    """Only the steering caseworker or a team lead of the case's region acknowledges."""
    try:
        assessment = RiskAssessment.objects.select_related("case").get(
            pk=pk, case__in=cases_visible_to(user)
        )
    except RiskAssessment.DoesNotExist:
        raise Http404("Einschätzung nicht gefunden.") from None
    if not can_change_case(user, assessment.case):
        raise PermissionDenied(
            "Die Kenntnisnahme ist der fallsteuernden Fachkraft und der Teamleitung vorbehalten."
        )
    return assessment
