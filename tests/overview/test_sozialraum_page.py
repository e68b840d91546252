"""The Sozialraum page: figures equal to independent counts, constant queries, open to all."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import PartnerType, TargetGroup
from tests.factories import PopulationFactory, ProviderFactory
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


def test_query_count_does_not_grow_with_partners_offers_or_conferences(client, users, town):
    client.force_login(users["caseworker"])
    url = reverse("overview:sozialraum_detail", args=[town["N1"].pk])
    populate(town, 1)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    populate(town, 6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
    region_url = reverse("overview:region_detail", args=[town["N1"].region_id])
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


def test_no_case_figures_are_shown_before_the_cases_app_provides_them(client, users, town):
    client.force_login(users["planner"])
    html = client.get(reverse("overview:sozialraum_detail", args=[town["N1"].pk])).content.decode()
    assert "Hilfen" not in html


def test_sozialraum_list_links_to_the_pages(client, users, town):
    client.force_login(users["provider_staff"])
    html = client.get(reverse("sozialraum_list")).content.decode()
    for sozialraum in town.values():
        assert reverse("overview:sozialraum_detail", args=[sozialraum.pk]) in html
