"""Plausibility in the network (issue 24): an agreement due before its conference and a PLZ
that is not five digits are refused through the service and through the page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from network.models import ConferenceAgreement, Partner
from network.services import agreement_add, partner_save
from tests.factories import StreetSegmentFactory
from tests.network.factories import ConferenceFactory

pytestmark = pytest.mark.django_db

DUE_TOO_EARLY = (
    "Die Fälligkeit (01.01.2020) liegt vor der Konferenz, die sie vereinbart hat (10.12.2026)."
)
POSTCODE = "Die PLZ besteht aus genau fünf Ziffern, z. B. 25421."


def test_agreement_due_before_its_conference_is_refused_by_the_service(users, town):
    conference = ConferenceFactory(date=datetime.date(2026, 12, 10))
    with pytest.raises(ValidationError) as refused:
        agreement_add(
            conference=conference,
            text="Raum klären",
            owner=users["caseworker"],
            due_on=datetime.date(2020, 1, 1),
        )
    assert refused.value.message_dict["due_on"] == [DUE_TOO_EARLY]
    assert not ConferenceAgreement.objects.exists()


def test_agreement_due_on_the_conference_day_is_accepted(users, town):
    conference = ConferenceFactory(date=datetime.date(2026, 12, 10))
    agreement = agreement_add(
        conference=conference,
        text="Raum klären",
        owner=users["caseworker"],
        due_on=datetime.date(2026, 12, 10),
    )
    assert agreement.pk


def test_agreement_page_shows_the_refusal_and_keeps_the_input(client, users, town):
    conference = ConferenceFactory(date=datetime.date(2026, 12, 10), sozialraum=town["N1"])
    client.force_login(users["team_lead"])
    response = client.post(
        reverse("network:agreement_create", args=[conference.pk]),
        {"text": "Einladung verschicken", "owner": users["caseworker"].pk, "due_on": "2020-01-01"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert DUE_TOO_EARLY in html
    assert "Einladung verschicken" in html
    assert not ConferenceAgreement.objects.exists()


def test_partner_postcode_of_letters_is_refused_by_the_service(town):
    with pytest.raises(ValidationError) as refused:
        partner_save(
            data={
                "name": "Kita Heide",
                "partner_type": "kita",
                "street": "Heideweg",
                "house_number": "4",
                "postcode": "abc",
            },
            sozialraum=town["N1"],
        )
    assert refused.value.message_dict["postcode"] == [POSTCODE]
    assert not Partner.objects.exists()


def test_partner_page_refuses_the_postcode_once_and_keeps_the_input(client, users, town):
    StreetSegmentFactory(street="Heideweg", postcode="24850", sozialraum=town["N1"])
    client.force_login(users["planner"])
    data = {
        "name": "Kita Heide",
        "partner_type": "kita",
        "street": "Heideweg",
        "house_number": "4",
        "postcode": "abc",
        "is_active": "on",
    }
    response = client.post(reverse("network:partner_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert POSTCODE in html
    assert "Die Postleitzahl hat fünf Ziffern." not in html  # not again as an address error
    assert 'value="abc"' in html
    assert not Partner.objects.exists()
    response = client.post(reverse("network:partner_create"), {**data, "postcode": "24850"})
    assert response.status_code == 302


def test_partner_import_refuses_a_postcode_of_letters_on_its_line(town):
    from network.services import ImportInvalid, partners_import

    StreetSegmentFactory(street="Heideweg", postcode="24850", sozialraum=town["N1"])
    data = (
        b"name;art;strasse;hausnummer;plz;ort;sozialraum;aktiv;laengengrad;breitengrad\n"
        b"Kita Heide;Kita;Heideweg;12;24850;Lindenau;;ja;;\n"
        b"Kita Wald;Kita;Heideweg;14;abc;Lindenau;;ja;;\n"
    )
    with pytest.raises(ImportInvalid) as raised:
        partners_import(data=data)
    assert [(e.line, e.reason) for e in raised.value.errors] == [(3, POSTCODE)]
    assert not Partner.objects.exists()
