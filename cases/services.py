"""Writes of case work. Views call these; each runs in one transaction and is audited.

Access is checked by the views through `cases.permissions` before a service is called; the
services check the rules of the work itself (workflow, dates, who may acknowledge).
"""

import calendar
import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.audit import audit_record
from cases.catalogue import HELP_TYPES
from cases.models import (
    ActionStep,
    Assignment,
    AssignmentStatus,
    AuditAction,
    Case,
    CaseKind,
    CaseNumberSequence,
    CaseStatus,
    CaseStatusChange,
    EndReason,
    Goal,
    Help,
    HelpPlan,
    HelpPlanReview,
    HelpPlanReviewChange,
    HelpType,
    Note,
    NoteKind,
    PeerConsultation,
    Person,
    PersonRole,
    Resource,
    ResourceKind,
    SearchWord,
    StepOwner,
)
from cases.names import name_key, name_words, title_words
from cases.permissions import can_reopen_case, deputy_acting_for
from cases.review_due import case_review_due_refresh
from cases.services_kjh import (
    HelpItems,
    help_items_apply,
    help_statistics_errors,
    young_person_default,
)
from cases.workflow import may_close_as_transferred, refusal_message, transitions_for
from network.models import Offer, Partner
from sozialraum.models import Provider, ProviderAlliance, RegionProvider, Role, Sozialraum, User
from sozialraum.plausibility import Checks, date_de, decimal_de


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clipped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def review_interval_months() -> int:
    return settings.HELP_PLAN_REVIEW_MONTHS


# The latest a Hilfeplangespräch may be set after the help starts or after the last one: § 36
# asks for regular reviews, and a date further out is almost always a typing error.
REVIEW_LATEST_MONTHS = 12


def review_due_default(starts_on: datetime.date) -> datetime.date:
    """The office's rule for the next Hilfeplangespräch: `HELP_PLAN_REVIEW_MONTHS` later."""
    return add_months(starts_on, review_interval_months())


def review_date_errors(
    *, on: datetime.date, after: datetime.date, field: str, after_label: str
) -> dict[str, str]:
    """The German refusal of a review date before `after` or more than `REVIEW_LATEST_MONTHS`
    after it (keyed by the form field), empty when the date is plausible."""
    if on < after:
        return {field: f"Das Gespräch kann nicht vor {after_label} ({after:%d.%m.%Y}) liegen."}
    latest = add_months(after, REVIEW_LATEST_MONTHS)
    if on > latest:
        return {
            field: f"Das Gespräch sollte spätestens {REVIEW_LATEST_MONTHS} Monate nach "
            f"{after_label} stattfinden, also bis zum {latest:%d.%m.%Y}."
        }
    return {}


def help_types_ensure() -> None:
    """Put the starting catalogue back where it is missing (e.g. after a test database flush);
    entries an office has changed stay as they are."""
    for order, (code, paragraph, name, placement, own) in enumerate(HELP_TYPES, start=1):
        HelpType.objects.get_or_create(
            code=code,
            defaults={
                "paragraph": paragraph,
                "name": name,
                "is_placement": placement,
                "is_sozialraum_offer": own,
                "sort_order": order,
            },
        )


def case_number_next(*, region_id: int, year: int, region_code: str) -> str:
    """Draw the next case number of a region and year, e.g. "N-2026-0042" (locks the row).

    Its own atomic block: inside a caller's transaction it is a savepoint, and a caller without
    one (a script, a test factory) still gets the row lock instead of an error."""
    with transaction.atomic():
        sequence, _ = CaseNumberSequence.objects.get_or_create(region_id=region_id, year=year)
        sequence = CaseNumberSequence.objects.select_for_update().get(pk=sequence.pk)
        sequence.last = F("last") + 1
        sequence.save(update_fields=["last"])
        sequence.refresh_from_db(fields=["last"])
    return f"{region_code}-{year}-{sequence.last:04d}"


def _status_log(*, case: Case, user: User, from_status: str, reason: str = "") -> None:
    CaseStatusChange.objects.create(
        case=case,
        from_status=from_status,
        to_status=case.status,
        reason=reason,
        changed_by=user,
        on_behalf_of_id=deputy_acting_for(user, case),
    )


@dataclass(frozen=True)
class PersonInput:
    role: str
    first_name: str
    last_name: str
    birth_date: datetime.date | None = None
    relation: str = ""
    phone: str = ""
    # KJH statistics items of a young person (cases.kjh_items); "" = not yet known
    sex: str = ""
    parent_foreign_origin: str = ""
    german_at_home: str = ""


@dataclass(frozen=True)
class ResourceInput:
    kind: str
    description: str
    partner: Partner | None = None


def _case_create(*, user: User, sozialraum: Sozialraum, opened_on: datetime.date, **fields) -> Case:
    case = Case(
        number=case_number_next(
            region_id=sozialraum.region_id, year=opened_on.year, region_code=sozialraum.region.code
        ),
        region_id=sozialraum.region_id,
        sozialraum=sozialraum,
        opened_on=opened_on,
        created_by=user,
        **fields,
    )
    case.full_clean()
    case.save()
    _status_log(case=case, user=user, from_status="", reason="Falleingang")
    return case


def _check_steering(*, steering_caseworker: User, sozialraum: Sozialraum) -> None:
    team = steering_caseworker.asd_team
    if steering_caseworker.effective_role not in (Role.CASEWORKER, Role.TEAM_LEAD) or (
        team is None or team.region_id != sozialraum.region_id
    ):
        raise ValidationError(
            {
                "steering_caseworker": "Die Fallsteuerung liegt beim ASD der zuständigen Region "
                f"({sozialraum.region.name})."
            }
        )


