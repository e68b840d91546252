"""Reads of case work: a case's record, start-page alerts, duplicate checks, assignment lists.

Every selector starts from `cases.permissions`, so nothing here can return what the user may not
see. Lists page by key (the case id), not by OFFSET, so a deep page costs what the first does.
The case list has its own module (`cases.selectors_list`).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from cases.models import (
    Assignment,
    AssignmentStatus,
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
    Goal,
    Help,
    HelpPlanReview,
    Note,
    PeerConsultation,
    Person,
    PersonRole,
    Resource,
    RiskAssessment,
    RiskLevel,
)
from cases.names import name_part_key
from cases.permissions import (
    assignments_visible_to,
    cases_visible_to,
    notes_of_case,
    notes_scope,
)
from cases.selectors_offers import children_ages, offers_near_case_page
from cases.services import PersonInput
from sozialraum.models import Role, User


def open_reviews_overdue(today: datetime.date) -> QuerySet[HelpPlanReview]:
    return HelpPlanReview.objects.filter(held_on__isnull=True, due_on__lt=today)


def open_risks() -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(
        acknowledged_at__isnull=True, level__in=[RiskLevel.LATENT, RiskLevel.ACUTE]
    )


@dataclass(frozen=True)
class DuplicateMatch:
    case_number: str
    region_name: str
    team_name: str
    status_label: str
    person_label: str  # what was typed, so the caseworker sees which entry matched


def persons_possible_duplicates(*, persons: list[PersonInput]) -> list[DuplicateMatch]:
    """Children already known with the same name and birth date, in any region.

    Only the case number and the responsible team are shown, so the caseworker can ask the
    colleagues; nothing is merged.
    """
    matches: list[DuplicateMatch] = []
    seen: set[tuple[str, str]] = set()
    for person in persons:
        if person.role != PersonRole.CHILD or not person.birth_date:
            continue
        key = f"{name_part_key(person.last_name)}|{name_part_key(person.first_name)}"
        found = Person.objects.filter(
            role=PersonRole.CHILD, name_key=key, birth_date=person.birth_date
        ).select_related("case__region", "case__steering_caseworker__asd_team")
        for known in found:
            if (known.case.number, key) in seen:
                continue
            seen.add((known.case.number, key))
            team = known.case.steering_caseworker.asd_team
            matches.append(
                DuplicateMatch(
                    case_number=known.case.number,
                    region_name=known.case.region.name,
                    team_name=team.name if team else "",
                    status_label=known.case.get_status_display(),
                    person_label=f"{person.first_name} {person.last_name}, "
                    f"geb. {person.birth_date:%d.%m.%Y}",
                )
            )
    return matches


@dataclass
class CaseRecord:
    """Everything the case page shows, loaded in a fixed number of queries."""

    case: Case
    persons: list[Person]
    resources: list
    goals: list[Goal]
    helps: list[Help]
    reviews: list[HelpPlanReview]
    risks: list[RiskAssessment]
    consultations: list
    notes: list
    history: list
    today: datetime.date
    # "Angebote in der Nähe" (None where they make no sense: projects, closed cases)
    nearby_offers: list | None = None
    children_ages: list[int] = field(default_factory=list)
    linked_offer_ids: set[int] = field(default_factory=set)


def _joined_values(
    parents: QuerySet, relation: str, child_fields: tuple[str, ...], *, order_by: tuple[str, ...]
) -> QuerySet:
    """Parents and their children (a reverse foreign key or many-to-many) as one LEFT JOIN of
    plain values; `_with_children` makes model instances of the rows.

    `prefetch_related` would take a second query per relation, and the case page must stay
    within a fixed, small number of queries whatever it holds (issue 8: at most 15).
    `child_fields` are attribute names of the child, its "id" first.
    """
    model = parents.model
    parent_fields = [f.attname for f in model._meta.concrete_fields]
    columns = [*parent_fields, *(f"{relation}__{name}" for name in child_fields)]
    return parents.order_by(*order_by).values_list(*columns)


def _with_children(model: type, relation: str, child_fields: tuple[str, ...], rows) -> list:
    """The parents of `_joined_values` rows, each with its children as `<relation>_list`."""
    parent_fields = [f.attname for f in model._meta.concrete_fields]
    child_model = model._meta.get_field(relation).related_model
    width, pk_index = len(parent_fields), parent_fields.index(model._meta.pk.attname)
    found: dict[int, Any] = {}
    for row in rows:
        parent = found.get(row[pk_index])
        if parent is None:
            parent = model.from_db(DEFAULT_DB_ALIAS, parent_fields, row[:width])
            setattr(parent, f"{relation}_list", [])
            found[parent.pk] = parent
        if row[width] is not None:  # the child's id: None where the parent has no children
            child = child_model.from_db(DEFAULT_DB_ALIAS, list(child_fields), row[width:])
            getattr(parent, f"{relation}_list").append(child)
    return list(found.values())


_NAME_FIELDS = ("first_name", "last_name", "username")


def _people_named(rows: QuerySet, *people: str) -> QuerySet:
    """Join the people (users) of each row with their names only; other joins stay whole.

    A user has some twenty columns (password hash, flags, memberships); a page shows who wrote
    or decided something by name, and building every column cost the case page more than its
    queries took in the database.
    """
    own = [f.name for f in rows.model._meta.concrete_fields]
    names = [f"{person}__{name}" for person in people for name in _NAME_FIELDS]
    return rows.select_related(*people).only(*own, *names)


# The case record's queries: one per kind of record, so the page's number of queries is fixed
# whatever the case holds.
_STEP_FIELDS = ("id", "goal_id", "text", "owner", "due_on", "done_on")
_PARTICIPANT_FIELDS = ("id", "username", "first_name", "last_name")


def _goals(*, case_id: int) -> list:
    return list(
        _joined_values(
            Goal.objects.filter(case_id=case_id),
            "steps",
            _STEP_FIELDS,
            order_by=("id", "steps__due_on", "steps__id"),
        )
    )


def _persons(*, case_id: int) -> list:
    return list(Person.objects.filter(case_id=case_id))


def _resources(*, case_id: int) -> list:
    return list(Resource.objects.filter(case_id=case_id).select_related("partner"))


def _helps(*, case_id: int) -> list:
    return list(Help.objects.filter(case_id=case_id).select_related("help_type"))


def _assignments(*, case_id: int) -> list:
    return list(Assignment.objects.filter(case_id=case_id).select_related("provider", "alliance"))


def _reviews(*, case_id: int) -> list:
    return list(
        HelpPlanReview.objects.filter(case_id=case_id).select_related("help_plan__help__help_type")
    )


def _risks(*, case_id: int) -> list:
    return list(
        _people_named(
            RiskAssessment.objects.filter(case_id=case_id), "assessed_by", "acknowledged_by"
        ).select_related("assignment__provider")
    )


def _consultations(*, case_id: int) -> list:
    return list(
        _joined_values(
            PeerConsultation.objects.filter(case_id=case_id),
            "participants",
            _PARTICIPANT_FIELDS,
            order_by=("-held_on", "-id", "participants__last_name", "participants__id"),
        )
    )


def _history(*, case_id: int) -> list:
    return list(_people_named(CaseStatusChange.objects.filter(case_id=case_id), "changed_by"))


def _notes(*, case_id: int) -> list:
    return list(
        _people_named(notes_of_case(case_id), "author").select_related("assignment__provider")
    )


def _notes_for_provider(*, case_id: int, provider_id: int) -> list:
    return list(
        _people_named(notes_of_case(case_id, provider_id), "author").select_related(
            "assignment__provider"
        )
    )


def goals_with_steps(case: Case) -> list[Goal]:
    """The case's goals, each with `steps_list` in the steps' own order, in one query."""
    return _with_children(Goal, "steps", _STEP_FIELDS, _goals(case_id=case.pk))


def notes_for(user: User, case: Case, *, through: Assignment | None = None) -> list[Note]:
    """The case's notes the user may read (`permissions.notes_scope`), newest first."""
    scope = notes_scope(user, case, through=through)
    if scope is None:
        return []
    if scope:
        return _notes_for_provider(case_id=case.pk, **scope)
    return _notes(case_id=case.pk)


