"""The resource search: every filter, age overlap, neighbours, German full-text search."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from network.models import Offer, TargetGroup
from network.selectors import (
    _prefix_query,
    offer_search_vector,
    offers_search,
    sozialraum_neighbours,
)
from tests.factories import ProviderFactory
from tests.network.factories import OfferFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def titles(offers):
    return sorted(offer.title for offer in offers)


def test_neighbours_come_from_shared_boundary_edges(town):
    assert [s.code for s in sozialraum_neighbours(town["N1"])] == ["N2", "S1"]
    assert [s.code for s in sozialraum_neighbours(town["S2"])] == ["N2", "S1"]


def test_sozialraum_filter_and_neighbours(town):
    for code in ("N1", "N2", "S2"):
        OfferFactory(title=f"Treff {code}", partner=PartnerFactory(sozialraum=town[code]))
    # A provider's offer takes place where it says, not where a partner sits.
    OfferFactory(
        title="Träger-Gruppe N1", partner=None, provider=ProviderFactory(), sozialraum=town["N1"]
    )
    assert titles(offers_search(sozialraum=town["N1"])) == ["Treff N1", "Träger-Gruppe N1"]
    assert titles(offers_search(sozialraum=town["N1"], include_neighbours=True)) == [
        "Treff N1",
        "Treff N2",
        "Träger-Gruppe N1",
    ]


def test_offer_held_elsewhere_counts_where_it_takes_place(town):
    partner = PartnerFactory(sozialraum=town["N1"])
    OfferFactory(title="Ausflug", partner=partner, sozialraum=town["S2"])
    assert titles(offers_search(sozialraum=town["S2"])) == ["Ausflug"]
    assert titles(offers_search(sozialraum=town["N1"])) == []


@pytest.mark.parametrize(
    ("age_from", "age_to", "expected"),
    [
        (3, 5, ["alle", "bis 6"]),
        (11, 12, ["10 bis 14", "ab 10", "alle"]),
        (14, 14, ["10 bis 14", "ab 10", "alle"]),  # touching the edge is an overlap
        (15, None, ["ab 10", "alle"]),
        (None, 6, ["alle", "bis 6"]),
    ],
)
def test_age_range_overlaps_the_offers_range(db, age_from, age_to, expected):
    OfferFactory(title="bis 6", age_min=None, age_max=6)
    OfferFactory(title="10 bis 14", age_min=10, age_max=14)
    OfferFactory(title="ab 10", age_min=10, age_max=None)
    OfferFactory(title="alle", age_min=None, age_max=None)
    assert titles(offers_search(age_from=age_from, age_to=age_to)) == expected


def test_ages_of_several_children_match_any_of_them(db):
    OfferFactory(title="Krippe", age_min=0, age_max=3)
    OfferFactory(title="Jugend", age_min=12, age_max=17)
    OfferFactory(title="Grundschule", age_min=6, age_max=10)
    assert titles(offers_search(ages=[2, 13])) == ["Jugend", "Krippe"]


def test_target_group_language_and_free_filters(db):
    OfferFactory(
        title="Elternkurs", target_group=TargetGroup.PARENTS, languages="Deutsch, Türkisch"
    )
    OfferFactory(
        title="Schwimmen", target_group=TargetGroup.CHILDREN, is_free=False, fee_note="5 €"
    )
    OfferFactory(title="Lesen", target_group=TargetGroup.CHILDREN, languages="Arabisch")
    assert titles(offers_search(target_group=TargetGroup.CHILDREN)) == ["Lesen", "Schwimmen"]
    assert titles(offers_search(language="türkisch")) == ["Elternkurs"]
    assert titles(offers_search(free_only=True)) == ["Elternkurs", "Lesen"]


def test_only_valid_offers_of_active_partners_and_providers(db):
    today = datetime.date(2026, 6, 1)
    OfferFactory(title="läuft")
    OfferFactory(title="vorbei", valid_until=datetime.date(2026, 5, 31))
    OfferFactory(title="später", valid_from=datetime.date(2026, 6, 2))
    OfferFactory(title="Partner inaktiv", partner=PartnerFactory(is_active=False))
    OfferFactory(
        title="Träger inaktiv",
        partner=None,
        provider=ProviderFactory(is_active=False),
        sozialraum=PartnerFactory().sozialraum,
    )
    assert titles(offers_search(on=today)) == ["läuft"]


def test_text_search_in_title_and_description(db):
    OfferFactory(title="Hausaufgabenhilfe", description="Mo–Do nachmittags")
    OfferFactory(title="Offener Treff", description="mit Hausaufgaben-Ecke und Kicker")
    OfferFactory(title="Fußball", description="Training")
    assert titles(offers_search(text="Hausaufgaben")) == ["Hausaufgabenhilfe", "Offener Treff"]
    assert titles(offers_search(text="Kicker")) == ["Offener Treff"]
    # Characters that mean something in a tsquery are only words to us.
    assert titles(offers_search(text="Kicker & ! :* (")) == ["Offener Treff"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="German full-text search needs PostgreSQL"
)
def test_german_full_text_search_with_prefix_and_stemming(db):
    OfferFactory(title="Elterncafé", description="Austausch bei Kaffee")
    OfferFactory(title="Vorlesestunde", description="Bilderbücher für Kinder")
    OfferFactory(title="Sport", description="Wir spielen Fußball")
    assert titles(offers_search(text="Eltern")) == ["Elterncafé"]
    assert titles(offers_search(text="Kind")) == ["Vorlesestunde"]  # "Kindern" stems to "kind"
    assert titles(offers_search(text="Spiele")) == ["Sport"]  # both stem to "spiel"
    assert titles(offers_search(text="Bilderbuch")) == ["Vorlesestunde"]  # "Bilderbücher"


def test_search_page_filters_and_keeps_input(client, users, town):
    OfferFactory(title="Treff Heide", partner=PartnerFactory(sozialraum=town["N1"]), age_min=12)
    OfferFactory(title="Treff Süd", partner=PartnerFactory(sozialraum=town["S2"]), age_min=12)
    client.force_login(users["provider_staff"])
    response = client.get(
        reverse("network:offer_search"), {"sozialraum": town["N1"].pk, "age_from": "13"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Treff Heide" in html and "Treff Süd" not in html
    bad = client.get(reverse("network:offer_search"), {"age_from": "10", "age_to": "3"})
    html = bad.content.decode()
    assert bad.status_code == 200
    assert "„Alter bis“ liegt unter „Alter von“." in html
    assert 'value="10"' in html
    garbage = client.get(reverse("network:offer_search"), {"age_from": "zehn", "sozialraum": "x"})
    assert garbage.status_code == 200
    assert "Ganze Zahl" in garbage.content.decode() or "ganze Zahl" in garbage.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL")
def test_full_text_search_can_use_the_gin_index(db):
    OfferFactory(title="Elterncafé")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # The index's expression must be exactly what the selector compiles to.
        query = _prefix_query("Eltern")
        plan = Offer.objects.annotate(v=offer_search_vector()).filter(v=query).explain()
    assert "network_offer_fulltext_german" in plan