def person_build(*, case: Case, data: PersonInput) -> Person:
    person = Person(
        case=case,
        role=data.role,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        birth_date=data.birth_date,
        relation=data.relation.strip(),
        phone=data.phone.strip(),
        sex=data.sex,
        parent_foreign_origin=data.parent_foreign_origin,
        german_at_home=data.german_at_home,
        name_key=name_key(data.first_name, data.last_name),
    )
    person.full_clean()
    return person


def case_search_words_keep(*, case: Case) -> None:
    """The case's search words (`SearchWord`) anew from its people's names and its title, in its
    region: to be called, in its transaction, by every service that adds a person, changes a
    name or a project's title, anonymises a case or moves it to another region."""
    SearchWord.objects.filter(case=case).delete()
    words = [
        SearchWord(case=case, person_id=pk, region_id=case.region_id, word=word)
        for pk, key in Person.objects.filter(case=case).values_list("pk", "name_key")
        for word in sorted(name_words(key))
    ]
    words += [
        SearchWord(case=case, region_id=case.region_id, word=word)
        for word in sorted(title_words(case.title))
    ]
    SearchWord.objects.bulk_create(words)


def case_region_follow(*, case: Case) -> None:
    """After the case changed its region (a move, documents.handover): its search words and its
    helps follow, so the name search and the help type filter of the new region find them
    (`SearchWord.region`, `Help.region`)."""
    case_search_words_keep(case=case)
    Help.objects.filter(case=case).exclude(region_id=case.region_id).update(
        region_id=case.region_id
    )


def case_intake_check(
    *,
    opened_on: datetime.date | None,
    postcode: str,
    persons: Sequence[PersonInput] | None,
) -> Checks:
    """The intake's plausibility rules on what is known so far (None: that part is not yet
    readable). The intake page calls this even when another part of the form is wrong, so that
    every problem shows after one submit; `case_intake` calls it before saving."""
    checks = Checks()
    checks.not_in_future("opened_on", opened_on, what="Der Falleingang")
    checks.postcode("postcode", postcode)
    if persons is not None and not any(p.role == PersonRole.CHILD for p in persons):
        checks.refuse(None, "Bitte nennen Sie mindestens ein Kind oder eine(n) Jugendliche(n).")
    return checks


@transaction.atomic
def case_intake(
    *,
    user: User,
    sozialraum: Sozialraum,
    sozialraum_override_reason: str = "",
    steering_caseworker: User,
    opened_on: datetime.date,
    street: str,
    house_number: str,
    postcode: str,
    concern: str,
    will: str,
    persons: list[PersonInput],
    resources: list[ResourceInput],
    goals: list[str],
) -> Case:
    """Take an individual case in (Falleingang): family, concern and will, resources, goals.

    Refused with every problem at once (ValidationError keyed by field): an intake dated after
    today, a PLZ that is not five digits, no child, a steering caseworker of another region.
    """
    checks = case_intake_check(opened_on=opened_on, postcode=postcode, persons=persons)
    try:
        _check_steering(steering_caseworker=steering_caseworker, sozialraum=sozialraum)
    except ValidationError as error:
        checks.add(error)
    checks.raise_if_any()
    case = _case_create(
        user=user,
        sozialraum=sozialraum,
        opened_on=opened_on,
        kind=CaseKind.INDIVIDUAL,
        steering_caseworker=steering_caseworker,
        sozialraum_override_reason=sozialraum_override_reason.strip(),
        street=street.strip(),
        house_number=house_number.strip(),
        postcode=postcode.strip(),
        concern=concern.strip(),
        will=will.strip(),
    )
    Person.objects.bulk_create([person_build(case=case, data=p) for p in persons])
    case_search_words_keep(case=case)
    Resource.objects.bulk_create(
        [
            Resource(case=case, kind=r.kind, description=r.description.strip(), partner=r.partner)
            for r in resources
        ]
    )
    Goal.objects.bulk_create([Goal(case=case, text=text.strip()) for text in goals])
    audit_record(user=user, action=AuditAction.CREATE, obj=case, detail="Falleingang")
    return case


@transaction.atomic
def case_project_open(
    *,
    user: User,
    kind: str,
    title: str,
    sozialraum: Sozialraum,
    steering_caseworker: User,
    opened_on: datetime.date,
    target_group: str = "",
    participants_count: int | None = None,
    project_goals: str = "",
    providers: list[Provider] | None = None,
    partners: Sequence[Partner] | None = None,
) -> Case:
    """Open cross-case or case-independent work: numbers and descriptions, no personal data."""
    if kind == CaseKind.INDIVIDUAL:
        raise ValidationError("Einzelfälle werden über den Falleingang angelegt.")
    _check_steering(steering_caseworker=steering_caseworker, sozialraum=sozialraum)
    case = _case_create(
        user=user,
        sozialraum=sozialraum,
        opened_on=opened_on,
        kind=kind,
        title=title.strip(),
        steering_caseworker=steering_caseworker,
        target_group=target_group.strip(),
        participants_count=participants_count,
        project_goals=project_goals.strip(),
    )
    case.providers.set(providers or [])
    case.partners.set(partners or [])
    case_search_words_keep(case=case)
    audit_record(user=user, action=AuditAction.CREATE, obj=case, detail="Projekt angelegt")
    return case


@transaction.atomic
def case_project_update(
    *,
    user: User,
    case: Case,
    title: str,
    target_group: str,
    participants_count: int | None,
    project_goals: str,
    outcome: str,
    providers: list[Provider],
    partners: Sequence[Partner],
) -> Case:
    """Keep cross-case or case-independent work up to date: participants, goals, outcome."""
    if case.is_individual:
        raise ValidationError("Einzelfälle haben keine Projektangaben.")
    case.title, case.target_group = title.strip(), target_group.strip()
    case.participants_count = participants_count
    case.project_goals, case.outcome = project_goals.strip(), outcome.strip()
    case.full_clean()
    case.save()
    case_search_words_keep(case=case)
    case.providers.set(providers)
    case.partners.set(partners)
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Projektangaben")
    return case


