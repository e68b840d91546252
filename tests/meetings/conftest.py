"""A Sozialraumteam in region Nord: a meeting of Sozialraum N1 planned for today by the team
lead, Träger A's staff on the list, and a case of family Beispielkind in clarification (Träger
A not commissioned)."""

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseStatus
from cases.services import case_transition, help_types_ensure
from meetings import services
from tests.cases.conftest import intake
from tests.factories import RegionProviderFactory, SozialraumFactory
from tests.network.factories import OfferFactory, PartnerFactory


@pytest.fixture
def provider_a_in_nord(team_nord, provider_a):
    return RegionProviderFactory(region=team_nord.region, provider=provider_a, is_lead=True)


@pytest.fixture
def sozialraum_sued(team_sued):
    return SozialraumFactory(region=team_sued.region, asd_team=team_sued, code="S1")


@pytest.fixture
def family_case(users, sozialraum_nord):
    help_types_ensure()
    case = intake(
        user=users["caseworker"],
        sozialraum=sozialraum_nord,
        opened_on=timezone.localdate() - datetime.timedelta(days=10),
        concern="Mia Beispielkind soll wieder gern in die Schule gehen, sagt Sandra.",
        will="Wir wollen, dass es am 14.03.2015 geborene Kind ruhiger schläft.",
    )
    return case_transition(user=users["caseworker"], case=case, to_status=CaseStatus.CLARIFICATION)


@pytest.fixture
def partners(sozialraum_nord):
    return [
        PartnerFactory(name="Sportverein Lindenau", sozialraum=sozialraum_nord),
        PartnerFactory(name="Familienzentrum Heide", sozialraum=sozialraum_nord),
    ]


@pytest.fixture
def group_offer(partners):
    return OfferFactory(partner=partners[1], title="Elterncafé", capacity=10, places_free=3)


@pytest.fixture
def meeting(users, sozialraum_nord, provider_a_in_nord):
    meeting = services.meeting_plan(
        user=users["team_lead"], sozialraum=sozialraum_nord, date=timezone.localdate()
    )
    services.attendee_add(user=users["team_lead"], meeting=meeting, staff=users["provider_staff"])
    return meeting


@pytest.fixture
def item(users, meeting, family_case):
    from meetings.selectors import agenda_candidates

    candidates = [c for c in agenda_candidates(meeting) if c.case.pk == family_case.pk]
    return services.agenda_take(user=users["team_lead"], meeting=meeting, candidates=candidates)[0]
