"""§ 8a SGB VIII as a process: writes from a concern becoming known to the Schutzplan.

A concern is reported for one or more children of a case: one `RiskAssessment` per child, with
the same facts. Its result is recorded by at least two staff together (Zusammenwirken mehrerer
Fachkräfte, § 8a Abs. 1); a provider's assessment names its *insoweit erfahrene Fachkraft*
(§ 8a Abs. 4). A latent or acute result is acknowledged by the steering caseworker and by a team
lead, each in their role, never by an author of the assessment. A Schutzplan holds the measures
and the date of its review; calling the family court (§ 8a Abs. 2) and taking the child into care
(§ 42, `ProtectionMeasure`) are steps with their dates.

Views check access through `cases.permissions`; these functions check the rules of the work.
The rules are also pure functions (`*_errors`) so that a form shows every error at once.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from cases.audit import audit_record
from cases.kjh_protection_items import ENDANGERMENT_KINDS
from cases.models import (
    RISK_LEVELS_ACKNOWLEDGED,
    AcknowledgementRole,
    Assignment,
    AuditAction,
    Case,
    ConcernChannel,
    ConcernSource,
    Person,
    PersonRole,
    ProtectionMeasure,
    RiskAcknowledgement,
    RiskAssessment,
    RiskLevel,
    SafetyMeasure,
    SafetyPlan,
)
from cases.permissions import represented_by
from sozialraum.models import Role, User

Errors = dict[str, list[str]]

MIN_ASSESSORS = 2
FEWER_THAN_TWO = (
    "Bitte nennen Sie mindestens zwei Fachkräfte, die gemeinsam eingeschätzt haben "
    "(Zusammenwirken mehrerer Fachkräfte, § 8a Abs. 1 SGB VIII)."
)


def acknowledged(role: str) -> Exists:
    """Whether the assessment (the outer query's row) has the acknowledgement of `role`."""
    return Exists(RiskAcknowledgement.objects.filter(assessment=OuterRef("pk"), role=role))


def risk_waits_for_team_lead() -> Q:
    """Open for the team lead (§ 8a offen): not yet assessed; or a latent or acute result the
    team lead has not acknowledged; or an acute one whose Schutzplan has no review date yet."""
    plan_with_review = Exists(
        SafetyPlan.objects.filter(assessment=OuterRef("pk"), review_on__isnull=False)
    )
    return Q(level="") | (
        Q(level__in=RISK_LEVELS_ACKNOWLEDGED)
        & (
            Q(~acknowledged(AcknowledgementRole.TEAM_LEAD))
            | (Q(level=RiskLevel.ACUTE) & Q(~plan_with_review))
        )
    )


def alert_rank_of_level() -> SqlCase:
    """`RiskAssessment.alert_rank` from the result: acute first, then not yet assessed."""
    return SqlCase(
        When(level=RiskLevel.ACUTE, then=Value(0)),
        When(level="", then=Value(1)),
        default=Value(2),
    )


def risk_open_refresh(*, assessments: QuerySet[RiskAssessment]) -> None:
    """Set `is_open` and `alert_rank` of the assessments from their result, acknowledgements
    and Schutzplan: called by every service below that changes one of them, in its
    transaction."""
    waiting = RiskAssessment.objects.filter(risk_waits_for_team_lead(), pk=OuterRef("pk"))
    assessments.update(is_open=Exists(waiting), alert_rank=alert_rank_of_level())


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


@dataclass(frozen=True)
class ConcernInput:
    """How a concern became known: when, how, from whom, and what it is about."""

    known_on: datetime.date | None
    known_channel: str
    source: str
    facts: str
    source_detail: str = ""


@dataclass(frozen=True)
class ResultInput:
    """The result of the assessment and who assessed it together."""

    level: str
    assessors: Sequence[User] = field(default_factory=tuple)
    experienced_professional: str = ""
    child_seen: bool = False
    child_seen_on: datetime.date | None = None
    child_seen_by: str = ""
    # Field names of `ENDANGERMENT_KINDS` (the § 8a survey's Teil F), asked with the result.
    endangerment: Sequence[str] = field(default_factory=tuple)


def concern_errors(*, concern: ConcernInput, today: datetime.date) -> Errors:
    errors: Errors = {}
    if concern.known_on is None:
        _add(errors, "known_on", "Bitte geben Sie an, wann die Sorge bekannt wurde.")
    elif concern.known_on > today:
        _add(errors, "known_on", "Das Datum, an dem die Sorge bekannt wurde, liegt in der Zukunft.")
    if concern.known_channel not in ConcernChannel.values:
        _add(errors, "known_channel", "Bitte wählen Sie, wie die Sorge bekannt wurde.")
    if concern.source not in ConcernSource.values:
        _add(errors, "source", "Bitte wählen Sie, von wem der Hinweis kam.")
    if concern.source == ConcernSource.OTHER and not concern.source_detail.strip():
        _add(errors, "source_detail", "Bitte nennen Sie, von wem der Hinweis kam.")
    if not concern.facts.strip():
        _add(errors, "facts", "Bitte beschreiben Sie die Anhaltspunkte.")
    return errors


def result_errors(*, result: ResultInput, by_provider: bool, today: datetime.date) -> Errors:
    """The result's rules: a level, two staff at least (a provider's insoweit erfahrene
    Fachkraft among them), and a date and a name when the child was seen."""
    errors: Errors = {}
    if result.level not in RiskLevel.values:
        _add(errors, "level", "Bitte wählen Sie das Ergebnis der Einschätzung.")
    professional = result.experienced_professional.strip()
    if by_provider and not professional:
        _add(
            errors,
            "experienced_professional",
            "Bitte nennen Sie die insoweit erfahrene Fachkraft, mit der Sie eingeschätzt haben "
            "(§ 8a Abs. 4 SGB VIII).",
        )
    if len({user.pk for user in result.assessors}) + bool(professional) < MIN_ASSESSORS:
        _add(errors, "assessors", FEWER_THAN_TWO)
    if result.child_seen:
        if result.child_seen_on is None:
            _add(errors, "child_seen_on", "Bitte geben Sie an, wann das Kind gesehen wurde.")
        elif result.child_seen_on > today:
            _add(
                errors,
                "child_seen_on",
                "Der Tag, an dem das Kind gesehen wurde, liegt in der Zukunft.",
            )
        if not result.child_seen_by.strip():
            _add(errors, "child_seen_by", "Bitte geben Sie an, wer das Kind gesehen hat.")
    if any(kind not in ENDANGERMENT_KINDS for kind in result.endangerment):
        _add(errors, "endangerment", "Bitte wählen Sie die Art der Gefährdung aus der Liste.")
    elif result.endangerment and result.level not in RISK_LEVELS_ACKNOWLEDGED:
        _add(
            errors,
            "endangerment",
            "Eine Art der Gefährdung gibt es nur bei akuter oder latenter Gefährdung.",
        )
    return errors


def review_on_errors(*, review_on: datetime.date | None, today: datetime.date) -> Errors:
    errors: Errors = {}
    if review_on is not None and review_on < today:
        _add(errors, "review_on", "Die Überprüfung kann nicht in der Vergangenheit liegen.")
    return errors


def _children_errors(*, case: Case, children: Sequence[Person]) -> Errors:
    errors: Errors = {}
    if not children:
        _add(errors, "children", "Bitte wählen Sie mindestens ein Kind.")
    elif any(c.case_id != case.pk or c.role != PersonRole.CHILD for c in children):
        _add(errors, "children", "Bitte wählen Sie nur Kinder dieses Falls.")
    return errors


def _assessors_errors(*, case: Case, assignment: Assignment | None, result: ResultInput) -> Errors:
    """Who assessed together: staff of the provider for its assessment, ASD staff of the case's
    region for the office's."""
    errors: Errors = {}
    for user in result.assessors:
        if assignment is not None:
            fits = user.effective_role == Role.PROVIDER_STAFF and (
                user.provider_id == assignment.provider_id
            )
        else:
            fits = user.effective_role in (Role.CASEWORKER, Role.TEAM_LEAD) and (
                user.asd_team is not None and user.asd_team.region_id == case.region_id
            )
        if not (fits and user.is_active):
            _add(
                errors,
                "assessors",
                "Gemeinsam einschätzen können nur Fachkräfte "
                + ("Ihres Trägers." if assignment is not None else "des ASD der Region."),
            )
            break
    return errors


def _result_apply(*, user: User, assessment: RiskAssessment, result: ResultInput) -> None:
    assessment.level = result.level
    assessment.experienced_professional = result.experienced_professional.strip()
    assessment.child_seen = result.child_seen
    assessment.child_seen_on = result.child_seen_on if result.child_seen else None
    assessment.child_seen_by = result.child_seen_by.strip() if result.child_seen else ""
    for name in ENDANGERMENT_KINDS:
        setattr(assessment, name, name in result.endangerment)
    assessment.concluded_by = user
    assessment.concluded_at = timezone.now()


@transaction.atomic
def risk_report(
    *,
    user: User,
    case: Case,
    children: Sequence[Person],
    concern: ConcernInput,
    result: ResultInput | None = None,
    assignment: Assignment | None = None,
) -> list[RiskAssessment]:
    """Record a concern for one or more children of the case: one assessment per child, with
    the same facts. With `result` the assessment is concluded at once (a provider does so)."""
    today = timezone.localdate()
    errors = _children_errors(case=case, children=children)
    for name, messages in concern_errors(concern=concern, today=today).items():
        errors.setdefault(name, []).extend(messages)
    if assignment is not None and result is None:
        _add(errors, "level", "Bitte wählen Sie das Ergebnis der Einschätzung.")
    if result is not None:
        checked = result_errors(result=result, by_provider=assignment is not None, today=today)
        staff = _assessors_errors(case=case, assignment=assignment, result=result)
        for name, messages in [*checked.items(), *staff.items()]:
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    assessments = []
    for child in children:
        assessment = RiskAssessment(
            case=case,
            assignment=assignment,
            child=child,
            facts=concern.facts.strip(),
            known_on=concern.known_on,
            known_channel=concern.known_channel,
            source=concern.source,
            source_detail=concern.source_detail.strip(),
            assessed_by=user,
        )
        if result is not None:
            _result_apply(user=user, assessment=assessment, result=result)
        assessment.full_clean()
        assessment.save()
        if result is not None:
            assessment.assessors.set(result.assessors)
        audit_record(
            user=user, action=AuditAction.CREATE, obj=assessment, detail="Gefährdungseinschätzung"
        )
        assessments.append(assessment)
    written = RiskAssessment.objects.filter(pk__in=[a.pk for a in assessments])
    risk_open_refresh(assessments=written)
    is_open = dict(written.values_list("pk", "is_open"))
    for assessment in assessments:
        assessment.is_open = is_open[assessment.pk]
    return assessments


@transaction.atomic
def risk_conclude(*, user: User, assessment: RiskAssessment, result: ResultInput) -> RiskAssessment:
    """Record the result of a reported concern. A latent or acute result then awaits the
    acknowledgements of the steering caseworker and a team lead."""
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_concluded:
        raise ValidationError("Für diese Einschätzung ist das Ergebnis bereits erfasst.")
    errors = result_errors(
        result=result,
        by_provider=assessment.assignment_id is not None,
        today=timezone.localdate(),
    )
    if "assessors" not in errors:
        errors.update(
            _assessors_errors(case=assessment.case, assignment=assessment.assignment, result=result)
        )
    if errors:
        raise ValidationError(errors)
    _result_apply(user=user, assessment=assessment, result=result)
    assessment.full_clean()
    assessment.save()
    assessment.assessors.set(result.assessors)
    risk_open_refresh(assessments=RiskAssessment.objects.filter(pk=assessment.pk))
    assessment.refresh_from_db(fields=["is_open"])
    audit_record(user=user, action=AuditAction.CHANGE, obj=assessment, detail="Ergebnis § 8a")
    return assessment


def acknowledgement_roles_of(*, user: User, case: Case) -> list[str]:
    """The roles in which the user may acknowledge the case's assessments."""
    roles: list[str] = []
    if (
        case.steering_caseworker_id == user.pk
        or represented_by(user).filter(pk=case.steering_caseworker_id).exists()
    ):
        roles.append(AcknowledgementRole.STEERING.value)
    if (
        user.effective_role == Role.TEAM_LEAD
        and user.asd_team is not None
        and user.asd_team.region_id == case.region_id
    ):
        roles.append(AcknowledgementRole.TEAM_LEAD.value)
    return roles


def acknowledgement_refusal(
    *, user: User, assessment: RiskAssessment, role: str, acknowledged_roles: Sequence[str]
) -> str | None:
    """Why the user may not acknowledge the assessment in `role`; None when they may.

    `acknowledged_roles`: the roles that have acknowledged it already."""
    if not assessment.is_concluded:
        return (
            "Die Einschätzung ist noch nicht abgeschlossen; es gibt noch nichts zur Kenntnis zu "
            "nehmen."
        )
    if assessment.level not in RISK_LEVELS_ACKNOWLEDGED:
        return "Eine Einschätzung ohne Gefährdung braucht keine Kenntnisnahme."
    if role not in acknowledgement_roles_of(user=user, case=assessment.case):
        label = AcknowledgementRole(role).label if role in AcknowledgementRole.values else role
        return f"Sie können nicht als {label} zur Kenntnis nehmen."
    if role in acknowledged_roles:
        return "Diese Einschätzung ist in dieser Rolle bereits zur Kenntnis genommen."
    if user.pk in assessment.author_ids:
        return (
            "Sie haben diese Einschätzung selbst erfasst; zur Kenntnis nehmen muss sie eine "
            "andere Person (Vier-Augen-Prinzip)."
        )
    return None


def acknowledgements_due(
    *, assessment: RiskAssessment, acknowledged_roles: Sequence[str]
) -> list[str]:
    """The roles whose acknowledgement is still due. The steering caseworker's is not due when
    she wrote the assessment herself: she knows it."""
    if assessment.level not in RISK_LEVELS_ACKNOWLEDGED:
        return []
    due = [AcknowledgementRole.TEAM_LEAD.value]
    if assessment.case.steering_caseworker_id not in assessment.author_ids:
        due.insert(0, AcknowledgementRole.STEERING.value)
    return [role for role in due if role not in acknowledged_roles]


@transaction.atomic
def risk_acknowledge(*, user: User, assessment: RiskAssessment, role: str) -> RiskAcknowledgement:
    """The steering caseworker or a team lead takes note of a latent or acute result, each in
    their own role; an author of the assessment never does."""
    assessment = (
        RiskAssessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    )
    done = list(assessment.acknowledgements.values_list("role", flat=True))
    refusal = acknowledgement_refusal(
        user=user, assessment=assessment, role=role, acknowledged_roles=done
    )
    if refusal:
        raise ValidationError(refusal)
    acknowledgement = RiskAcknowledgement(assessment=assessment, role=role, user=user)
    acknowledgement.full_clean()
    acknowledgement.save()
    risk_open_refresh(assessments=RiskAssessment.objects.filter(pk=assessment.pk))
    audit_record(user=user, action=AuditAction.CHANGE, obj=assessment, detail="Kenntnisnahme § 8a")
    return acknowledgement


def _plan_of(assessment: RiskAssessment) -> SafetyPlan:
    plan, _ = SafetyPlan.objects.select_for_update().get_or_create(
        assessment=assessment, defaults={"case_id": assessment.case_id}
    )
    return plan


def _require_concluded(assessment: RiskAssessment) -> None:
    if not assessment.is_concluded:
        raise ValidationError(
            "Bitte erfassen Sie zuerst das Ergebnis der Einschätzung; der Schutzplan folgt ihm."
        )


@transaction.atomic
def safety_plan_update(
    *, user: User, assessment: RiskAssessment, review_on: datetime.date | None, close: bool = False
) -> SafetyPlan:
    """Set the date the Schutzplan is reviewed (never in the past), or close the plan."""
    _require_concluded(assessment)
    today = timezone.localdate()
    errors = review_on_errors(review_on=review_on, today=today)
    if errors:
        raise ValidationError(errors)
    plan = _plan_of(assessment)
    plan.review_on = review_on
    if close and plan.closed_on is None:
        plan.closed_on, plan.closed_by = today, user
    elif not close:
        plan.closed_on, plan.closed_by = None, None
    plan.full_clean()
    plan.save()
    risk_open_refresh(assessments=RiskAssessment.objects.filter(pk=assessment.pk))
    audit_record(user=user, action=AuditAction.CHANGE, obj=plan, detail="Schutzplan")
    return plan


@transaction.atomic
def safety_measure_add(
    *, user: User, assessment: RiskAssessment, text: str, responsible: str, due_on: datetime.date
) -> SafetyMeasure:
    """Add a measure to the assessment's Schutzplan: what, who, by when."""
    _require_concluded(assessment)
    errors: Errors = {}
    if not text.strip():
        _add(errors, "text", "Bitte beschreiben Sie die Maßnahme.")
    if not responsible.strip():
        _add(errors, "responsible", "Bitte nennen Sie, wer die Maßnahme übernimmt.")
    if errors:
        raise ValidationError(errors)
    plan = _plan_of(assessment)
    if plan.closed_on is not None:
        raise ValidationError("Der Schutzplan ist abgeschlossen.")
    measure = SafetyMeasure(
        plan=plan, text=text.strip(), responsible=responsible.strip(), due_on=due_on
    )
    measure.full_clean()
    measure.save()
    audit_record(user=user, action=AuditAction.CHANGE, obj=plan, detail="Maßnahme im Schutzplan")
    return measure


@transaction.atomic
def safety_measure_done(
    *, user: User, measure: SafetyMeasure, done_on: datetime.date
) -> SafetyMeasure:
    measure = SafetyMeasure.objects.select_for_update().select_related("plan").get(pk=measure.pk)
    if measure.done_on is not None:
        raise ValidationError("Diese Maßnahme ist bereits als erledigt vermerkt.")
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "Das Datum liegt in der Zukunft."})
    measure.done_on = done_on
    measure.save(update_fields=["done_on"])
    audit_record(user=user, action=AuditAction.CHANGE, obj=measure.plan, detail="Maßnahme erledigt")
    return measure