@transaction.atomic
def case_transition(
    *, user: User, case: Case, to_status: str, reason: str = "", end_reason: str = ""
) -> Case:
    """Move a case along its workflow; refuse any step the workflow does not allow."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    moving_away = (
        to_status == CaseStatus.CLOSED
        and end_reason == EndReason.TRANSFERRED
        and may_close_as_transferred(case.kind, case.status)
    )
    if (
        to_status not in transitions_for(case.kind).get(case.status, frozenset())
        and not moving_away
    ):
        raise ValidationError(refusal_message(case.kind, case.status, to_status))
    if (
        to_status == CaseStatus.HELP_DECIDED
        and not case.helps.filter(ended_on__isnull=True).exists()
    ):
        raise ValidationError(
            "„Hilfe entschieden“ setzt eine erfasste Hilfe voraus. Bitte entscheiden Sie die Hilfe "
            "über „Hilfe entscheiden“."
        )
    if (
        to_status == CaseStatus.RUNNING
        and case.is_individual
        and not case.helps.filter(ended_on__isnull=True).exists()
    ):
        raise ValidationError("Ein Fall läuft erst, wenn eine Hilfe entschieden ist.")
    if to_status == CaseStatus.CLOSED:
        if end_reason not in EndReason.values:
            raise ValidationError({"end_reason": "Bitte wählen Sie einen Beendigungsgrund."})
        case.end_reason = end_reason
        case.closed_on = timezone.localdate()
        today = case.closed_on
        for help_ in case.helps.filter(ended_on__isnull=True):
            _help_end(user=user, help_=help_, ended_on=max(today, help_.starts_on))
    if to_status in (CaseStatus.CLARIFICATION, CaseStatus.NO_HELP) and case.status == (
        CaseStatus.HELP_DECIDED
    ):
        # Reopening a decision withdraws the help that was never started.
        for help_ in case.helps.filter(ended_on__isnull=True):
            _help_end(user=user, help_=help_, ended_on=max(timezone.localdate(), help_.starts_on))
    from_status, case.status = case.status, to_status
    case.save(update_fields=["status", "end_reason", "closed_on"])
    _status_log(case=case, user=user, from_status=from_status, reason=reason.strip())
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Statuswechsel")
    return case


def _help_end(*, user: User, help_: Help, ended_on: datetime.date) -> None:
    help_.ended_on = ended_on
    help_.save(update_fields=["ended_on"])
    for assignment in help_.assignments.filter(status=AssignmentStatus.ACTIVE):
        assignment.status = AssignmentStatus.ENDED
        assignment.ended_on = ended_on
        assignment.save(update_fields=["status", "ended_on"])
    # Appointments of a help that has ended are no longer needed: cancelled, with the reason,
    # so the file still shows what had been planned.
    HelpPlanReview.objects.still_open().filter(help_plan__help=help_).update(
        cancelled_on=timezone.localdate(),
        cancel_reason=f"Die Hilfe ist zum {ended_on:%d.%m.%Y} beendet.",
    )
    case_review_due_refresh(case_id=help_.case_id)


@dataclass(frozen=True)
class StepInput:
    """A first step of a help plan: what, who (`StepOwner`), by when. `goal` is one of the
    case's goals, or the index of a goal in the plan's `new_goals`."""

    goal: Goal | int
    text: str
    owner: str
    due_on: datetime.date | None = None


def help_checks(
    *,
    case: Case,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    hours_per_week: Decimal | None,
) -> Checks:
    """Plausibility of a help's period and hours: it starts no earlier than the case, ends after
    it starts; hours above the office's maximum are refused, above its warning threshold the
    caseworker confirms them (settings HOURS_PER_WEEK_MAX, HOURS_PER_WEEK_WARNING)."""
    checks = Checks()
    checks.not_before(
        "starts_on",
        starts_on,
        case.opened_on,
        what="Der Beginn der Hilfe",
        earliest_what="dem Falleingang",
    )
    if planned_end_on < starts_on:
        checks.refuse("planned_end_on", "Das geplante Ende liegt vor dem Beginn.")
    if hours_per_week is not None and hours_per_week > 0:
        maximum, warning = settings.HOURS_PER_WEEK_MAX, settings.HOURS_PER_WEEK_WARNING
        if hours_per_week > maximum:
            checks.refuse(
                "hours_per_week",
                f"Mehr als {maximum} Fachleistungsstunden pro Woche sind nicht möglich "
                f"(eingegeben: {decimal_de(hours_per_week)}).",
            )
        elif hours_per_week > warning:
            checks.warn(
                "hours_per_week",
                f"{decimal_de(hours_per_week)} Fachleistungsstunden pro Woche sind ungewöhnlich "
                f"viel (üblich sind bis zu {warning}). Bitte prüfen Sie die Angabe; stimmt sie, "
                "kreuzen Sie „Trotzdem speichern“ an.",
            )
    return checks


@transaction.atomic
def help_decide(
    *,
    user: User,
    case: Case,
    help_type: HelpType,
    starts_on: datetime.date,
    planned_end_on: datetime.date,
    hours_per_week: Decimal | None = None,
    monthly_cost: Decimal | None = None,
    placement_location: str = "",
    rationale: str = "",
    goals: Sequence[Goal] | None = None,
    new_goals: Sequence[str] = (),
    steps: Sequence[StepInput] = (),
    first_review_on: datetime.date | None = None,
    confirmed_warnings: bool = False,
    statistics: HelpItems | None = None,
) -> Help:
    """Record the ASD's decision on a help and open its Hilfeplan in the same step
    (`help_plan_open`): the goals, the first steps and the first Hilfeplangespräch.

    Without `goals` the plan takes the case's goals not yet reached; without
    `first_review_on` the first review is due by the office's rule (`review_due_default`).
    Every refusal of the help and of its plan comes at once, and nothing is stored.
    `statistics` are the KJH statistics' items known at the decision (cases.services_kjh); without
    them the help is for the case's only child, the rest is asked later.
    """
    case_require_open(case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_individual:
        raise ValidationError("Hilfen werden für fallspezifische Fälle entschieden.")
    if case.status not in (CaseStatus.CLARIFICATION, CaseStatus.HELP_DECIDED, CaseStatus.RUNNING):
        raise ValidationError(
            f"Im Status „{case.get_status_display()}“ kann keine Hilfe entschieden werden; "
            "zuerst muss der Fall in der Klärung sein."
        )
    errors: dict[str, str] = {}
    if help_type.is_placement:
        if monthly_cost is None or monthly_cost <= 0:
            errors["monthly_cost"] = "Bei einer Unterbringung sind die monatlichen Kosten nötig."
        if not placement_location:
            errors["placement_location"] = "Bitte geben Sie an, wo das Kind untergebracht ist."
    elif hours_per_week is None or hours_per_week <= 0:
        errors["hours_per_week"] = (
            "Bitte geben Sie die Fachleistungsstunden pro Woche an (mehr als 0)."
        )
    if goals is None:
        goals = list(case.goals.filter(achieved_on__isnull=True))
    errors.update(
        help_plan_errors(
            case=case,
            starts_on=starts_on,
            goals=goals,
            new_goals=new_goals,
            steps=steps,
            first_review_on=first_review_on,
        )
    )
    checks = help_checks(
        case=case,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        hours_per_week=None if help_type.is_placement else hours_per_week,
    )
    if statistics is not None:
        for field, message in help_statistics_errors(
            case=case, help_type=help_type, starts_on=starts_on, items=statistics
        ).items():
            errors.setdefault(field, message)
    for field, message in errors.items():
        checks.refuse(field, message)
    checks.raise_if_any(confirmed_warnings=confirmed_warnings)
    help_ = Help(
        case=case,
        help_type=help_type,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        hours_per_week=None if help_type.is_placement else hours_per_week,
        monthly_cost=monthly_cost if help_type.is_placement else None,
        placement_location=placement_location if help_type.is_placement else "",
        rationale=rationale.strip(),
        decided_by=user,
    )
    items = statistics or HelpItems()
    if items.young_person is None:  # the default from what we hold: the case's only child
        items = dataclasses.replace(items, young_person=young_person_default(case))
    help_items_apply(help_, items)
    help_.full_clean()
    help_.save()
    help_plan_open(
        user=user,
        help_=help_,
        goals=goals,
        new_goals=new_goals,
        steps=steps,
        first_review_on=first_review_on,
    )
    if case.status == CaseStatus.CLARIFICATION:
        from_status, case.status = case.status, CaseStatus.HELP_DECIDED
        case.save(update_fields=["status"])
        _status_log(case=case, user=user, from_status=from_status, reason="Hilfe entschieden")
    audit_record(user=user, action=AuditAction.CREATE, obj=help_, detail="Hilfe entschieden")
    return help_


def help_plan_errors(
    *,
    case: Case,
    starts_on: datetime.date,
    goals: Sequence[Goal],
    new_goals: Sequence[str],
    steps: Sequence[StepInput],
    first_review_on: datetime.date | None,
) -> dict[str, str]:
    """What is wrong with an initial Hilfeplan, all at once, keyed by the decision form's
    fields; empty when it may be opened."""
    errors: dict[str, str] = {}
    if any(goal.case_id != case.pk for goal in goals):
        errors["goals"] = "Bitte wählen Sie nur Ziele dieses Falls."
    texts = [text.strip() for text in new_goals]
    if case.goals.exists() and not goals and not any(texts):
        errors["goals"] = (
            "Bitte wählen Sie mindestens ein Ziel dieser Hilfe oder schreiben Sie ein neues auf."
        )
    for step in steps:
        if not step.text.strip():
            errors["steps"] = "Bitte beschreiben Sie jeden Schritt."
        elif step.owner not in StepOwner.values:
            errors["steps"] = "Bitte wählen Sie, wer den Schritt übernimmt."
        elif isinstance(step.goal, int):
            if not 0 <= step.goal < len(texts) or not texts[step.goal]:
                errors["steps"] = "Ein Schritt gehört zu einem neuen Ziel, das leer ist."
        elif step.goal not in goals:
            errors["steps"] = "Ein Schritt gehört zu einem Ziel, das nicht zu dieser Hilfe zählt."
        if step.due_on and step.due_on < starts_on:
            errors["steps"] = "Ein Schritt kann nicht vor dem Beginn der Hilfe fällig sein."
    if first_review_on is not None:
        errors.update(
            review_date_errors(
                on=first_review_on,
                after=starts_on,
                field="first_review_on",
                after_label="dem Beginn der Hilfe",
            )
        )
    return errors


@transaction.atomic
def help_plan_open(
    *,
    user: User,
    help_: Help,
    goals: Sequence[Goal],
    new_goals: Sequence[str] = (),
    steps: Sequence[StepInput] = (),
    first_review_on: datetime.date | None = None,
) -> HelpPlan:
    """Open the Hilfeplan of a help just decided: the goals it works on (chosen from the case's
    and new ones, in the family's words), the first steps and the first Hilfeplangespräch.

    Called by `help_decide` inside its transaction; the checks are `help_plan_errors`.
    """
    case = help_.case
    plan = HelpPlan(help=help_, case=case)
    plan.full_clean()
    plan.save()
    created: list[Goal | None] = []
    for text in new_goals:
        if not text.strip():
            created.append(None)  # keeps the indexes the steps refer to
            continue
        goal = Goal(case=case, text=text.strip())
        goal.full_clean()
        goal.save()
        created.append(goal)
    plan.goals.set([*goals, *(goal for goal in created if goal is not None)])
    for data in steps:
        target = created[data.goal] if isinstance(data.goal, int) else data.goal
        assert target is not None  # help_plan_errors refuses steps of empty new goals
        step = ActionStep(goal=target, text=data.text.strip(), owner=data.owner, due_on=data.due_on)
        step.full_clean()
        step.save()
    review = HelpPlanReview(
        help_plan=plan,
        case=case,
        due_on=first_review_on or review_due_default(help_.starts_on),
    )
    review.full_clean()
    review.save()
    case_review_due_refresh(case_id=case.pk)
    audit_record(user=user, action=AuditAction.CREATE, obj=plan, detail="Hilfeplan angelegt")
    return plan


@transaction.atomic
def help_end(*, user: User, help_: Help, ended_on: datetime.date) -> Help:
    """End a help (early or as planned); its running assignment ends with it."""
    if help_.ended_on:
        raise ValidationError("Diese Hilfe ist bereits beendet.")
    checks = Checks()
    checks.not_in_future("ended_on", ended_on, what="Das Ende der Hilfe")
    checks.not_before(
        "ended_on", ended_on, help_.starts_on, what="Das Ende", earliest_what="dem Beginn der Hilfe"
    )
    checks.raise_if_any()
    _help_end(user=user, help_=help_, ended_on=ended_on)
    audit_record(user=user, action=AuditAction.CHANGE, obj=help_, detail="Hilfe beendet")
    return help_


def providers_commissionable(*, case: Case, on: datetime.date) -> list[Provider]:
    """Providers working in the case's region on that day (directly or through an alliance)."""
    direct = RegionProvider.objects.valid_on(on).filter(region_id=case.region_id)
    ids = set(direct.values_list("provider_id", flat=True))
    for alliance in ProviderAlliance.objects.valid_on(on).filter(region_id=case.region_id):
        ids.update(alliance.members.values_list("pk", flat=True))
        ids.add(alliance.lead_provider_id)
    return list(Provider.objects.filter(pk__in=ids, is_active=True).order_by("short_name"))


@transaction.atomic
def assignment_create(
    *,
    user: User,
    help_: Help,
    provider: Provider,
    starts_on: datetime.date,
    ends_on: datetime.date,
    alliance: ProviderAlliance | None = None,
    provider_contact: str = "",
    instructions: str = "",
    with_home_visits: bool = False,
    help_extension_reason: str = "",
) -> Assignment:
    """The casework half of commissioning a provider with carrying out a help
    (Falldurchführung): the assignment, the case's status, the audit entry. With home visits,
    the provider sees the family's address while the assignment runs (`selectors_sharing`).

    The assignment's period lies inside its help's: money is bound from the assignment's start
    and the provider sees its period. It may end after the help's planned end only with
    `help_extension_reason`: then the help is extended to the assignment's end in the same step,
    and the case's history keeps the reason. Every refusal comes at once.

    Views commission through `budgets.commissioning.assignment_commission`, which calls this and
    books the commitment in the same transaction.
    """
    case = Case.objects.select_for_update().get(pk=help_.case_id)
    if help_.ended_on:
        raise ValidationError("Diese Hilfe ist beendet und kann nicht mehr übertragen werden.")
    checks = Checks()
    if provider not in providers_commissionable(case=case, on=starts_on):
        checks.refuse(
            "provider", "Dieser Träger ist zum Beginn nicht in der Region des Falls tätig."
        )
    if alliance and not (
        alliance.lead_provider_id == provider.pk or alliance.members.filter(pk=provider.pk).exists()
    ):
        checks.refuse("alliance", "Der Träger gehört nicht zu diesem Trägerverbund.")
    if ends_on < starts_on:
        checks.refuse("ends_on", "Das Ende liegt vor dem Beginn.")
    checks.not_before(
        "starts_on",
        starts_on,
        help_.starts_on,
        what="Der Beginn des Auftrags",
        earliest_what="dem Beginn der Hilfe",
    )
    extend = ends_on > help_.planned_end_on
    if extend and not help_extension_reason.strip():
        checks.refuse(
            "ends_on",
            f"Das Ende des Auftrags ({date_de(ends_on)}) liegt nach dem geplanten Ende der Hilfe "
            f"({date_de(help_.planned_end_on)}). Wählen Sie ein früheres Ende oder begründen Sie "
            "die Verlängerung der Hilfe.",
        )
    if help_.assignments.filter(status=AssignmentStatus.ACTIVE).exists():
        checks.refuse(None, "Diese Hilfe ist bereits einem Träger übertragen.")
    checks.raise_if_any()
    if extend:
        planned_end_before = help_.planned_end_on
        help_.planned_end_on = ends_on
        help_.full_clean()
        help_.save(update_fields=["planned_end_on"])
        _status_log(
            case=case,
            user=user,
            from_status=case.status,
            reason=f"Hilfe „{help_.help_type}“ verlängert vom {date_de(planned_end_before)} bis "
            f"{date_de(ends_on)}: {help_extension_reason.strip()}",
        )
        audit_record(user=user, action=AuditAction.CHANGE, obj=help_, detail="Hilfe verlängert")
    assignment = Assignment.objects.create(
        case=case,
        help=help_,
        provider=provider,
        alliance=alliance,
        starts_on=starts_on,
        ends_on=ends_on,
        provider_contact=provider_contact.strip(),
        instructions=instructions.strip(),
        with_home_visits=with_home_visits,
        commissioned_by=user,
    )
    if case.status == CaseStatus.HELP_DECIDED:
        case.status = CaseStatus.RUNNING
        case.save(update_fields=["status"])
        _status_log(
            case=case,
            user=user,
            from_status=CaseStatus.HELP_DECIDED,
            reason="Falldurchführung übertragen",
        )
    audit_record(
        user=user, action=AuditAction.CREATE, obj=assignment, detail="Falldurchführung übertragen"
    )
    return assignment


def case_closed_refusal(case: Case) -> str:
    """Why nothing may be added to the case (a note, a person, a goal …), or "" while it is
    open. A closed case is reopened with a reason (`case_reopen`); a withdrawn one stays so."""
    if case.withdrawn_at is not None:
        return "Dieser Fall ist zurückgenommen: Es kann nichts mehr ergänzt werden."
    if case.status == CaseStatus.CLOSED:
        return (
            "Dieser Fall ist beendet: Es kann nichts mehr ergänzt werden. Um etwas zu "
            "ergänzen, öffnet die Teamleitung den Fall mit einer Begründung wieder."
        )
    return ""


def case_require_open(case: Case) -> None:
    """The one guard of every service that adds to a case."""
    refusal = case_closed_refusal(case)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def case_reopen(*, user: User, case: Case, reason: str) -> Case:
    """Open a closed case again, with a reason: an individual case goes back to clarification
    (its helps stay ended; a new help is decided anew), other work runs again. Only the team
    lead of the case's region may (`can_reopen_case`); a withdrawn or anonymised case stays
    closed."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED or case.withdrawn_at is not None:
        raise ValidationError("Nur ein beendeter Fall kann wieder geöffnet werden.")
    if case.anonymised_at is not None:
        raise ValidationError("Ein anonymisierter Fall kann nicht wieder geöffnet werden.")
    if not can_reopen_case(user, case):
        raise ValidationError("Einen beendeten Fall öffnet die Teamleitung der Region wieder.")
    if not reason.strip():
        raise ValidationError({"reason": "Bitte begründen Sie, warum der Fall wieder öffnet."})
    to_status = CaseStatus.CLARIFICATION if case.is_individual else CaseStatus.RUNNING
    case.status, case.closed_on, case.end_reason = to_status, None, ""
    case.save(update_fields=["status", "closed_on", "end_reason"])
    _status_log(case=case, user=user, from_status=CaseStatus.CLOSED, reason=reason.strip())
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Fall wieder geöffnet")
    return case


def note_backdate_days() -> int:
    return settings.NOTE_BACKDATE_DAYS


def note_contact_errors(*, contact_on: datetime.date, today: datetime.date) -> dict[str, str]:
    """The German refusal of a contact date in the future or further back than the office
    allows (`SOZIALRAUM_NOTE_BACKDATE_DAYS`), keyed by the form field; empty when it is fine."""
    if contact_on > today:
        return {
            "contact_on": f"Das Datum des Kontakts ({contact_on:%d.%m.%Y}) liegt in der "
            "Zukunft. Vermerke halten fest, was geschehen ist."
        }
    days = note_backdate_days()
    earliest = today - datetime.timedelta(days=days)
    if contact_on < earliest:
        return {
            "contact_on": f"Ein Vermerk kann höchstens {days} Tage zurückdatiert werden, also "
            f"frühestens auf den {earliest:%d.%m.%Y}. Für einen älteren Kontakt schreiben Sie "
            "bitte einen Vermerk mit heutigem Datum und nennen den Tag des Kontakts im Text."
        }
    return {}


@transaction.atomic
def note_add(
    *,
    user: User,
    case: Case,
    text: str,
    kind: str = NoteKind.ASD,
    internal: bool = True,
    assignment: Assignment | None = None,
    contact_on: datetime.date | None = None,
    contact_kind: str = "",
    persons_present: Sequence[Person] = (),
    others_present: str = "",
) -> Note:
    """Write a note: when the contact was (today unless backdated within the office's limit),
    how, and who was there. A deputy's note names the person she covers (`on_behalf_of`)."""
    case_require_open(case)
    errors = note_contact_errors(
        contact_on=contact_on or timezone.localdate(), today=timezone.localdate()
    )
    if not text.strip():
        errors["text"] = "Bitte schreiben Sie einen Text."
    if any(person.case_id != case.pk for person in persons_present):
        errors["persons_present"] = "Bitte wählen Sie nur Personen dieses Falls."
    if errors:
        raise ValidationError(errors)
    if kind != NoteKind.ASD:
        internal = False  # a provider's note is always shared with the ASD, never hidden from it
    note = Note(
        case=case,
        assignment=assignment,
        kind=kind,
        text=text.strip(),
        internal=internal,
        author=user,
        contact_on=contact_on or timezone.localdate(),
        contact_kind=contact_kind,
        others_present=others_present.strip(),
        on_behalf_of_id=deputy_acting_for(user, case),
    )
    note.full_clean()
    note.save()
    note.persons_present.set(persons_present)
    audit_record(user=user, action=AuditAction.CREATE, obj=note, detail=note.get_kind_display())
    return note


@transaction.atomic
def person_add(*, user: User, case: Case, data: PersonInput) -> Person:
    case_require_open(case)
    if not case.is_individual:
        raise ValidationError("Personen werden nur bei fallspezifischen Fällen erfasst.")
    person = person_build(case=case, data=data)
    person.save()
    case_search_words_keep(case=case)
    audit_record(user=user, action=AuditAction.CREATE, obj=person, detail="Person ergänzt")
    return person


@transaction.atomic
def person_update(*, user: User, person: Person, data: PersonInput) -> Person:
    updated = person_build(case=person.case, data=data)
    updated.pk = person.pk
    updated.save()
    case_search_words_keep(case=person.case)
    audit_record(user=user, action=AuditAction.CHANGE, obj=updated, detail="Person geändert")
    return updated


@transaction.atomic
def resource_add(*, user: User, case: Case, data: ResourceInput) -> Resource:
    case_require_open(case)
    resource = Resource(
        case=case, kind=data.kind, description=data.description.strip(), partner=data.partner
    )
    resource.full_clean()
    resource.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=resource, detail="Ressource ergänzt")
    return resource


@transaction.atomic
def resource_link_offer(*, user: User, case: Case, offer: Offer) -> Resource:
    """Take a network offer into the case's resources ("Angebote in der Nähe", one click).

    The description is a copy, so the record still reads right when the offer changes or ends.
    """
    case_require_open(case)
    if case.resources.filter(offer=offer).exists():
        raise ValidationError(f"„{offer.title}“ ist bereits eine Ressource dieses Falls.")
    details = ", ".join(part for part in (offer.schedule, offer.place) if part)
    resource = Resource(
        case=case,
        kind=ResourceKind.SOZIALRAUM,
        description=f"Angebot „{offer.title}“ ({offer.owner_name})"
        + (f": {details}" if details else ""),
        partner=offer.partner,
        offer=offer,
    )
    resource.full_clean()
    resource.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=resource, detail="Angebot als Ressource")
    return resource


