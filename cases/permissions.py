"""The one rule for who may see and change case-related objects.

- ASD staff (caseworkers, team leads) see every case of their own region. The steering caseworker
  and the region's team leads change it; the other caseworkers of the team read it.
- Provider staff reach a case only through an assignment of their own provider, and see only
  what that assignment needs; notes the ASD marks as internal never reach them.
- Planners and administrators see no personal case data at all (aggregates only, elsewhere).
- A deputy (`Deputy`, Vertretung) sees and changes the cases the absent person steers, like the
  steering caseworker, on the days of the period only; a deputy from another region reaches
  nothing else of that region.

Views load every object through these functions: `<thing>_for_user(user, pk)` returns the object
or raises 404 when it is outside the user's scope (its existence is not confirmed), 403 when they
may read but not change it; `<things>_visible_to(user)` is the QuerySet for lists.
"""

import datetime
from collections.abc import Collection
from operator import attrgetter
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import (
    AllocationProposal,
    Assignment,
    AssignmentStatus,
    Case,
    CaseStatus,
    Note,
    NoteKind,
    ProtectionMeasure,
    RiskAssessment,
    Sharing,
)
from sozialraum.models import Deputy, Role, User

# A record of a case (help, assessment, claim …) that `of_visible_case_for_user` loads.
RecordT = TypeVar("RecordT", bound=Model)

READ_ONLY = (
    "Sie können diesen Fall einsehen, aber nicht ändern: "
    "das dürfen die fallsteuernde Fachkraft und die Teamleitung."
)


def _is_asd(user: User) -> bool:
    return user.is_authenticated and user.effective_role in (Role.CASEWORKER, Role.TEAM_LEAD)


def _is_provider_staff(user: User) -> bool:
    return user.is_authenticated and user.effective_role == Role.PROVIDER_STAFF


def region_of_asd(user: User) -> int | None:
    """The region whose cases the user sees: ASD staff their team's; everyone else none."""
    return user.asd_team.region_id if _is_asd(user) and user.asd_team else None


def represented_by(user: User, on: datetime.date | None = None) -> QuerySet[User]:
    """The people `user` covers as a deputy on `on` (today): a subquery for access checks."""
    if not _is_asd(user):
        return User.objects.none()
    active = Deputy.objects.active_on(on or timezone.localdate()).filter(deputy_id=user.pk)
    return User.objects.filter(pk__in=active.values("absent_id"))


def cases_visible_to(user: User, *, covering: Collection[int] | None = None) -> QuerySet[Case]:
    """Every case the user may open; empty for roles without access to personal case data.
    ASD staff: their region's cases and, during a deputyship, the cases the absent person
    steers: by a subquery on the deputyships, or by `covering` (`covered_ids(user)`) where the
    caller has read them. Lists that page through a region pass them: with the subquery OR'ed
    to the region, PostgreSQL cannot use the region's index and reads every case."""
    region_id = region_of_asd(user)
    if region_id is None:
        return Case.objects.none()
    if covering is None:
        return Case.objects.filter(
            Q(region_id=region_id) | Q(steering_caseworker__in=represented_by(user))
        )
    scope = Q(region_id=region_id)
    if covering:
        scope |= Q(steering_caseworker_id__in=list(covering))
    return Case.objects.filter(scope)


def covered_ids(user: User) -> list[int]:
    """The ids of the people `user` covers as a deputy today (one small query)."""
    return list(represented_by(user).values_list("pk", flat=True))


def alerts_reach(user: User, *, via: str = "case", covering: Collection[int] | None = None) -> Q:
    """The records (reviews, § 8a assessments, safety plans: `via` names their case) whose
    alerts reach the user's start page: for a team lead those of every case she may open, for
    a caseworker those of the cases she steers or covers as a deputy. `covering` is
    `covered_ids(user)` where the caller has it already.

    A condition on the record's own join to its case with the deputyships as a list of ids,
    not `case__in=<cases>` with a subquery: PostgreSQL then read all 9,000 cases of a region
    (at the 100,000-case city) to find a few dozen open alerts, 25–30 ms a list; now it starts
    from the alerts or from the steering caseworker's index."""
    region_id = region_of_asd(user)
    if region_id is None:
        return Q(pk__in=[])
    covering = covered_ids(user) if covering is None else list(covering)
    case = f"{via}__"
    live = Q(**{f"{case}withdrawn_at__isnull": True})
    if user.effective_role == Role.TEAM_LEAD:
        reach = Q(**{f"{case}region_id": region_id})
        if covering:
            reach |= Q(**{f"{case}steering_caseworker_id__in": covering})
        return live & reach
    # Her own cases of her region, and those of the people she covers wherever they lie
    # (she may open them while she covers them: `cases_visible_to`). Her own as a subquery of
    # ids that the index of steering caseworker and region answers alone: a caseworker may
    # steer hundreds of cases, and only their ids are needed to find the few with an alert.
    own = Case.objects.filter(steering_caseworker_id=user.pk, region_id=region_id).values("pk")
    reach = Q(**{f"{via}__in": own})
    if covering:
        reach |= Q(**{f"{case}steering_caseworker_id__in": covering})
    return live & reach