@transaction.atomic
def family_court_record(
    *, user: User, assessment: RiskAssessment, called_on: datetime.date | None, court: str
) -> RiskAssessment:
    """§ 8a Abs. 2: the day the family court was called, and which court (with its reference)."""
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    _require_concluded(assessment)
    errors: Errors = {}
    if called_on is None:
        _add(errors, "called_on", "Bitte geben Sie an, wann das Familiengericht angerufen wurde.")
    elif called_on > timezone.localdate():
        _add(errors, "called_on", "Das Datum liegt in der Zukunft.")
    elif assessment.known_on and called_on < assessment.known_on:
        _add(errors, "called_on", "Das Datum liegt vor dem Bekanntwerden der Sorge.")
    if not court.strip():
        _add(errors, "court", "Bitte nennen Sie das Gericht und, wenn bekannt, das Aktenzeichen.")
    if errors:
        raise ValidationError(errors)
    assessment.family_court_on, assessment.family_court = called_on, court.strip()
    assessment.full_clean()
    assessment.save(update_fields=["family_court_on", "family_court"])
    audit_record(user=user, action=AuditAction.CHANGE, obj=assessment, detail="Familiengericht")
    return assessment


@transaction.atomic
def protection_measure_record(
    *, user: User, assessment: RiskAssessment, started_on: datetime.date | None
) -> ProtectionMeasure:
    """§ 42: the child of the assessment taken into care on a day. One record per assessment;
    the statistics add their items to this record."""
    assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
    _require_concluded(assessment)
    errors: Errors = {}
    if started_on is None:
        _add(errors, "started_on", "Bitte geben Sie an, wann das Kind in Obhut genommen wurde.")
    elif started_on > timezone.localdate():
        _add(errors, "started_on", "Das Datum liegt in der Zukunft.")
    if assessment.protection_measures.exists():
        _add(errors, "__all__", "Die Inobhutnahme zu dieser Einschätzung ist bereits erfasst.")
    if errors:
        raise ValidationError(errors)
    assert started_on is not None
    measure = ProtectionMeasure(
        case_id=assessment.case_id,
        child_id=assessment.child_id,
        assessment=assessment,
        started_on=started_on,
        recorded_by=user,
    )
    measure.full_clean()
    measure.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=measure, detail="Inobhutnahme § 42")
    return measure
