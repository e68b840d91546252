"""§ 8a through the services, the way the office records it, for tests that need assessments."""

import datetime
from collections.abc import Sequence

from django.utils import timezone

from cases.models import (
    Case,
    ConcernChannel,
    ConcernSource,
    Person,
    PersonRole,
    RiskAssessment,
)
from cases.protection import ConcernInput, ResultInput, risk_report
from sozialraum.models import User
from tests.factories import UserFactory

FACTS = "Mia hatte heute Hämatome am Arm und wollte nicht nach Hause."


def concern(
    *,
    facts: str = FACTS,
    known_on: datetime.date | None = None,
    source: str = ConcernSource.SCHOOL,
    channel: str = ConcernChannel.PHONE,
    source_detail: str = "",
) -> ConcernInput:
    return ConcernInput(
        known_on=known_on or timezone.localdate(),
        known_channel=channel,
        source=source,
        source_detail=source_detail,
        facts=facts,
    )


def second_assessor(user: User) -> User:
    """A colleague of `user` (same team or provider) to assess together with."""
    return UserFactory(
        role=user.role, asd_team=user.asd_team, provider=user.provider, first_name="Zweite"
    )


def assess(
    *,
    user: User,
    case: Case,
    level: str,
    facts: str = FACTS,
    children: Sequence[Person] | None = None,
    assessors: Sequence[User] | None = None,
    **result: object,
) -> RiskAssessment:
    """One concluded assessment of the case's first child (or of `children`: the first one's
    assessment is returned), assessed by `user` and a colleague."""
    chosen = list(children or case.persons.filter(role=PersonRole.CHILD)[:1])
    team = list(assessors) if assessors is not None else [user, second_assessor(user)]
    return risk_report(
        user=user,
        case=case,
        children=chosen,
        concern=concern(facts=facts),
        result=ResultInput(level=level, assessors=team, **result),  # type: ignore[arg-type]
    )[0]


def report(*, user: User, case: Case, children: Sequence[Person] | None = None, **kwargs: object):
    """Concerns reported and not yet assessed, one per child (all the case's children)."""
    chosen = list(children or case.persons.filter(role=PersonRole.CHILD))
    return risk_report(user=user, case=case, children=chosen, concern=concern(**kwargs))  # type: ignore[arg-type]
