"""Reads of case work: a case's record, start-page alerts, duplicate checks, assignment lists.

Every selector starts from `cases.permissions`, so nothing here can return what the user may not
see. Lists page by key (the case id), not by OFFSET, so a deep page costs what the first does.
The case list has its own module (`cases.selectors_list`).
"""

import datetime
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    ActionStep,
    Assignment,
    AssignmentStatus,
    Case,
    CaseKind,
    CaseStatus,
    Goal,
    Help,
    HelpPlan,
    HelpPlanReview,
    HelpPlanReviewChange,
    HelpType,
    Note,
    PeerConsultation,
    Person,
    PersonRole,
    Resource,
    RiskAssessment,
    SearchWord,
)
from cases.names import name_part_key, name_words, title_words
from cases.permissions import (
    alerts_reach,
    assignments_visible_to,
    cases_visible_to,
    notes_of_case,
    notes_scope,
    represented_by,
)
from cases.selectors_offers import children_ages, offers_near_case_page
from cases.selectors_protection import risks_of_case, with_acknowledgement_times
from cases.services import PersonInput
from network.models import Offer, Partner
from sozialraum.models import Deputy, Role, User, person_name


def open_reviews() -> QuerySet[HelpPlanReview]:
    """Hilfeplangespräche still to hold: neither recorded nor cancelled."""
    return HelpPlanReview.objects.still_open()


def open_reviews_overdue(today: datetime.date) -> QuerySet[HelpPlanReview]:
    return open_reviews().filter(due_on__lt=today)


def cases_search_words_wrong(*, chunk: int = 2000) -> Iterator[str]:
    """The numbers of the cases whose search words (`SearchWord`) are not those of their
    people's names and their title, or not in their region (none expected: the services keep
    them). Read a chunk of cases at a time, so that a city's millions of words are never in
    memory at once."""
    last = 0
    while True:
        cases = list(
            Case.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "number", "region_id", "title")[:chunk]
        )
        if not cases:
            return
        last = cases[-1][0]
        ids = [pk for pk, *_ in cases]
        expected: dict[int, set[tuple[int | None, int, str]]] = {
            pk: {(None, region_id, word) for word in title_words(title)}
            for pk, _, region_id, title in cases
        }
        regions = {pk: region_id for pk, _, region_id, _ in cases}
        persons = Person.objects.filter(case_id__in=ids).values_list("case_id", "pk", "name_key")
        for case_id, pk, key in persons:
            expected[case_id] |= {(pk, regions[case_id], word) for word in name_words(key)}
        stored: dict[int, set[tuple[int | None, int, str]]] = {pk: set() for pk in ids}
        words = SearchWord.objects.filter(case_id__in=ids).values_list(
            "case_id", "person_id", "region_id", "word"
        )
        for case_id, person_id, region_id, word in words:
            stored[case_id].add((person_id, region_id, word))
        for pk, number, *_ in cases:
            if stored[pk] != expected[pk]:
                yield number


def helps_region_wrong() -> QuerySet[Help]:
    """Helps whose copied region is not their case's (none expected: `Help.region`)."""
    return Help.objects.exclude(region_id=F("case__region_id")).order_by("pk")


def partners_of_region(region_id: int) -> QuerySet[Partner]:
    """Active partners of the region, for linking a resource of a case to one of them."""
    return Partner.objects.filter(is_active=True, sozialraum__region_id=region_id).order_by("name")


def asd_staff_of_region(region_id: int) -> QuerySet[User]:
    """Active caseworkers and team leads of the region, for steering and consultations."""
    return User.objects.filter(
        is_active=True,
        role__in=[Role.CASEWORKER, Role.TEAM_LEAD],
        asd_team__region_id=region_id,
    ).order_by("last_name", "first_name")


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
class GoalWithSteps:
    goal: Goal
    steps: list[ActionStep]


@dataclass
class ConsultationWithParticipants:
    consultation: PeerConsultation
    participants: list[str]  # names, as the page shows them


@dataclass
class HelpWithAssignments:
    help: Help
    assignments: list[Assignment]  # newest first


@dataclass
class NoteWithPresent:
    note: Note
    present: list[Person]  # the family's people at the contact (issue 25)