def _may_be_deputy_for(user: User, case: Case) -> bool:
    """The steering caseworker and the region's team leads act by their own right, never
    "in Vertretung"; only other ASD staff can be a deputy for the case."""
    if not _is_asd(user) or case.steering_caseworker_id == user.pk:
        return False
    return not (user.effective_role == Role.TEAM_LEAD and region_of_asd(user) == case.region_id)


def is_deputy_for_case(user: User, case: Case) -> bool:
    """True while `user` covers the case's steering caseworker (one small query)."""
    if not _may_be_deputy_for(user, case):
        return False
    return represented_by(user).filter(pk=case.steering_caseworker_id).exists()


def deputy_acting_for(user: User, case: Case) -> int | None:
    """The id of the absent steering caseworker when `user` acts on `case` as her deputy
    today; what the records of the step carry as `on_behalf_of` ("in Vertretung")."""
    return case.steering_caseworker_id if is_deputy_for_case(user, case) else None


def can_change_case(user: User, case: Case, *, acting_for: int | bool | None = False) -> bool:
    """The steering caseworker, the region's team leads and a deputy of the steering caseworker
    (`acting_for` as `deputy_acting_for` gives it when the caller has asked already)."""
    if region_of_asd(user) == case.region_id and (
        user.effective_role == Role.TEAM_LEAD or case.steering_caseworker_id == user.pk
    ):
        return True
    if acting_for is not False:
        return acting_for is not None
    return is_deputy_for_case(user, case)


def can_reopen_case(user: User, case: Case) -> bool:
    """The team lead of the case's region reopens a closed case (with a reason,
    `cases.services.case_reopen`); a withdrawn case is never reopened."""
    return (
        case.status == CaseStatus.CLOSED
        and case.withdrawn_at is None
        and user.effective_role == Role.TEAM_LEAD
        and region_of_asd(user) == case.region_id
    )


