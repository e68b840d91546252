"""The Sozialraum page: figures equal to independent counts, constant queries, open to all."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseKind, CaseStatus, HelpType, PlacementLocation
from cases.services import case_project_open, case_transition, help_end
from network.models import PartnerType, TargetGroup
from overview.selectors import region_for_user, sozialraum_for_user
from tests.cases.conftest import decide, intake
from tests.conftest import page_query_limit
from tests.factories import PopulationFactory, ProviderFactory, UserFactory
from tests.network.factories import (
    AgreementFactory,
    ConferenceFactory,
    OfferFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db
ROLES = ["caseworker", "team_lead", "provider_staff", "planner", "admin"]
TYPES = [PartnerType.KITA, PartnerType.SCHOOL, PartnerType.LIBRARY]
GROUPS = [TargetGroup.CHILDREN, TargetGroup.PARENTS, TargetGroup.YOUTH]


def populate(town, size: int) -> None:
    """`size` partners per type in N1 with offers of several kinds, and noise elsewhere."""
    home, other = town["N1"], town["S2"]
    for index in range(size):
        for kind_index, kind in enumerate(TYPES):
            partner = PartnerFactory(sozialraum=home, partner_type=kind)
            for group in GROUPS[: kind_index + 1]:
                OfferFactory(partner=partner, target_group=group)
            OfferFactory(partner=partner, valid_until=datetime.date(2020, 1, 1))  # expired
        PartnerFactory(sozialraum=home, partner_type=PartnerType.PARISH, is_active=False)
        OfferFactory(partner=PartnerFactory(sozialraum=other))
        OfferFactory(
            partner=None,
            provider=ProviderFactory(),
            sozialraum=home,
            target_group=TargetGroup.FAMILIES,
        )
        ConferenceFactory(sozialraum=home, date=datetime.date(2025, 1, 1 + index))
        AgreementFactory(conference__sozialraum=home)


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def rows(html: str, attribute: str) -> dict[str, int]:
    return {
        label: int(count)
        for label, count in re.findall(
            rf'<tr {attribute}="([^"]+)"><th scope="row">[^<]+</th>'
            r'<td class="figure-number">(\d+)</td>',
            html,
        )
    }


def test_figures_match_independent_counts(client, users, town):
    populate(town, 2)
    PopulationFactory(sozialraum=town["N1"], year=2020, minors=999)  # older year: not shown
    client.force_login(users["planner"])
    html = client.get(reverse("overview:sozialraum_detail", args=[town["N1"].pk])).content.decode()
    # Counted by hand from `populate(town, 2)`: 2 × (Kita, Schule, Bücherei) active partners;
    # valid offers: 2 × (1 + 2 + 3) of partners + 2 of providers = 14.
    assert figure(html, "partners") == "6"
    assert figure(html, "offers") == "14"
    assert figure(html, "minors") == "2.000"  # the 2025 figure, not 2020's
    assert figure(html, "offers_per_1000") == "7,0"
    assert rows(html, "data-partner-type") == {"Kita": 2, "Schule": 2, "Bücherei": 2}
    assert rows(html, "data-target-group") == {
        "Kinder": 6,
        "Jugendliche": 2,
        "Eltern": 4,
        "Familien": 2,
    }


def test_query_count_does_not_grow_with_partners_offers_or_conferences(
    client, users, town, settings
):
    settings.FIGURES_CACHE_SECONDS = 0  # count what computing the figures takes
    client.force_login(users["caseworker"])
    url = reverse("overview:sozialraum_detail", args=[town["N1"].pk])
    populate(town, 1)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    populate(town, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= page_query_limit()
    region_url = reverse("overview:region_detail", args=[town["N1"].region_id])
    with CaptureQueriesContext(connection) as region_plain:
        assert client.get(region_url).status_code == 200
    assert len(region_plain) <= page_query_limit()
    with CaptureQueriesContext(connection) as region_small:
        client.get(region_url, {"einfaerben": "angebote"})
    populate(town, 2)
    with CaptureQueriesContext(connection) as region_large:
        client.get(region_url, {"einfaerben": "angebote"})
    assert len(region_large) == len(region_small)


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_sees_the_page(client, users, town, role):
    client.force_login(users[role])
    response = client.get(reverse("overview:sozialraum_detail", args=[town["S1"].pk]))
    assert response.status_code == 200
    assert "Sozialraum Quartier S1" in response.content.decode()


def test_unknown_sozialraum_is_a_german_404(client, users, town):
    client.force_login(users["planner"])
    response = client.get(reverse("overview:sozialraum_detail", args=[99999]))
    assert response.status_code == 404


def test_area_pages_are_closed_to_an_account_without_a_role(client, users, town):
    """The view refuses with 403; the access helpers themselves answer 404."""
    nobody = UserFactory(role="")
    client.force_login(nobody)
    sozialraum = town["S1"]
    for url in (
        reverse("overview:sozialraum_detail", args=[sozialraum.pk]),
        reverse("overview:region_detail", args=[sozialraum.region_id]),
    ):
        assert client.get(url).status_code == 403
    with pytest.raises(Http404):
        sozialraum_for_user(nobody, sozialraum.pk)
    with pytest.raises(Http404):
        region_for_user(nobody, sozialraum.region_id)
    assert sozialraum_for_user(users["provider_staff"], sozialraum.pk) == sozialraum
    assert region_for_user(users["provider_staff"], sozialraum.region_id) == sozialraum.region


def casework(users, town, *, helps: int = 3) -> None:
    """In N1: `helps` SPFH helps, a placement near home and one outside, an ended help, two
    projects; in N2 one SPFH (noise)."""
    today = datetime.date.today()
    worker = users["caseworker"]
    spfh, home = HelpType.objects.get(code="31"), HelpType.objects.get(code="34")

    def decided(sozialraum, help_type=None, **extra):
        # Taken in before any help starts (a help cannot begin before its case's intake).
        opened_on = today - datetime.timedelta(days=60)
        case = intake(user=worker, sozialraum=sozialraum, opened_on=opened_on)
        case = case_transition(user=worker, case=case, to_status=CaseStatus.CLARIFICATION)
        if help_type == home:
            extra.update(hours_per_week=None, monthly_cost=Decimal("5000"))
        return decide(user=worker, case=case, help_type=help_type or spfh, **extra)

    for _ in range(helps):
        decided(town["N1"])
    decided(town["N1"], home, placement_location=PlacementLocation.REGION)
    decided(town["N1"], home, placement_location=PlacementLocation.OUTSIDE)
    ended = decided(town["N1"], starts_on=today - datetime.timedelta(days=30))
    help_end(user=worker, help_=ended, ended_on=today - datetime.timedelta(days=1))
    decided(town["N2"])
    for kind in (CaseKind.CROSS_CASE, CaseKind.CASE_INDEPENDENT):
        case_project_open(
            user=worker,
            kind=kind,
            title=f"Projekt {kind}",
            sozialraum=town["N1"],
            steering_caseworker=worker,
            opened_on=today,
            participants_count=5,
        )


def test_case_figures_match_independent_counts(client, users, town):
    casework(users, town)
    client.force_login(users["provider_staff"])  # aggregate figures only: every role sees them
    html = client.get(reverse("overview:sozialraum_detail", args=[town["N1"].pk])).content.decode()
    # By hand: 3 SPFH + 2 placements run today; 2,000 minors.
    assert figure(html, "helps_running") == "5"
    assert figure(html, "helps_per_1000") == "2,5"
    assert figure(html, "placements") == "2"
    assert figure(html, "near_home") == "1 (50,0 %)"
    assert figure(html, "cross_case") == "1"
    assert figure(html, "case_independent") == "1"
    help_types = dict(
        re.findall(
            r'<tr data-help-type="(\w+)"><th scope="row">[^<]+</th>'
            r'<td class="figure-number">(\d+)</td>',
            html,
        )
    )
    assert help_types == {"31": "3", "34": "2"}
    assert "Beispielkind" not in html  # no personal data
    assert "N-20" not in html  # no case numbers


def test_the_map_shades_sozialraeume_by_helps_per_1000_minors(client, users, town):
    casework(users, town)
    client.force_login(users["planner"])
    html = client.get(
        reverse("overview:region_detail", args=[town["N1"].region_id]), {"einfaerben": "hilfen"}
    ).content.decode()
    assert "laufende Hilfen je 1.000 Minderjährige" in html
    # N1: 5 helps, N2: 1 help, each 2,000 minors → 2,5 and 0,5 in the region table
    assert re.search(
        r"Quartier N1</a>.*?<td class=\"figure-number\">5</td>"
        r"<td class=\"figure-number\">2,5</td>",
        html,
        re.S,
    )
    assert re.search(
        r"Quartier N2</a>.*?<td class=\"figure-number\">1</td>"
        r"<td class=\"figure-number\">0,5</td>",
        html,
        re.S,
    )


def test_query_count_does_not_grow_with_cases(client, users, town):
    client.force_login(users["caseworker"])
    url = reverse("overview:sozialraum_detail", args=[town["N1"].pk])
    casework(users, town, helps=1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"einfaerben": "hilfen"})
    casework(users, town, helps=8)
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"einfaerben": "hilfen"})
    assert len(large) == len(small)


def test_sozialraum_list_links_to_the_pages(client, users, town):
    client.force_login(users["provider_staff"])
    html = client.get(reverse("sozialraum_list")).content.decode()
    for sozialraum in town.values():
        assert reverse("overview:sozialraum_detail", args=[sozialraum.pk]) in html
