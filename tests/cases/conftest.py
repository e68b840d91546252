"""A Nord individual case taken in, decided and commissioned the way a caseworker does it.

- `case_nord`: intake by users["caseworker"] (ASD Nord) for the family Beispielkind, status Eingang
- `case_in_clarification`, `help_nord` (SPFH, case then "Hilfe entschieden"),
  `assignment_a` (Träger A commissioned, case running)
- `case_sued`: a case of region Süd, steered by users["caseworker_sued"]
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import CaseStatus, HelpType, PersonRole, ResourceKind
from cases.services import (
    PersonInput,
    ResourceInput,
    add_months,
    assignment_create,
    case_intake,
    case_transition,
    help_decide,
    help_types_ensure,
)
from tests.factories import RegionProviderFactory, SozialraumFactory, StreetSegmentFactory
from tests.town import town  # noqa: F401 (fixture)

CHILD = PersonInput(
    role=PersonRole.CHILD,
    first_name="Mia",
    last_name="Beispielkind",
    birth_date=datetime.date(2015, 3, 14),
)
GUARDIAN = PersonInput(
    role=PersonRole.GUARDIAN, first_name="Sandra", last_name="Beispielkind", relation="Mutter"
)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def street_nord(sozialraum_nord):
    """Lindenweg, every house number, in Nord's Sozialraum N1."""
    return StreetSegmentFactory(street="Lindenweg", postcode="24850", sozialraum=sozialraum_nord)


@pytest.fixture
def sozialraum_sued(team_sued):
    return SozialraumFactory(
        region=team_sued.region, asd_team=team_sued, code="S1", name="Südstadt"
    )


@pytest.fixture
def street_sued(sozialraum_sued):
    return StreetSegmentFactory(street="Birkenallee", postcode="24851", sozialraum=sozialraum_sued)


@pytest.fixture
def provider_a_in_nord(team_nord, provider_a):
    """Träger A works in region Nord, so the ASD Nord may commission it."""
    return RegionProviderFactory(region=team_nord.region, provider=provider_a)


@pytest.fixture
def provider_b_in_nord(team_nord, provider_b):
    return RegionProviderFactory(region=team_nord.region, provider=provider_b)


@pytest.fixture
def spfh(db):
    """§ 31 Sozialpädagogische Familienhilfe (ambulant) from the seeded catalogue (seeded again
    where a transactional test before has emptied the tables)."""
    help_types_ensure()
    return HelpType.objects.get(code="31")


@pytest.fixture
def heimerziehung(db):
    """§ 34 Heimerziehung: a placement (monthly cost and where the child lives)."""
    return HelpType.objects.get(code="34")


def intake(*, user, sozialraum, persons=(CHILD, GUARDIAN), opened_on=None, **extra):
    """Take an individual case in through the service, as the intake view does."""
    return case_intake(
        user=user,
        sozialraum=sozialraum,
        steering_caseworker=extra.pop("steering_caseworker", user),
        opened_on=opened_on or timezone.localdate(),
        street=extra.pop("street", "Lindenweg"),
        house_number=extra.pop("house_number", "3"),
        postcode=extra.pop("postcode", ""),
        concern=extra.pop("concern", "Wir wollen weniger Streit beim Zubettgehen."),
        will=extra.pop("will", "Wir wollen feste Abendrituale einüben."),
        persons=list(persons),
        resources=extra.pop(
            "resources", [ResourceInput(kind=ResourceKind.SOCIAL, description="Die Oma hilft.")]
        ),
        goals=extra.pop("goals", ["Mia schläft um acht."]),
        **extra,
    )


def decide(*, user, case, help_type, starts_on=None, **extra):
    """Decide an ambulant help (5 hours a week for a year) for a case in clarification."""
    starts_on = starts_on or timezone.localdate()
    return help_decide(
        user=user,
        case=case,
        help_type=help_type,
        starts_on=starts_on,
        planned_end_on=extra.pop("planned_end_on", add_months(starts_on, 12)),
        hours_per_week=extra.pop("hours_per_week", Decimal("5")),
        **extra,
    )


@pytest.fixture
def case_nord(users, sozialraum_nord):
    return intake(user=users["caseworker"], sozialraum=sozialraum_nord)


@pytest.fixture
def case_in_clarification(users, case_nord):
    return case_transition(
        user=users["caseworker"], case=case_nord, to_status=CaseStatus.CLARIFICATION
    )


@pytest.fixture
def help_nord(users, case_in_clarification, spfh):
    return decide(user=users["caseworker"], case=case_in_clarification, help_type=spfh)


@pytest.fixture
def assignment_a(users, help_nord, provider_a, provider_a_in_nord):
    return assignment_create(
        user=users["caseworker"],
        help_=help_nord,
        provider=provider_a,
        starts_on=help_nord.starts_on,
        ends_on=help_nord.planned_end_on,
        provider_contact="Frau Berater",
        instructions="Abendroutine mit der Familie aufbauen.",
    )


@pytest.fixture
def case_sued(users, sozialraum_sued):
    return intake(
        user=users["caseworker_sued"],
        sozialraum=sozialraum_sued,
        persons=[
            PersonInput(
                role=PersonRole.CHILD,
                first_name="Lars",
                last_name="Südkind",
                birth_date=datetime.date(2014, 1, 2),
            )
        ],
        street="Birkenallee",
    )