def case_for_user(user: User, pk: int, *, for_change: bool = False) -> Case:
    """The case if the user may see it (404 otherwise); 403 if a change is asked and not allowed."""
    # `get`, not `first`: a lookup by key needs no ORDER BY, whose building hashes every
    # joined column (a third of this query's cost in Python).
    try:
        case = (
            cases_visible_to(user)
            .select_related("sozialraum__region", "region", "steering_caseworker__asd_team")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404("Fall nicht gefunden.") from None
    if for_change and not can_change_case(user, case):
        raise PermissionDenied(READ_ONLY)
    return case


def of_visible_case_for_user(
    records: QuerySet[RecordT],
    user: User,
    pk: int,
    *,
    missing: str,
    via: str = "case",
    for_change: bool = False,
    read_only: str = READ_ONLY,
) -> RecordT:
    """One record that belongs to a case (a help, an assessment, a claim; `via` is the path
    from the record to its case) if the user may see the case, else 404 with `missing`; with
    `for_change` 403 (`read_only`) unless the user may change the case. `records` brings the
    record's joins (and any further condition, such as the case of the URL); it should join
    the case, which the check for a change reads."""
    try:
        record = records.get(pk=pk, **{f"{via}__in": cases_visible_to(user)})
    except ObjectDoesNotExist:
        raise Http404(missing) from None
    if for_change:
        case = attrgetter(via.replace("__", "."))(record)
        assert isinstance(case, Case)  # `via` leads to the record's case
        if not can_change_case(user, case):
            raise PermissionDenied(read_only)
    return record


def case_and_acting_for_user(user: User, pk: int) -> tuple[Case, int | None]:
    """The case as `case_for_user` gives it (404 otherwise) and what `deputy_acting_for` says:
    the case page asks it for the audit entry, the right to change, the "in Vertretung" note
    and corrections. The people the user covers are read first as a list of ids (one small
    query), which both decides the scope and answers whether she acts for the case's steering
    caseworker; as subqueries the two cost more Python to build than the query they spare."""
    covering = covered_ids(user)
    cases = (
        cases_visible_to(user, covering=covering)
        .select_related("sozialraum__region", "region", "steering_caseworker__asd_team")
        .annotate(
            # Whether the page's Sozialraumteam and Inobhutnahme lists have anything to show:
            # most cases have neither, and then the page asks for them no further.
            has_proposals=Exists(AllocationProposal.objects.filter(case=OuterRef("pk"))),
            has_custodies=Exists(ProtectionMeasure.objects.filter(case=OuterRef("pk"))),
            # Most cases have no § 8a assessment: then the page does not build their query.
            has_risks=Exists(RiskAssessment.objects.filter(case=OuterRef("pk"))),
            has_sharings=Exists(Sharing.objects.filter(case=OuterRef("pk"))),
        )
    )
    try:
        case = cases.get(pk=pk)
    except Case.DoesNotExist:
        raise Http404("Fall nicht gefunden.") from None
    acting = _may_be_deputy_for(user, case) and case.steering_caseworker_id in covering
    return case, case.steering_caseworker_id if acting else None


def assignments_visible_to(user: User) -> QuerySet[Assignment]:
    """Provider staff see their provider's assignments, ASD staff those of their region's cases,
    everyone else none."""
    # A withdrawn case's commissions leave with it (a small NOT IN, no join to the case).
    withdrawn = Case.all_objects.filter(withdrawn_at__isnull=False).values("pk")
    if _is_provider_staff(user) and user.provider_id:
        return Assignment.objects.filter(provider_id=user.provider_id).exclude(
            case_id__in=withdrawn
        )
    region_id = region_of_asd(user)
    if region_id is not None:
        return Assignment.objects.filter(
            Q(case__region_id=region_id) | Q(case__steering_caseworker__in=represented_by(user))
        ).exclude(case_id__in=withdrawn)
    return Assignment.objects.none()


def can_work_on_assignment(user: User, assignment: Assignment) -> bool:
    """Provider staff write notes and reports on their own provider's running assignments."""
    return (
        _is_provider_staff(user)
        and assignment.provider_id == user.provider_id
        and assignment.status == AssignmentStatus.ACTIVE
    )


def assignment_for_user(user: User, pk: int, *, for_work: bool = False) -> Assignment:
    """The assignment if the user may see it (404 otherwise; guessing an ID reveals nothing)."""
    try:
        assignment = (
            assignments_visible_to(user)
            .select_related(
                "case__sozialraum",
                "case__steering_caseworker__asd_team",
                "help__help_type",
                "provider",
                "alliance",
            )
            .get(pk=pk)
        )
    except Assignment.DoesNotExist:
        raise Http404("Falldurchführung nicht gefunden.") from None
    if for_work and not can_work_on_assignment(user, assignment):
        raise PermissionDenied(
            "Diese Falldurchführung ist beendet; es sind keine Einträge mehr möglich."
        )
    return assignment


def notes_scope(
    user: User,
    case: Case,
    *,
    through: Assignment | None = None,
    acting_for: int | bool | None = False,
) -> dict[str, int] | None:
    """Which of the case's notes the user reads, as arguments of `notes_of_case`: all ({}),
    those for a provider ({"provider_id": …}), or none (None). `through`: an assignment of the
    case already loaded through `assignment_for_user`, which spares asking whether the provider
    has one. `acting_for`: what `deputy_acting_for` says, when the caller has asked already."""
    if region_of_asd(user) == case.region_id:
        return {}
    if is_deputy_for_case(user, case) if acting_for is False else acting_for is not None:
        return {}
    if not _is_provider_staff(user) or user.provider_id is None:
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


def can_assess_risk(user: User, case: Case) -> bool:
    """ASD staff who steer or lead the case, and provider staff working on it, record § 8a."""
    if can_change_case(user, case):
        return True
    if not _is_provider_staff(user) or user.provider_id is None:
        return False
    return case.assignments.filter(
        provider_id=user.provider_id, status=AssignmentStatus.ACTIVE
    ).exists()


def risk_assessment_for_user(user: User, pk: int, *, for_change: bool = False) -> RiskAssessment:
    """The § 8a assessment of a case the user may see (404 otherwise); with `for_change` (the
    acknowledgement, the result, the Schutzplan and the steps) 403 unless the user may change
    the case (steering caseworker or team lead)."""
    return of_visible_case_for_user(
        RiskAssessment.objects.select_related(
            "case__sozialraum", "child", "assessed_by", "concluded_by", "assignment__provider"
        ),
        user,
        pk,
        missing="Einschätzung nicht gefunden.",
        for_change=for_change,
        read_only="Kenntnisnahme, Schutzplan und weitere Schritte sind der fallsteuernden "
        "Fachkraft und der Teamleitung vorbehalten.",
    )