@transaction.atomic
def goal_add(*, user: User, case: Case, text: str) -> Goal:
    case_require_open(case)
    goal = Goal(case=case, text=text.strip())
    goal.full_clean()
    goal.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=goal, detail="Ziel ergänzt")
    return goal


@transaction.atomic
def action_step_add(
    *, user: User, goal: Goal, text: str, owner: str, due_on: datetime.date | None
) -> ActionStep:
    case_require_open(goal.case)
    step = ActionStep(goal=goal, text=text.strip(), owner=owner, due_on=due_on)
    step.full_clean()
    step.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=goal, detail="Handlungsschritt ergänzt")
    return step


@transaction.atomic
def action_step_done(*, user: User, step: ActionStep, done_on: datetime.date) -> ActionStep:
    step.done_on = done_on
    step.save(update_fields=["done_on"])
    audit_record(user=user, action=AuditAction.CHANGE, obj=step.goal, detail="Schritt erledigt")
    return step


def _review_open_locked(review: HelpPlanReview) -> HelpPlanReview:
    review = (
        HelpPlanReview.objects.select_for_update()
        .select_related("help_plan__help")
        .get(pk=review.pk)
    )
    if review.held_on:
        raise ValidationError("Dieses Hilfeplangespräch ist bereits erfasst.")
    if review.cancelled_on:
        raise ValidationError("Dieses Hilfeplangespräch ist abgesagt.")
    return review


