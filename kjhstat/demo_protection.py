"""Demo data of the § 8a and § 42 surveys: last year's completed assessments and two
Inobhutnahmen (one over New Year) with every item, one running now, plus one deliberately
implausible record of each survey, so a planner sees tables and the plausibility report on first
start.

Runs after the cases demo (it uses its individual cases); idempotent through the marker in the
facts and in `taken_by`. Called from `kjhstat/demo.py`.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.custody import CustodyInput, custody_end, custody_record
from cases.kjh_items import FamilySituation, ResidenceBefore, Sex, YesNoUnknown
from cases.kjh_protection_items import (
    PriorHelp,
    ProtectionInitiator,
    ProtectionKind,
    ProtectionOutcome,
    ProtectionPlacement,
    ProtectionReason,
)
from cases.models import (
    AcknowledgementRole,
    Case,
    CaseKind,
    ConcernChannel,
    ConcernSource,
    PersonRole,
    ProtectionMeasure,
    RiskAssessment,
    RiskLevel,
)
from cases.protection import (
    ConcernInput,
    ResultInput,
    risk_acknowledge,
    risk_report,
    safety_plan_update,
)
from cases.protection_items import RiskItems, risk_items_update
from sozialraum.models import Role, User

MARKER = "(Statistik-Demo)"


def _colleague(user: User, case: Case) -> User | None:
    """Who assesses together with the steering caseworker: ASD staff of the case's region (the
    rule of `cases.protection`); None when the caseworker is not of that region herself."""
    if user.asd_team is None or user.asd_team.region_id != case.region_id or not user.is_active:
        return None
    return (
        User.objects.filter(
            is_active=True,
            role__in=[Role.CASEWORKER, Role.TEAM_LEAD],
            asd_team__region_id=case.region_id,
        )
        .exclude(pk=user.pk)
        .order_by("pk")
        .first()
    )


def _assess(case: Case, *, level: str, completed: datetime.datetime, items: RiskItems | None):
    steering = case.steering_caseworker
    colleague = _colleague(steering, case) if steering else None
    if steering is None or colleague is None:
        return
    children = list(case.persons.filter(role=PersonRole.CHILD).order_by("birth_date"))
    if not children:
        return
    assessments = risk_report(
        user=steering,
        case=case,
        children=children,
        concern=ConcernInput(
            known_on=completed.date() - datetime.timedelta(days=4),
            known_channel=ConcernChannel.PHONE,
            source=ConcernSource.KITA if level != RiskLevel.ACUTE else ConcernSource.POLICE,
            facts=f"Hinweis auf eine mögliche Gefährdung {MARKER}.",
        ),
        result=ResultInput(level=level, assessors=[steering, colleague]),
    )
    lead = (
        User.objects.filter(is_active=True, role=Role.TEAM_LEAD, asd_team__region_id=case.region_id)
        .exclude(pk=steering.pk)
        .order_by("pk")
        .first()
    )
    for assessment in assessments:
        if items is not None:
            risk_items_update(user=steering, assessment=assessment, items=items)
        # Last year's work is done: acknowledged and its Schutzplan closed, so these records
        # do not join the start pages' alerts of the demo accounts.
        if assessment.needs_acknowledgement and lead is not None:
            risk_acknowledge(user=lead, assessment=assessment, role=AcknowledgementRole.TEAM_LEAD)
            safety_plan_update(
                user=lead, assessment=assessment, review_on=timezone.localdate(), close=True
            )
        RiskAssessment.objects.filter(pk=assessment.pk).update(concluded_at=completed)


def _custody(case: Case, *, started_on, ended_on, **changes) -> None:
    steering = case.steering_caseworker
    child = case.persons.filter(role=PersonRole.CHILD).order_by("birth_date").first()
    if steering is None or child is None:
        return
    data = {
        "child": child,
        "kind": ProtectionKind.URGENT_DANGER,
        "started_on": started_on,
        "started_time": datetime.time(21, 40),
        "taken_by": f"ASD Bereitschaftsdienst mit der Polizei {MARKER}",
        "initiator": ProtectionInitiator.POLICE,
        "reasons": [ProtectionReason.PHYSICAL, ProtectionReason.OVERBURDENED],
        "residence_before": ResidenceBefore.SINGLE_PARENT,
        "placement": ProtectionPlacement.INSTITUTION,
        "placement_name": "Kinderschutzstelle",
        "parents_informed_on": started_on,
        "parents_object": False,
        **changes,
    }
    outcome = data.pop("outcome", ProtectionOutcome.RETURN_TO_PARENTS)
    measure = custody_record(user=steering, case=case, data=CustodyInput(**data))
    if ended_on is not None:
        custody_end(user=steering, measure=measure, ended_on=ended_on, outcome=outcome)


@transaction.atomic
def demo_protection_build() -> None:
    if ProtectionMeasure.objects.filter(taken_by__endswith=MARKER).exists():
        return
    cases = list(
        Case.objects.filter(kind=CaseKind.INDIVIDUAL, steering_caseworker__isnull=False)
        .filter(persons__role=PersonRole.CHILD)
        .distinct()
        .order_by("pk")[:6]
    )
    if len(cases) < 4:
        return
    year = timezone.localdate().year - 1
    zone = timezone.get_current_timezone()
    complete = RiskItems(
        family_situation=FamilySituation.SINGLE,
        usual_residence=ResidenceBefore.SINGLE_PARENT,
        prior_help=PriorHelp.DAYCARE,
        endangerment=["endangerment_neglect"],
        consequences=["consequence_new_help"],
        sex=Sex.FEMALE,
        parent_foreign_origin=YesNoUnknown.NO,
        german_at_home=YesNoUnknown.YES,
    )
    no_risk = RiskItems(
        **{**complete.__dict__, "endangerment": [], "consequences": ["consequence_other_service"]}
    )
    for index, (case, level) in enumerate(
        zip(cases[:3], (RiskLevel.ACUTE, RiskLevel.LATENT, RiskLevel.HELP_NEEDED), strict=True)
    ):
        risky = level in (RiskLevel.ACUTE, RiskLevel.LATENT)
        _assess(
            case,
            level=level,
            completed=datetime.datetime(year, 3 + 3 * index, 12, 10, tzinfo=zone),
            items=complete if risky else no_risk,
        )
    # Implausible on purpose: a latent endangerment without its kind and without the items.
    _assess(
        cases[3],
        level=RiskLevel.LATENT,
        completed=datetime.datetime(year, 10, 7, 10, tzinfo=zone),
        items=None,
    )
    # Over New Year: begun in December of the year before, counted in the year it ended.
    _custody(
        cases[0],
        started_on=datetime.date(year - 1, 12, 29),
        ended_on=datetime.date(year, 1, 4),
    )
    _custody(
        cases[1],
        started_on=datetime.date(year, 6, 10),
        ended_on=datetime.date(year, 6, 24),
        initiator=ProtectionInitiator.YOUNG_PERSON,
        reasons=[ProtectionReason.RELATIONSHIPS],
        placement=ProtectionPlacement.SUITABLE_PERSON,
        outcome=ProtectionOutcome.AMBULANT_HELP,
    )
    # Running now (begun two days ago): the page to end it has something to end.
    _custody(
        cases[3],
        started_on=timezone.localdate() - datetime.timedelta(days=2),
        ended_on=None,
        initiator=ProtectionInitiator.TEACHER,
        reasons=[ProtectionReason.NEGLECT],
    )
    # Implausible on purpose: the parents object, and no family court is recorded (§ 42 Abs. 3).
    _custody(
        cases[2],
        started_on=datetime.date(year, 9, 1),
        ended_on=datetime.date(year, 9, 5),
        parents_object=True,
    )
