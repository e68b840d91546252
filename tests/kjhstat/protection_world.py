"""§ 8a assessments and Inobhutnahmen of known shape for the statistics tests, built through the
casework services the way the office records them."""

import datetime
from collections.abc import Sequence

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
from cases.models import Case, Person, PersonRole, ProtectionMeasure, RiskAssessment
from cases.protection import ResultInput, risk_report
from cases.protection_items import RiskItems, risk_items_update
from cases.services import PersonInput
from sozialraum.models import User
from tests.cases.conftest import GUARDIAN, intake
from tests.cases.protection import concern, second_assessor


def child(first: str, born: str) -> PersonInput:
    return PersonInput(
        role=PersonRole.CHILD,
        first_name=first,
        last_name="Statistik",
        birth_date=datetime.date.fromisoformat(born),
    )


def family(*, user: User, sozialraum, children: Sequence[PersonInput]) -> Case:
    case = intake(user=user, sozialraum=sozialraum, persons=[*children, GUARDIAN])
    case.persons.filter(role=PersonRole.CHILD).update(
        sex=Sex.FEMALE, parent_foreign_origin=YesNoUnknown.NO, german_at_home=YesNoUnknown.YES
    )
    return case


COMPLETE = RiskItems(
    family_situation=FamilySituation.SINGLE,
    usual_residence=ResidenceBefore.SINGLE_PARENT,
    prior_help=PriorHelp.NONE,
    endangerment=["endangerment_neglect"],
    consequences=["consequence_new_help"],
    sex=Sex.FEMALE,
    parent_foreign_origin=YesNoUnknown.NO,
    german_at_home=YesNoUnknown.YES,
)


def assess(
    *,
    user: User,
    case: Case,
    children: Sequence[Person],
    level: str,
    completed: datetime.datetime,
    items: RiskItems | None = COMPLETE,
    source: str = "school",
) -> list[RiskAssessment]:
    """A concluded assessment per child, completed at `completed`, with the survey items."""
    assessments = risk_report(
        user=user,
        case=case,
        children=list(children),
        concern=concern(known_on=completed.date() - datetime.timedelta(days=3), source=source),
        result=ResultInput(level=level, assessors=[user, second_assessor(user)]),
    )
    for assessment in assessments:
        if items is not None:
            risk_items_update(user=user, assessment=assessment, items=items)
        RiskAssessment.objects.filter(pk=assessment.pk).update(concluded_at=completed)
    return assessments


def at(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(
        hour=hour, tzinfo=timezone.get_current_timezone()
    )


def custody(
    *,
    user: User,
    case: Case,
    started_on: str,
    ended_on: str | None = None,
    outcome: str = ProtectionOutcome.RETURN_TO_PARENTS,
    **changes,
) -> ProtectionMeasure:
    """An Inobhutnahme of the case's first child, complete; ended when `ended_on` is given."""
    data = {
        "child": case.persons.filter(role=PersonRole.CHILD).first(),
        "kind": ProtectionKind.URGENT_DANGER,
        "started_on": datetime.date.fromisoformat(started_on),
        "started_time": datetime.time(22, 15),
        "taken_by": "ASD Bereitschaft, Frau Roth, mit der Polizei",
        "initiator": ProtectionInitiator.POLICE,
        "reasons": [ProtectionReason.PHYSICAL, ProtectionReason.OVERBURDENED],
        "residence_before": ResidenceBefore.SINGLE_PARENT,
        "placement": ProtectionPlacement.INSTITUTION,
        "placement_name": "Kinderschutzstelle Lindenau",
        "parents_informed_on": datetime.date.fromisoformat(started_on),
        "parents_object": False,
        **changes,
    }
    measure = custody_record(user=user, case=case, data=CustodyInput(**data))
    if ended_on is not None:
        measure = custody_end(
            user=user,
            measure=measure,
            ended_on=datetime.date.fromisoformat(ended_on),
            outcome=outcome,
        )
    return measure