def review_provider(review: HelpPlanReview) -> Provider | None:
    """The Träger commissioned with the review's help, the one that may be invited."""
    assignment = (
        Assignment.objects.filter(help_id=review.help_plan.help_id, status=AssignmentStatus.ACTIVE)
        .select_related("provider")
        .first()
    )
    return assignment.provider if assignment else None


@transaction.atomic
def review_schedule(
    *,
    user: User,
    review: HelpPlanReview,
    on: datetime.date,
    time: datetime.time,
    place: str,
    persons: Sequence[Person] = (),
    invite_provider: bool = False,
    others: str = "",
    reason: str = "",
) -> HelpPlanReview:
    """Make a Hilfeplangespräch an appointment: date, time, place and who is invited (the
    case's people, the commissioned Träger, others in free text).

    Moving an appointment already scheduled needs a `reason`; the earlier date and time are
    kept (`HelpPlanReviewChange`). Every refusal comes at once.
    """
    review = _review_open_locked(review)
    help_ = review.help_plan.help
    moved = review.is_scheduled and (on, time) != (review.due_on, review.time)
    errors: dict[str, str] = {}
    if (moved or not review.is_scheduled) and on < timezone.localdate():
        errors["on"] = "Ein Termin kann nicht in der Vergangenheit liegen."
    elif on < help_.starts_on:
        errors["on"] = (
            f"Der Termin kann nicht vor dem Beginn der Hilfe ({help_.starts_on:%d.%m.%Y}) liegen."
        )
    if not place.strip():
        errors["place"] = "Bitte geben Sie an, wo das Gespräch stattfindet."
    if any(person.case_id != review.case_id for person in persons):
        errors["persons"] = "Bitte laden Sie nur Personen dieses Falls ein."
    provider = review_provider(review) if invite_provider else None
    if invite_provider and provider is None:
        errors["invite_provider"] = "Für diese Hilfe ist noch kein Träger beauftragt."
    if moved and not reason.strip():
        errors["reason"] = "Bitte nennen Sie den Grund der Verschiebung."
    if errors:
        raise ValidationError(errors)
    if moved:
        HelpPlanReviewChange.objects.create(
            review=review,
            from_date=review.due_on,
            from_time=review.time,
            to_date=on,
            to_time=time,
            reason=reason.strip(),
            changed_by=user,
        )
    review.due_on, review.time, review.place = on, time, place.strip()
    review.invited_provider = provider
    review.invited_others = others.strip()
    review.scheduled_by = user
    review.full_clean()
    review.save()
    review.invited_persons.set(persons)
    case_review_due_refresh(case_id=review.case_id)
    audit_record(
        user=user,
        action=AuditAction.CHANGE,
        obj=review,
        detail="Hilfeplangespräch verschoben" if moved else "Hilfeplangespräch geplant",
    )
    return review