def _helps_with_assignments(case: Case) -> list[Help]:
    """The case's helps, each with its assignments as `assignment_list` (newest first)."""
    by_help: dict[int, list[Assignment]] = {}
    for assignment in _assignments(case_id=case.pk):
        by_help.setdefault(assignment.help_id, []).append(assignment)
    helps = _helps(case_id=case.pk)
    for help_ in helps:
        help_.assignment_list = by_help.get(help_.pk, [])
    return helps


def case_record(*, user: User, case: Case) -> CaseRecord:
    """Everything the case page shows; `case` comes from `permissions.case_for_user`, which has
    already joined the Sozialraum, region and steering caseworker."""
    today = timezone.localdate()
    if case.kind != CaseKind.INDIVIDUAL:  # only projects show providers and partners
        prefetch_related_objects([case], "providers", "partners")
    persons = _persons(case_id=case.pk)
    resources = _resources(case_id=case.pk)
    nearby = None
    if case.kind == CaseKind.INDIVIDUAL and case.status != CaseStatus.CLOSED:
        nearby = offers_near_case_page(case, persons, on=today)
    return CaseRecord(
        case=case,
        persons=persons,
        resources=resources,
        nearby_offers=nearby,
        children_ages=children_ages(persons, today),
        linked_offer_ids={r.offer_id for r in resources if r.offer_id},
        goals=goals_with_steps(case),
        helps=_helps_with_assignments(case),
        reviews=_reviews(case_id=case.pk),
        risks=_risks(case_id=case.pk),
        consultations=_with_children(
            PeerConsultation,
            "participants",
            _PARTICIPANT_FIELDS,
            _consultations(case_id=case.pk),
        ),
        notes=notes_for(user, case),
        history=_history(case_id=case.pk),
        today=today,
    )