@dataclass
class CaseRecord:
    """Everything the case page shows, loaded in a fixed number of queries."""

    case: Case
    persons: list[Person]
    resources: list[Resource]
    goals: list[GoalWithSteps]
    helps: list[HelpWithAssignments]
    reviews: list[HelpPlanReview]
    risks: list[RiskAssessment]
    consultations: list[ConsultationWithParticipants]
    notes: list[NoteWithPresent]
    history: list["HistoryRow"]
    today: datetime.date
    # "Angebote in der Nähe" (None where they make no sense: projects, closed cases)
    nearby_offers: list[Offer] | None = None
    children_ages: list[int] = field(default_factory=list)
    linked_offer_ids: set[int] = field(default_factory=set)


# Goals with their steps, consultations with their participants, helps with their assignments
# and reviews, and notes with the people present are each read as one LEFT JOIN (a parent row
# once per child; `FilteredRelation` + `select_related` where the children are model instances)
# rather than with `prefetch_related`, which takes a second query per relation: the case page
# must stay within 15 queries (issue 8) whatever it holds.


def goals_with_steps(case: Case) -> list[GoalWithSteps]:
    """The case's goals, each with its steps (by due date), in one query."""
    rows = (
        Goal.objects.filter(case=case)
        .annotate(
            step_id=F("steps__id"),
            step_text=F("steps__text"),
            step_owner=F("steps__owner"),
            step_due_on=F("steps__due_on"),
            step_done_on=F("steps__done_on"),
        )
        .order_by("id", "steps__due_on", "steps__id")
    )
    goals: dict[int, GoalWithSteps] = {}
    for row in rows:
        item = goals.setdefault(row.pk, GoalWithSteps(goal=row, steps=[]))
        if row.step_id is not None:  # None: a goal without steps yet
            step = ActionStep(
                id=row.step_id,
                goal=item.goal,
                text=row.step_text,
                owner=row.step_owner,
                due_on=row.step_due_on,
                done_on=row.step_done_on,
            )
            item.steps.append(step)
    return list(goals.values())


def consultations_with_participants(case: Case) -> list[ConsultationWithParticipants]:
    """The case's peer consultations, newest first, each with its participants' names."""
    rows = (
        PeerConsultation.objects.filter(case=case)
        .annotate(
            participant_id=F("participants__id"),
            participant_first_name=F("participants__first_name"),
            participant_last_name=F("participants__last_name"),
            participant_username=F("participants__username"),
        )
        .order_by("-held_on", "-id", "participants__last_name", "participants__id")
    )
    consultations: dict[int, ConsultationWithParticipants] = {}
    for row in rows:
        item = consultations.setdefault(
            row.pk, ConsultationWithParticipants(consultation=row, participants=[])
        )
        if row.participant_id is not None:
            name = f"{row.participant_first_name} {row.participant_last_name}".strip()
            item.participants.append(name or row.participant_username)
    return list(consultations.values())


def _person_order(person: Person) -> tuple:
    """The order of `Person.Meta.ordering` (role, birth date, id) with an unknown birth date
    last, as PostgreSQL sorts NULL in ascending order."""
    born = person.birth_date
    return (person.role, born is None, born or datetime.date.min, person.pk)


def notes_for(
    user: User,
    case: Case,
    *,
    through: Assignment | None = None,
    acting_for: int | bool | None = False,
) -> list[NoteWithPresent]:
    """The case's notes the user may read (`permissions.notes_scope`), newest first, each with
    the people present at its contact (one query: a note row once per person present)."""
    scope = notes_scope(user, case, through=through, acting_for=acting_for)
    if scope is None:
        return []
    rows = (
        notes_of_case(case.pk, **scope)
        .annotate(present=FilteredRelation("persons_present"))
        # django-stubs does not know aliases of FilteredRelation in select_related.
        .select_related(  # type: ignore[misc]
            "author", "on_behalf_of", "assignment__provider", "present"
        )
        # The people present are sorted below: ordering through the alias in SQL cost more
        # to build than the few names cost to sort.
        .order_by("-created_at", "-id")
    )
    notes: dict[int, NoteWithPresent] = {}
    for row in rows:
        item = notes.setdefault(row.pk, NoteWithPresent(note=row, present=[]))
        # `select_related` sets the alias only where the LEFT JOIN found a row.
        person = getattr(row, "present", None)
        if person is not None:
            item.present.append(person)
    for item in notes.values():
        if len(item.present) > 1:  # by role, birth date (unknown last), as the case lists them
            item.present.sort(key=_person_order)
    return list(notes.values())