@transaction.atomic
def review_record(
    *,
    user: User,
    review: HelpPlanReview,
    held_on: datetime.date,
    participants: str,
    summary: str,
    next_due_on: datetime.date | None = None,
) -> HelpPlanReview:
    """Record a Hilfeplangespräch on its appointment and plan the next (by default by the
    office's rule, `review_due_default`). Every refusal comes at once."""
    review = _review_open_locked(review)
    help_ = review.help_plan.help
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "Ein Gespräch in der Zukunft kann nicht erfasst werden."
    elif held_on < help_.starts_on:
        errors["held_on"] = (
            f"Das Gespräch kann nicht vor dem Beginn der Hilfe ({help_.starts_on:%d.%m.%Y}) "
            "stattgefunden haben."
        )
    if not summary.strip():
        errors["summary"] = "Bitte halten Sie das Ergebnis des Gesprächs fest."
    if next_due_on is not None and next_due_on <= held_on:
        errors["next_due_on"] = "Das nächste Gespräch muss nach diesem liegen."
    elif next_due_on is not None:
        errors.update(
            review_date_errors(
                on=next_due_on, after=held_on, field="next_due_on", after_label="diesem Gespräch"
            )
        )
    if errors:
        raise ValidationError(errors)
    review.held_on, review.participants = held_on, participants.strip()
    review.summary, review.recorded_by = summary.strip(), user
    review.full_clean()
    review.save()
    if help_.ended_on is None:
        HelpPlanReview.objects.create(
            help_plan=review.help_plan,
            case=review.case,
            due_on=next_due_on or review_due_default(held_on),
        )
    case_review_due_refresh(case_id=review.case_id)
    audit_record(user=user, action=AuditAction.CHANGE, obj=review, detail="Hilfeplangespräch")
    return review


