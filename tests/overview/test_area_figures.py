"""The Sozialraum and region pages' figures: computed from the data, and kept a short while.

With `FIGURES_CACHE_SECONDS` 0 (the tests' default) each write shows on the next page. With the
cache on (a minute in production), a second reader gets the same figures without their queries,
and each area, day and map shading is kept apart. Under CI the cache is Redis, shared as in
production; without Redis it is the process's own memory cache.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseStatus, HelpType
from cases.services import case_transition
from network.models import PartnerType
from network.services import offers_import
from tests.cases.conftest import decide, intake
from tests.network.factories import AgreementFactory, PartnerFactory
from tests.overview.test_sozialraum_page import figure

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def page(client, town, code="N1", **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("overview:sozialraum_detail", args=[town[code].pk]), params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def without_csrf(html: str) -> str:
    """The page without what differs on every request: the form token and the session's clock."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'data-idle-left-seconds="\d+"', "", html)


def test_a_second_reader_gets_the_figures_from_the_cache(client, users, town, cache_on):
    PartnerFactory(sozialraum=town["N1"], partner_type=PartnerType.KITA, name="Kita Sonnenschein")
    client.force_login(users["caseworker"])
    first, computed = page(client, town)
    second, cached = page(client, town)
    assert without_csrf(second) == without_csrf(first)
    assert cached <= computed - 6  # the figures, partners and map are not queried again
    client.force_login(users["provider_staff"])
    other, _ = page(client, town)
    assert figure(other, "partners") == figure(first, "partners") == "1"
    assert "Kita Sonnenschein" in other


def test_each_write_the_figures_count_shows_at_once(client, users, town):
    worker = users["caseworker"]
    client.force_login(worker)
    html, _ = page(client, town)
    assert (figure(html, "partners"), figure(html, "offers")) == ("0", "0")
    assert figure(html, "helps_running") == "0"

    partner = PartnerFactory(sozialraum=town["N1"], name="Familienzentrum Mitte")
    html, _ = page(client, town)
    assert figure(html, "partners") == "1" and "Familienzentrum Mitte" in html

    # An import writes offers in bulk.
    offers_import(
        data=(
            "titel;partner;traeger;sozialraum;zielgruppe;alter_von;alter_bis;kostenfrei;gueltig_ab\n"
            "Elterncafé;Familienzentrum Mitte;;;Eltern;;;ja;\n"
        ).encode()
    )
    html, _ = page(client, town)
    assert figure(html, "offers") == "1"

    case = intake(user=worker, sozialraum=town["N1"])
    case = case_transition(user=worker, case=case, to_status=CaseStatus.CLARIFICATION)
    decide(user=worker, case=case, help_type=HelpType.objects.get(code="31"))
    html, _ = page(client, town)
    assert figure(html, "helps_running") == "1"

    partner.is_active = False
    partner.save()
    html, _ = page(client, town)
    assert figure(html, "partners") == "0" and "Familienzentrum Mitte" not in html


def test_each_map_shading_and_each_sozialraum_is_kept_apart(client, users, town, cache_on):
    PartnerFactory(sozialraum=town["N1"])
    client.force_login(users["planner"])
    plain, _ = page(client, town)
    shaded, _ = page(client, town, einfaerben="partner")
    other, _ = page(client, town, code="S1")
    assert shaded != plain
    assert '<option value="partner" selected>' in shaded
    assert '<option value="partner" selected>' not in plain
    assert figure(plain, "partners") == "1" and figure(other, "partners") == "0"
    assert "Sozialraum Quartier S1" in other


def test_open_agreements_are_read_live_beside_cached_figures(client, users, town, cache_on):
    client.force_login(users["caseworker"])
    page(client, town)  # figures now cached
    AgreementFactory(conference__sozialraum=town["N1"], text="Flyer für das Elterncafé drucken")
    html, _ = page(client, town)
    assert "Flyer für das Elterncafé drucken" in html


def test_region_page_follows_writes_too(client, users, town):
    client.force_login(users["planner"])
    url = reverse("overview:region_detail", args=[town["N1"].region_id])
    client.get(url)
    PartnerFactory(sozialraum=town["N2"], name="Sportverein Nord")
    html = client.get(url).content.decode()
    assert '<td class="figure-number">1</td>' in html.split("Quartier N2", 1)[1].split("</tr>")[0]
