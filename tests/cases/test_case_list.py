"""The case list: search by number and name, the filters, and never another region's cases."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from cases.models import CaseKind, CaseStatus
from sozialraum.models import ProviderAlliance
from tests.cases.factories import (
    AssignmentFactory,
    CaseFactory,
    HelpFactory,
    PersonFactory,
    ProjectFactory,
)
from tests.conftest import SecondFactorClient as Client
from tests.factories import (
    ProviderFactory,
    RegionProviderFactory,
    SozialraumFactory,
)

URL = reverse("cases:list")


@pytest.fixture
def nord(
    users,
    sozialraum_nord,
    team_nord,
    provider_a,
    provider_b,
    provider_a_in_nord,
    provider_b_in_nord,
    spfh,
    heimerziehung,
):
    """Cases of region Nord in two Sozialräume, of different kinds, statuses, helps, providers."""
    n2 = SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N2")
    caseworker = users["caseworker"]
    mueller = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=caseworker)
    PersonFactory(case=mueller, first_name="Lea", last_name="Müller")
    mueller_hyphen = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=caseworker)
    PersonFactory(case=mueller_hyphen, first_name="Ömer", last_name="Mueller-Schmidt")
    schulz = CaseFactory(
        sozialraum=n2, steering_caseworker=users["team_lead"], status=CaseStatus.RUNNING
    )
    PersonFactory(case=schulz, first_name="Jonas", last_name="Schulz")
    AssignmentFactory(help__case=schulz, help__help_type=spfh, provider=provider_a)
    placed = CaseFactory(sozialraum=n2, steering_caseworker=caseworker, status="running")
    placement = HelpFactory(
        case=placed,
        help_type=heimerziehung,
        hours_per_week=None,
        monthly_cost=5000,
        placement_location="region",
    )
    AssignmentFactory(help=placement, provider=provider_b)
    group = ProjectFactory(
        sozialraum=n2,
        steering_caseworker=caseworker,
        title="Elterncafé am Markt",
        kind=CaseKind.CASE_INDEPENDENT,
    )
    return {
        "mueller": mueller,
        "mueller_hyphen": mueller_hyphen,
        "schulz": schulz,
        "placed": placed,
        "group": group,
        "n2": n2,
    }


@pytest.fixture
def sued(users, sozialraum_sued):
    case = CaseFactory(sozialraum=sozialraum_sued, steering_caseworker=users["caseworker_sued"])
    PersonFactory(case=case, first_name="Lea", last_name="Müller")
    return case


def _listed(client, user, nord, **params):
    """The cases of `nord` the list shows; a search (q) is posted, as the form does."""
    client.force_login(user)
    search = "q" in params
    response = client.post(URL, params, follow=True) if search else client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name, case in nord.items() if name != "n2" and f">{case.number}<" in html}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Müller", {"mueller", "mueller_hyphen"}),
        ("mueller", {"mueller", "mueller_hyphen"}),
        ("MÜLLER", {"mueller", "mueller_hyphen"}),
        ("Lea Müller", {"mueller"}),
        ("müller lea", {"mueller"}),
        ("Oemer", {"mueller_hyphen"}),
        ("Schmidt", {"mueller_hyphen"}),
        ("schul", {"schulz"}),
        ("Elterncafé", {"group"}),
        ("Niemand", set()),
    ],
)
def test_search_by_name_ignores_umlauts_and_case(client, users, nord, sued, query, expected):
    assert _listed(client, users["caseworker"], nord, q=query) == expected


def test_search_by_case_number(client, users, nord):
    number = nord["schulz"].number
    assert _listed(client, users["caseworker"], nord, q=number) == {"schulz"}
    assert _listed(client, users["caseworker"], nord, q=number.lower()) == {"schulz"}
    assert _listed(client, users["caseworker"], nord, q=number[:6]) == set(nord) - {"n2"}


def test_filters(client, users, nord, provider_a, provider_b, spfh, heimerziehung):
    user = users["caseworker"]
    everything = set(nord) - {"n2"}
    assert _listed(client, user, nord) == everything
    assert _listed(client, user, nord, sozialraum=nord["n2"].pk) == {"schulz", "placed", "group"}
    assert _listed(client, user, nord, kind=CaseKind.CASE_INDEPENDENT) == {"group"}
    assert _listed(client, user, nord, status=CaseStatus.RUNNING) == {"schulz", "placed"}
    assert _listed(client, user, nord, help_type=spfh.pk) == {"schulz"}
    assert _listed(client, user, nord, help_type=heimerziehung.pk) == {"placed"}
    assert _listed(client, user, nord, provider=provider_a.pk) == {"schulz"}
    assert _listed(client, user, nord, provider=provider_b.pk) == {"placed"}
    assert _listed(client, user, nord, mine="on") == everything - {"schulz"}
    assert _listed(client, user, nord, status="running", provider=provider_b.pk) == {"placed"}


def test_list_never_shows_another_regions_cases(client, users, nord, sued, sozialraum_sued):
    client.force_login(users["caseworker"])
    for params in (
        {},
        {"sozialraum": sozialraum_sued.pk},
        {"region": sozialraum_sued.region_id},
        {"nach": sued.pk + 1},
    ):
        html = client.get(URL, params).content.decode()
        assert sued.number not in html, params
    for query in (sued.number, "Lea Müller"):
        html = client.post(URL, {"q": query}, follow=True).content.decode()
        assert f">{sued.number}<" not in html, query
        # Nord's own Lea Müller is found; Süd's is not.
        assert (f">{nord['mueller'].number}<" in html) == (query == "Lea Müller")
    client.force_login(users["caseworker_sued"])
    html = client.get(URL).content.decode()
    assert sued.number in html
    assert nord["mueller"].number not in html


def test_list_shows_children_not_guardians(client, users, sozialraum_nord):
    case = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"])
    PersonFactory(case=case, first_name="Kira", last_name="Kind")
    PersonFactory(
        case=case,
        role="guardian",
        first_name="Vera",
        last_name="Vormund",
        birth_date=datetime.date(1990, 1, 1),
    )
    client.force_login(users["caseworker"])
    html = client.get(URL).content.decode()
    assert "Kira Kind" in html
    assert "Vera Vormund" not in html


@pytest.mark.parametrize("role", ["provider_staff", "planner", "admin"])
def test_roles_without_case_access_get_403(client, users, role):
    client.force_login(users[role])
    assert client.get(URL).status_code == 403


def test_filter_options_show_a_new_provider_or_sozialraum_at_once(
    client, users, team_nord, team_sued, sozialraum_nord, provider_a, provider_a_in_nord
):
    """Without the figures cache (the tests' default); with it, see the next test."""
    client.force_login(users["caseworker"])
    html = client.get(URL).content.decode()
    assert f'<option value="{provider_a.pk}">{provider_a.name}</option>' in html
    new = ProviderFactory(name="Kinderschutzbund Lindenau")
    RegionProviderFactory(region=team_nord.region, provider=new)
    SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N9", name="Hafen")
    html = client.get(URL).content.decode()
    assert f'<option value="{new.pk}">Kinderschutzbund Lindenau</option>' in html
    assert ">Hafen</option>" in html
    # A value picked from the options filters the list and stays selected.
    html = client.get(URL, {"provider": new.pk}).content.decode()
    assert f'<option value="{new.pk}" selected>' in html
    assert "Bitte" not in html.split('id="div_id_provider"', 1)[1].split("</div>", 1)[0]


def test_the_provider_filter_offers_the_regions_providers_only(
    client, users, team_nord, team_sued, provider_a, provider_b, provider_a_in_nord
):
    """Those who work or worked in the region, directly or in a Trägerverbund: only they can be
    commissioned for its cases. The district's other providers stay out of the select."""
    in_alliance = ProviderFactory(name="Verbundträger Nord")
    ended = ProviderFactory(name="Früher in Nord")
    RegionProviderFactory(
        region=team_nord.region,
        provider=ended,
        valid_from=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 12, 31),
    )
    alliance = ProviderAlliance.objects.create(
        name="Verbund Nord",
        region=team_nord.region,
        lead_provider=provider_a,
        valid_from=datetime.date(2020, 1, 1),
    )
    alliance.members.add(in_alliance)
    RegionProviderFactory(region=team_sued.region, provider=provider_b)
    client.force_login(users["caseworker"])
    html = client.get(URL).content.decode()
    select = html.split('id="div_id_provider"', 1)[1].split("</select>", 1)[0]
    for provider in (provider_a, in_alliance, ended):
        assert f'<option value="{provider.pk}">{provider.name}</option>' in select
    assert provider_b.name not in select