def _start_page_scope(user: User) -> QuerySet[Case]:
    """Cases whose alerts reach this user: steered by them, or all of the region for team leads."""
    cases = cases_visible_to(user)
    if user.effective_role == Role.TEAM_LEAD:
        return cases
    return cases.filter(steering_caseworker=user)


def risks_open_for(user: User) -> list[RiskAssessment]:
    """§ 8a assessments awaiting acknowledgement (acute first) for the user's start page."""
    scope = _start_page_scope(user)
    risks = open_risks().filter(case__in=scope).select_related("case__sozialraum", "assessed_by")
    return sorted(risks, key=lambda r: (r.level != RiskLevel.ACUTE, r.assessed_at))


def reviews_overdue_for(user: User) -> list[HelpPlanReview]:
    today = timezone.localdate()
    return list(
        open_reviews_overdue(today)
        .filter(case__in=_start_page_scope(user))
        .select_related("case", "help_plan__help__help_type")
        .order_by("due_on")
    )


def cases_steered_count(user: User) -> int:
    return (
        cases_visible_to(user)
        .filter(steering_caseworker=user)
        .exclude(status=CaseStatus.CLOSED)
        .count()
    )


def assignment_list(
    *, user: User, active_only: bool = True, after: int | None = None, page_size: int | None = None
) -> tuple[list[Assignment], int | None]:
    """The assignments the user may see (provider staff: their provider's), newest first, one
    page by id (keyset); the id to continue after, or None on the last page."""
    size = page_size or settings.CASE_LIST_PAGE_SIZE
    rows = assignments_visible_to(user).select_related(
        "case__sozialraum", "help__help_type", "provider"
    )
    if active_only:
        rows = rows.filter(status=AssignmentStatus.ACTIVE)
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = list(rows.order_by("-id")[: size + 1])
    return page[:size], (page[size - 1].pk if len(page) > size else None)


@dataclass
class AssignmentRecord:
    assignment: Assignment
    persons: list[Person]
    goals: list[Goal]
    notes: list
    risks: list[RiskAssessment]
    next_review: HelpPlanReview | None


def _risks_of_case(*, case_id: int) -> list:
    return list(RiskAssessment.objects.filter(case_id=case_id).select_related("assessed_by"))


def _risks_of_provider(*, case_id: int, provider_id: int) -> list:
    return list(
        RiskAssessment.objects.filter(
            case_id=case_id, assignment__provider_id=provider_id
        ).select_related("assessed_by")
    )


def _next_review(*, help_id: int) -> list:
    return list(
        HelpPlanReview.objects.filter(help_plan__help_id=help_id, held_on__isnull=True).order_by(
            "due_on", "id"
        )[:1]
    )


def assignment_record(*, user: User, assignment: Assignment) -> AssignmentRecord:
    """What a provider needs for its work: the people, goals, scope, contacts and dates."""
    case = assignment.case
    if user.effective_role == Role.PROVIDER_STAFF:
        risks = _risks_of_provider(case_id=case.pk, provider_id=assignment.provider_id)
    else:
        risks = _risks_of_case(case_id=case.pk)
    next_review = _next_review(help_id=assignment.help_id)
    return AssignmentRecord(
        assignment=assignment,
        persons=_persons(case_id=case.pk),
        goals=goals_with_steps(case),
        notes=notes_for(user, case, through=assignment),
        risks=risks,
        next_review=next_review[0] if next_review else None,
    )
