"""Who may change partners and offers: office roles everything, provider staff own offers."""

import pytest
from django.urls import reverse

from network.models import Offer, Partner, TargetGroup
from tests.factories import StreetSegmentFactory
from tests.network.factories import OfferFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(users, town):
    own = users["provider_staff"].provider
    other = users["provider_staff_b"].provider
    return {
        "own": OfferFactory(title="Eigenes", partner=None, provider=own, sozialraum=town["N1"]),
        "foreign": OfferFactory(
            title="Fremdes", partner=None, provider=other, sozialraum=town["N1"]
        ),
        "partner": OfferFactory(
            title="Partnerangebot", partner=PartnerFactory(sozialraum=town["N1"])
        ),
    }


def offer_data(**extra):
    return {
        "title": "Neues Angebot",
        "target_group": TargetGroup.CHILDREN,
        "languages": "Deutsch",
        "is_free": "on",
        **extra,
    }


def test_provider_staff_manage_only_their_own_providers_offers(client, users, offers, town):
    client.force_login(users["provider_staff"])
    own, foreign, partner = offers["own"], offers["foreign"], offers["partner"]
    assert client.get(reverse("network:offer_update", args=[own.pk])).status_code == 200
    for offer in (foreign, partner):
        assert client.get(reverse("network:offer_update", args=[offer.pk])).status_code == 404
        assert client.post(reverse("network:offer_remove", args=[offer.pk])).status_code == 404
        assert client.get(reverse("network:offer_detail", args=[offer.pk])).status_code == 200
    response = client.post(
        reverse("network:offer_update", args=[own.pk]),
        offer_data(title="Eigenes, neu", sozialraum=town["N2"].pk),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Eigenes, neu" and own.provider == users["provider_staff"].provider
    # A new offer is always their own provider's, whatever the form is sent.
    response = client.post(
        reverse("network:offer_create"),
        offer_data(sozialraum=town["N1"].pk, provider=users["provider_staff_b"].provider.pk),
    )
    assert response.status_code == 302
    assert Offer.objects.get(title="Neues Angebot").provider == users["provider_staff"].provider
    assert client.post(reverse("network:offer_remove", args=[own.pk])).status_code == 302
    assert not Offer.objects.filter(pk=own.pk).exists()


def test_provider_staff_read_partners_but_do_not_change_them(client, users, offers):
    client.force_login(users["provider_staff"])
    partner = offers["partner"].partner
    assert client.get(reverse("network:partner_detail", args=[partner.pk])).status_code == 200
    assert client.get(reverse("network:partner_update", args=[partner.pk])).status_code == 403
    assert client.get(reverse("network:partner_create")).status_code == 403


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "planner", "admin"])
def test_office_roles_change_every_offer(client, users, offers, role):
    client.force_login(users[role])
    for offer in offers.values():
        assert client.get(reverse("network:offer_update", args=[offer.pk])).status_code == 200


def test_offer_needs_exactly_one_owner_and_a_sane_age_range(client, users, town):
    partner = PartnerFactory(sozialraum=town["N1"])
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("network:offer_create"),
        offer_data(
            partner=partner.pk,
            provider=users["provider_staff"].provider.pk,
            age_min="12",
            age_max="6",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "genau einen" in html
    assert "„Alter bis“ liegt unter „Alter von“." in html
    assert 'value="Neues Angebot"' in html
    assert not Offer.objects.exists()


def test_partner_sozialraum_from_address_or_by_hand(client, users, town):
    StreetSegmentFactory(street="Heideweg", postcode="24850", sozialraum=town["N1"])
    client.force_login(users["planner"])
    data = {
        "name": "Kita Heide",
        "partner_type": "kita",
        "street": "Heideweg",
        "house_number": "4",
        "postcode": "24850",
        "is_active": "on",
    }
    assert client.post(reverse("network:partner_create"), data).status_code == 302
    assert Partner.objects.get(name="Kita Heide").sozialraum == town["N1"]
    unknown = {**data, "name": "Schule X", "street": "Gibtsnichtweg"}
    response = client.post(reverse("network:partner_create"), unknown)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "steht nicht im Straßenverzeichnis" in html
        and "Bitte wählen Sie den Sozialraum selbst" in html
    )
    assert 'value="Gibtsnichtweg"' in html
    response = client.post(
        reverse("network:partner_create"), {**unknown, "sozialraum_choice": town["S1"].pk}
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Schule X")
    assert partner.sozialraum == town["S1"] and partner.sozialraum_overridden
    duplicate = client.post(reverse("network:partner_create"), {**data, "name": "kita heide"})
    assert duplicate.status_code == 200
    assert "gibt es schon" in duplicate.content.decode()


def test_every_network_page_answers_anonymous_with_login(client, db, offers):
    for name, args in [
        ("network:offer_search", []),
        ("network:partner_list", []),
        ("network:conference_list", []),
        ("network:offer_detail", [offers["own"].pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/anmelden/" in response.url


def test_new_offer_link_of_a_partner_page_preselects_the_partner(client, users, town):
    partner = PartnerFactory(sozialraum=town["N1"], name="Kita Heide")
    client.force_login(users["caseworker"])
    url = reverse("network:offer_create")
    html = client.get(f"{url}?partner={partner.pk}").content.decode()
    assert f'<option value="{partner.pk}" selected>Kita Heide</option>' in html
    # An unknown or absurd id preselects nothing and is no error.
    for value in ("999999", "99999999999999999999999", "x"):
        response = client.get(f"{url}?partner={value}")
        assert response.status_code == 200
        assert f'<option value="{partner.pk}">Kita Heide</option>' in response.content.decode()