@transaction.atomic
def review_closing_record(
    *,
    user: User,
    help_: Help,
    held_on: datetime.date,
    participants: str,
    summary: str,
) -> HelpPlanReview:
    """Record the closing Hilfeplangespräch (Abschlussgespräch) of an ended help.

    Ending the help cancelled its open appointments (they stay in its history, `_help_end`), so
    the closing meeting is a review of its own, held on the day it took place. It documents how
    the help ended and adds no new work, so it is recorded on a closed case, too. Every refusal
    comes at once.
    """
    help_ = Help.objects.select_for_update().get(pk=help_.pk)
    errors: dict[str, str] = {}
    if help_.ended_on is None:
        errors["held_on"] = (
            "Ein Abschlussgespräch wird nach dem Ende der Hilfe erfasst; solange sie läuft, "
            "erfassen Sie das Gespräch auf seinem Termin."
        )
    elif held_on > timezone.localdate():
        errors["held_on"] = "Ein Gespräch in der Zukunft kann nicht erfasst werden."
    elif held_on < help_.starts_on:
        errors["held_on"] = (
            f"Das Gespräch kann nicht vor dem Beginn der Hilfe ({help_.starts_on:%d.%m.%Y}) "
            "stattgefunden haben."
        )
    if not summary.strip():
        errors["summary"] = "Bitte halten Sie das Ergebnis des Gesprächs fest."
    if errors:
        raise ValidationError(errors)
    review = HelpPlanReview(
        help_plan=help_.help_plan,
        case_id=help_.case_id,
        due_on=held_on,
        held_on=held_on,
        participants=participants.strip(),
        summary=summary.strip(),
        recorded_by=user,
    )
    review.full_clean()
    review.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=review, detail="Abschlussgespräch")
    return review