def test_rows_are_escaped_and_carry_their_badges(client, users, sozialraum_nord):
    project = ProjectFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        title='Eltern-Café <script>alert("x")</script> & Co',
    )
    client.force_login(users["caseworker"])
    html = client.get(URL).content.decode()
    row = html.split(f'href="/faelle/{project.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "Eltern-Café &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in row
    assert "<script>" not in html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert sozialraum_nord.name in row


def test_a_choice_outside_the_offered_options_is_named_in_german(
    client, users, nord, sozialraum_sued
):
    """Another region's Sozialraum or a made-up provider is an error on the field, in German,
    and nothing is filtered by it."""
    client.force_login(users["caseworker"])
    response = client.get(URL, {"sozialraum": sozialraum_sued.pk, "provider": "999999x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("ist keine gültige Auswahl") == 4  # two fields, each in the summary too
    assert html.count('aria-invalid="true"') == 2
    assert nord["mueller"].number in html  # the list stays, unfiltered


def test_each_row_links_to_the_case_page_as_the_url_pattern_names_it(
    client, users, sozialraum_nord
):
    """The list writes its rows' links from its own URL (one reverse per page, not per row)."""
    case = ProjectFactory(
        sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"], title="Elterncafé"
    )
    client.force_login(users["caseworker"])
    html = client.get(URL).content.decode()
    assert f'<a href="{reverse("cases:detail", args=[case.pk])}">{case.number}</a>' in html
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


@pytest.fixture
def selects_kept(settings):
    """The case filter's selects kept as in production with Redis (case_filter_form.html)."""
    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_kept_filter_selects_hold_no_search_text_or_token_and_follow_the_choice(
    client, users, nord, provider_a, provider_b, selects_kept
):
    """The selects are kept per region, day and chosen values: a choice still shows as chosen,
    a new provider shows once the kept copy expires, and what a person typed (a name searched
    for) or their form token never comes from the kept copy."""
    client.force_login(users["caseworker"])
    html = client.get(URL).content.decode()
    assert f'<option value="{provider_a.pk}">{provider_a.name}</option>' in html
    chosen = client.get(URL, {"provider": provider_b.pk}).content.decode()
    assert f'<option value="{provider_b.pk}" selected>' in chosen
    assert f'<option value="{provider_a.pk}">' in chosen
    # A new provider of the region: the kept selects do not know it yet ...
    new = ProviderFactory(name="Kinderschutzbund Lindenau")
    RegionProviderFactory(region=nord["mueller"].region, provider=new)
    assert "Kinderschutzbund Lindenau" not in client.get(URL).content.decode()
    cache.clear()  # ... and show it once the kept copy has expired
    assert "Kinderschutzbund Lindenau" in client.get(URL).content.decode()
    # A search: the text typed is in the page, never in what is kept for others.
    searched = client.post(URL, {"q": "Müller"}, follow=True).content.decode()
    assert 'value="Müller"' in searched
    other = Client()
    other.force_login(users["team_lead"])
    html = other.get(URL).content.decode()
    assert "Müller" not in html.split("<table", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', searched)
    assert token is not None and token.group(1) not in html