def helps_with_assignments_and_reviews(
    case: Case,
) -> tuple[list[HelpWithAssignments], list[HelpPlanReview]]:
    """The case's helps (by start), each with its assignments (newest first), and the reviews
    of their help plans (by due date), in one query: a help row once per assignment and
    review."""
    rows = (
        case.helps.annotate(
            assignment=FilteredRelation("assignments"),
            review=FilteredRelation("help_plan__reviews"),
        )
        # django-stubs does not know aliases of FilteredRelation in select_related.
        .select_related(  # type: ignore[misc]
            "help_type",
            "help_plan",
            "assignment__provider",
            "assignment__alliance",
            "review__invited_provider",
        )
        # Only the helps are ordered in SQL; assignments and reviews are sorted below. Ordering
        # through the joined aliases cost more to build than the few rows cost to sort.
        .order_by("starts_on", "id")
    )
    helps: dict[int, HelpWithAssignments] = {}
    seen: set[int] = set()
    reviews: dict[int, HelpPlanReview] = {}
    for row in rows:
        item = helps.setdefault(row.pk, HelpWithAssignments(help=row, assignments=[]))
        # `select_related` sets an alias only where its LEFT JOIN found a row.
        assignment = getattr(row, "assignment", None)
        if assignment is not None and assignment.pk not in seen:
            seen.add(assignment.pk)
            item.assignments.append(assignment)
        review = getattr(row, "review", None)
        if review is not None and review.pk not in reviews:
            # The review's plan is the row's own, already joined with the help and its type
            # (the table names the help of each review): no second join through the review.
            review.help_plan = row.help_plan
            reviews[review.pk] = review
    for item in helps.values():
        item.assignments.sort(key=lambda a: a.pk, reverse=True)
    return list(helps.values()), sorted(reviews.values(), key=lambda r: (r.due_on, r.pk))


class HistoryRow(TypedDict):
    """One line of the case's history ("Verlauf") as the case page shows it."""

    changed_at: datetime.datetime
    from_label: str  # empty where the status did not change (a decision kept with its reason)
    to_label: str
    reason: str
    changed_by: str
    on_behalf_of: str  # the absent steering caseworker a deputy acted for, or empty


def case_history(case: Case) -> list[HistoryRow]:
    """The case's status changes, oldest first, as rows of values: the history is read, never
    corrected, and as values it costs a third of the same rows as model instances with their
    two users."""
    rows = case.status_changes.values(
        "changed_at",
        "from_status",
        "to_status",
        "reason",
        "changed_by__first_name",
        "changed_by__last_name",
        "changed_by__username",
        "on_behalf_of__first_name",
        "on_behalf_of__last_name",
        "on_behalf_of__username",
    )
    return [
        HistoryRow(
            changed_at=row["changed_at"],
            from_label=CaseStatus(row["from_status"]).label
            if row["from_status"] and row["from_status"] != row["to_status"]
            else "",
            to_label=CaseStatus(row["to_status"]).label,
            reason=row["reason"],
            changed_by=person_name(
                row["changed_by__first_name"],
                row["changed_by__last_name"],
                row["changed_by__username"],
            ),
            on_behalf_of=person_name(
                row["on_behalf_of__first_name"],
                row["on_behalf_of__last_name"],
                row["on_behalf_of__username"],
            ),
        )
        for row in rows
    ]


def case_record(*, user: User, case: Case, acting_for: int | bool | None = False) -> CaseRecord:
    """Everything the case page shows; `case` comes from `permissions.case_for_user`, which has
    already joined the Sozialraum, region and steering caseworker (`acting_for`: what
    `deputy_acting_for` says, when the caller has asked already)."""
    today = timezone.localdate()
    if case.kind != CaseKind.INDIVIDUAL:  # only projects show providers and partners
        prefetch_related_objects([case], "providers", "partners")
    persons = list(case.persons.all())
    resources = list(case.resources.select_related("partner"))
    nearby = None
    if case.kind == CaseKind.INDIVIDUAL and case.status != CaseStatus.CLOSED:
        nearby = offers_near_case_page(case, persons, on=today)
    helps, reviews = helps_with_assignments_and_reviews(case)
    # `has_risks` comes with the case from `case_and_acting_for_user` (absent: ask).
    risks = risks_of_case(case) if getattr(case, "has_risks", True) else []
    return CaseRecord(
        case=case,
        persons=persons,
        resources=resources,
        nearby_offers=nearby,
        children_ages=children_ages(persons, today),
        linked_offer_ids={r.offer_id for r in resources if r.offer_id},
        goals=goals_with_steps(case),
        helps=helps,
        reviews=reviews,
        risks=list(risks),
        consultations=consultations_with_participants(case),
        notes=notes_for(user, case, acting_for=acting_for),
        history=case_history(case),
        today=today,
    )