@transaction.atomic
def consultation_record(
    *,
    user: User,
    case: Case,
    held_on: datetime.date,
    participants: Sequence[User],
    question: str,
    ideas: str,
    next_step: str,
) -> PeerConsultation:
    """Record a Kollegiale Beratung that took place: not after today, not before the case."""
    case_require_open(case)
    checks = Checks()
    checks.not_in_future("held_on", held_on, what="Die Beratung")
    checks.not_before(
        "held_on", held_on, case.opened_on, what="Die Beratung", earliest_what="dem Falleingang"
    )
    consultation = PeerConsultation(
        case=case,
        held_on=held_on,
        question=question.strip(),
        ideas=ideas.strip(),
        next_step=next_step.strip(),
        recorded_by=user,
    )
    try:
        consultation.full_clean()
    except ValidationError as error:
        checks.add(error)
    checks.raise_if_any()
    consultation.save()
    consultation.participants.set(participants)
    audit_record(
        user=user, action=AuditAction.CREATE, obj=consultation, detail="Kollegiale Beratung"
    )
    return consultation


@transaction.atomic
def steering_change(*, user: User, case: Case, caseworker: User, reason: str) -> Case:
    """Hand the case steering to another caseworker of the region (team leads only)."""
    if user.effective_role != Role.TEAM_LEAD:
        raise ValidationError("Die Fallsteuerung übergibt die Teamleitung.")
    if not reason.strip():
        raise ValidationError({"reason": "Bitte begründen Sie die Übergabe."})
    _check_steering(steering_caseworker=caseworker, sozialraum=case.sozialraum)
    case.steering_caseworker = caseworker
    case.save(update_fields=["steering_caseworker"])
    CaseStatusChange.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        reason=f"Fallsteuerung übergeben: {reason.strip()}",
        changed_by=user,
    )
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Fallsteuerung übergeben")
    return case
