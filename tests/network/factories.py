"""Factories for the network; each builds a valid object with the least data."""

import datetime

import factory

from network.models import Conference, ConferenceAgreement, Offer, Partner, PartnerType, TargetGroup
from tests.factories import SozialraumFactory, UserFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    partner_type = PartnerType.KITA
    sozialraum = factory.SubFactory(SozialraumFactory)
    sozialraum_overridden = True
    is_active = True


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    partner = factory.SubFactory(PartnerFactory)
    provider = None
    title = factory.Sequence(lambda n: f"Angebot {n}")
    description = ""
    target_group = TargetGroup.CHILDREN
    languages = "Deutsch"
    is_free = True


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    date = datetime.date(2026, 3, 1)
    sozialraum = factory.SubFactory(SozialraumFactory)
    region = None


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferenceAgreement

    conference = factory.SubFactory(ConferenceFactory)
    text = factory.Sequence(lambda n: f"Vereinbarung {n}")
    owner = factory.SubFactory(UserFactory, role="planner")
    due_on = datetime.date(2026, 4, 1)