def reviews_overdue_for(
    user: User, *, covering: Collection[int] | None = None
) -> QuerySet[HelpPlanReview]:
    """Overdue help plan reviews of the cases whose alerts reach the user, longest overdue
    first (a team lead's team may have hundreds: the start page shows the first few)."""
    today = timezone.localdate()
    return (
        open_reviews_overdue(today)
        .filter(alerts_reach(user, covering=covering))
        .select_related("case", "help_plan__help__help_type")
        # Day and time, as the coming ones: both come from the index `review_open_due_time`.
        .order_by("due_on", "time", "pk")
    )


# How far ahead the start page lists the Hilfeplangespräche to come.
UPCOMING_REVIEW_DAYS = 28


def reviews_upcoming_for(
    user: User, *, covering: Collection[int] | None = None
) -> QuerySet[HelpPlanReview]:
    """Hilfeplangespräche of the next `UPCOMING_REVIEW_DAYS` days (today included) of the cases
    whose alerts reach the user, the soonest first."""
    today = timezone.localdate()
    return (
        open_reviews()
        .filter(
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=UPCOMING_REVIEW_DAYS),
        )
        .filter(alerts_reach(user, covering=covering))
        .select_related("case", "help_plan__help__help_type")
        .order_by("due_on", "time", "pk")
    )


@dataclass
class ReviewWithInvitations:
    review: HelpPlanReview
    invited: list[str]  # the case's people invited, by name
    changes: list[HelpPlanReviewChange]


@dataclass
class HelpPlanRecord:
    """The Hilfeplan page: the help, its goals with their steps, its reviews."""

    help: Help
    plan: HelpPlan
    goals: list[GoalWithSteps]
    reviews: list[ReviewWithInvitations]
    today: datetime.date


def help_plan_record(*, case: Case, help_pk: int) -> HelpPlanRecord:
    """The Hilfeplan of one help of the case (`case` from `permissions.case_for_user`, so an id
    of another case's help is a 404)."""
    help_ = get_object_or_404(case.helps.select_related("help_type", "help_plan"), pk=help_pk)
    try:
        plan = help_.help_plan
    except HelpPlan.DoesNotExist:
        raise Http404("Diese Hilfe hat keinen Hilfeplan.") from None
    goal_ids = set(plan.goals.values_list("pk", flat=True))
    reviews = plan.reviews.select_related("invited_provider", "recorded_by").prefetch_related(
        Prefetch("invited_persons", queryset=Person.objects.order_by("role", "id")),
        Prefetch("changes", queryset=HelpPlanReviewChange.objects.select_related("changed_by")),
    )
    return HelpPlanRecord(
        help=help_,
        plan=plan,
        goals=[item for item in goals_with_steps(case) if item.goal.pk in goal_ids],
        reviews=[
            ReviewWithInvitations(
                review=review,
                invited=[str(person) for person in review.invited_persons.all()],
                changes=list(review.changes.all()),
            )
            for review in reviews
        ],
        today=timezone.localdate(),
    )


def cases_steered_figures(user: User) -> dict[str, int]:
    """The cases the user steers that have not ended ("open": also those still in Eingang and
    Klärung) and, of those, the ones in status "laufend" (a help or a project running)."""
    return (
        cases_visible_to(user)
        .filter(steering_caseworker=user)
        .exclude(status=CaseStatus.CLOSED)
        .aggregate(open=Count("pk"), running=Count("pk", filter=Q(status=CaseStatus.RUNNING)))
    )


class AssignmentRow(TypedDict):
    """One row of the assignment lists (templates/cases/assignment_list.html and the provider's
    start page), as the templates show it; a dict, as the case list's rows
    (`selectors_list.CaseRow`)."""

    pk: int
    url: str
    case_number: str
    help_type: str
    sozialraum: str
    provider: str
    starts_on: datetime.date
    ends_on: datetime.date
    period: str  # "dd.mm.yyyy – dd.mm.yyyy"
    status_label: str


ASSIGNMENT_STATUS_LABELS = dict(AssignmentStatus.choices)


