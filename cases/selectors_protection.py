"""Reads of § 8a child protection: what needs whose attention, and one assessment's record.

Every list starts from `cases.permissions` (the cases the user may see), so nothing here returns
what the user may not see. Start-page lists are ordered in SQL and sliced by the caller.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import (
    RISK_LEVELS_ACKNOWLEDGED,
    AcknowledgementRole,
    Case,
    ProtectionMeasure,
    RiskAcknowledgement,
    RiskAssessment,
    SafetyMeasure,
    SafetyPlan,
)
from cases.permissions import alerts_reach
from cases.protection import (
    acknowledged,
    acknowledgement_refusal,
    acknowledgement_roles_of,
    acknowledgements_due,
)
from sozialraum.models import Role, User


def _waits_for_steering() -> Q:
    """A latent or acute result the steering caseworker has not acknowledged, unless she wrote
    it herself."""
    authored = Q(assessed_by=F("case__steering_caseworker")) | Q(
        concluded_by=F("case__steering_caseworker")
    )
    return (
        Q(level__in=RISK_LEVELS_ACKNOWLEDGED)
        & ~authored
        & Q(~acknowledged(AcknowledgementRole.STEERING))
    )


def open_risks() -> QuerySet[RiskAssessment]:
    """Assessments that are open: reported and not yet assessed, or waiting for the team lead
    (the case list's "§ 8a offen"; `is_open` is kept by `cases.protection`)."""
    return RiskAssessment.objects.filter(is_open=True)


def risks_open_for(
    user: User, *, covering: Collection[int] | None = None
) -> QuerySet[RiskAssessment]:
    """The § 8a alerts of the user's start page: for a team lead those of the region that wait
    for a team lead, for a caseworker those of her cases that wait for her; assessments not yet
    assessed for both. Acute first, then those not yet assessed, then latent; oldest first."""
    if user.effective_role == Role.TEAM_LEAD:
        waiting = Q(is_open=True)
    else:
        waiting = Q(level="") | _waits_for_steering()
    alerts = RiskAssessment.objects.filter(waiting, alerts_reach(user, covering=covering))
    return (
        with_acknowledgement_times(alerts)
        .select_related("case__sozialraum", "assessed_by", "child")
        # `alert_rank`: acute, not yet assessed, latent (`protection.alert_rank_of_level`); a
        # team lead's open ones come in this order from the index `risk_open_by_rank`.
        .order_by("alert_rank", "assessed_at", "pk")
    )


def safety_reviews_overdue_for(
    user: User, today: datetime.date | None = None, *, covering: Collection[int] | None = None
) -> QuerySet[SafetyPlan]:
    """Schutzpläne whose review date has passed and that are not closed, of the cases whose
    alerts reach the user (a team lead's region, a caseworker's own cases); longest overdue
    first."""
    today = today or timezone.localdate()
    return (
        SafetyPlan.objects.filter(
            alerts_reach(user, covering=covering), closed_on__isnull=True, review_on__lt=today
        )
        .select_related("case", "assessment__child")
        .order_by("review_on", "pk")
    )


@dataclass(frozen=True)
class AcknowledgementState:
    """One role's acknowledgement of an assessment, as the reader sees it."""

    role: str
    label: str
    acknowledgement: RiskAcknowledgement | None
    due: bool
    can_acknowledge: bool  # the reader may acknowledge in this role now
    refusal: str  # why the reader, who holds this role, may not (shown instead of the button)


@dataclass
class ProtectionRecord:
    """Everything the page of one § 8a assessment shows."""

    assessment: RiskAssessment
    assessor_names: list[str]
    acknowledgements: list[AcknowledgementState]
    plan: SafetyPlan | None
    measures: list[SafetyMeasure]
    protection_measure: ProtectionMeasure | None
    review_overdue: bool
    today: datetime.date


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def acknowledgement_states(
    *, user: User, assessment: RiskAssessment, acknowledgements: list[RiskAcknowledgement]
) -> list[AcknowledgementState]:
    done = {ack.role: ack for ack in acknowledgements}
    due = acknowledgements_due(assessment=assessment, acknowledged_roles=list(done))
    held = acknowledgement_roles_of(user=user, case=assessment.case)
    states = []
    for role in AcknowledgementRole:
        refusal = None
        if role in held:
            refusal = acknowledgement_refusal(
                user=user, assessment=assessment, role=role, acknowledged_roles=list(done)
            )
        states.append(
            AcknowledgementState(
                role=role.value,
                label=role.label,
                acknowledgement=done.get(role.value),
                due=role.value in due,
                can_acknowledge=role in held and refusal is None,
                refusal=refusal if (role in held and role.value in due and refusal) else "",
            )
        )
    return states


def protection_record(*, user: User, assessment: RiskAssessment) -> ProtectionRecord:
    """The record of one assessment; `assessment` comes from `risk_assessment_for_user`."""
    today = timezone.localdate()
    acknowledgements = list(assessment.acknowledgements.select_related("user"))
    plan = SafetyPlan.objects.filter(assessment=assessment).first()
    return ProtectionRecord(
        assessment=assessment,
        assessor_names=[_name(u) for u in assessment.assessors.order_by("last_name", "pk")],
        acknowledgements=acknowledgement_states(
            user=user, assessment=assessment, acknowledgements=acknowledgements
        ),
        plan=plan,
        measures=list(plan.measures.all()) if plan else [],
        protection_measure=assessment.protection_measures.first(),
        review_overdue=bool(
            plan and plan.closed_on is None and plan.review_on and plan.review_on < today
        ),
        today=today,
    )


def _acknowledged_at(role: str) -> Subquery:
    return Subquery(
        RiskAcknowledgement.objects.filter(assessment=OuterRef("pk"), role=role).values("at")[:1]
    )


def with_acknowledgement_times(risks: QuerySet[RiskAssessment]) -> QuerySet[RiskAssessment]:
    """Each assessment with `steering_acknowledged_at` and `lead_acknowledged_at` (None while
    due), read in the same query: the lists of the case and assignment pages."""
    return risks.annotate(
        steering_acknowledged_at=_acknowledged_at(AcknowledgementRole.STEERING),
        lead_acknowledged_at=_acknowledged_at(AcknowledgementRole.TEAM_LEAD),
    )


def risks_of_case(case: Case) -> QuerySet[RiskAssessment]:
    """The case's assessments for the case page, with what the list shows, in one query."""
    return with_acknowledgement_times(
        case.risk_assessments.select_related(
            "assessed_by", "assignment__provider", "child", "safety_plan"
        )
    )


def provider_staff_of(provider_id: int) -> QuerySet[User]:
    """A provider's active staff, to name who assessed a concern together."""
    return User.objects.filter(
        is_active=True, role=Role.PROVIDER_STAFF, provider_id=provider_id
    ).order_by("last_name", "first_name")