def assignment_list(
    *, user: User, active_only: bool = True, after: int | None = None, page_size: int | None = None
) -> tuple[list[AssignmentRow], int | None]:
    """The assignments the user may see (provider staff: their provider's), newest first, one
    page by id (keyset); the id to continue after, or None on the last page.

    Plain values, not model instances, as on the case list: five related rows per assignment
    were most of the page's work. The detail URL of each row is built from one `reverse()`
    (tests/cases/test_provider_view.py compares it with the pattern)."""
    size = page_size or settings.CASE_LIST_PAGE_SIZE
    rows = assignments_visible_to(user)
    if active_only:
        rows = rows.filter(status=AssignmentStatus.ACTIVE)
    if after is not None:
        rows = rows.filter(id__lt=after)
    page = list(
        rows.order_by("-id").values(
            "id",
            "case__number",
            "help__help_type__paragraph",
            "help__help_type__name",
            "case__sozialraum__name",
            "provider__short_name",
            "starts_on",
            "ends_on",
            "status",
        )[: size + 1]
    )
    # The detail URL of each row from the list's own (cases/urls.py: "<pk>/" below it), as the
    # case list builds its rows' links.
    base = reverse("cases:assignment_list")
    result = [
        AssignmentRow(
            pk=row["id"],
            url=f"{base}{row['id']}/",
            case_number=row["case__number"],
            help_type=HelpType.label_of(
                row["help__help_type__paragraph"], row["help__help_type__name"]
            ),
            sozialraum=row["case__sozialraum__name"] or "",
            provider=row["provider__short_name"] or "",
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            # Formatted here: the `date` filter, twice in each of fifty rows, was a quarter of
            # the list's Python calls (34,614 → 25,892; benchmarks/README.md, session 18).
            period=f"{row['starts_on']:%d.%m.%Y} – {row['ends_on']:%d.%m.%Y}",
            status_label=ASSIGNMENT_STATUS_LABELS.get(row["status"], row["status"]),
        )
        for row in page[:size]
    ]
    return result, (result[-1]["pk"] if len(page) > size else None)


@dataclass
class AssignmentRecord:
    assignment: Assignment
    persons: list[Person]
    goals: list[GoalWithSteps]
    notes: list[NoteWithPresent]
    risks: list[RiskAssessment]
    next_review: HelpPlanReview | None


def assignment_record(*, user: User, assignment: Assignment) -> AssignmentRecord:
    """What a provider needs for its work: the people, goals, scope, contacts and dates."""
    case = assignment.case
    risks = with_acknowledgement_times(case.risk_assessments.select_related("assessed_by", "child"))
    if user.effective_role == Role.PROVIDER_STAFF:
        risks = risks.filter(assignment__provider_id=assignment.provider_id)
    next_review = (
        open_reviews().filter(help_plan__help_id=assignment.help_id).order_by("due_on", "id")
    )
    return AssignmentRecord(
        assignment=assignment,
        persons=list(case.persons.all()),
        goals=goals_with_steps(case),
        notes=notes_for(user, case, through=assignment),
        risks=list(risks),
        next_review=next_review.first(),
    )


# Cases of the people a deputy covers, shown on her start page ("In Vertretung für …").
DEPUTY_CASES_ON_START_PAGE = 50


@dataclass
class Represented:
    """One running deputyship of the user: whom she covers, until when, and the open cases."""

    deputyship: Deputy
    cases: list[Case] = field(default_factory=list)


def cases_represented_for(user: User) -> tuple[list[Represented], bool]:
    """The user's deputyships running today with the absent people's open cases (two queries,
    whatever the number), newest case first; True when more cases follow than are shown."""
    deputyships = list(
        Deputy.objects.active_on(timezone.localdate())
        .filter(deputy_id=user.pk, absent__in=represented_by(user))
        .select_related("absent")
        .order_by("absent__last_name", "id")
    )
    if not deputyships:
        return [], False
    rows = {d.absent_id: Represented(deputyship=d) for d in deputyships}
    cases = list(
        cases_visible_to(user)
        .filter(steering_caseworker_id__in=rows)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("sozialraum")
        .order_by("-id")[: DEPUTY_CASES_ON_START_PAGE + 1]
    )
    for case in cases[:DEPUTY_CASES_ON_START_PAGE]:
        rows[case.steering_caseworker_id].cases.append(case)
    return list(rows.values()), len(cases) > DEPUTY_CASES_ON_START_PAGE
