"""Factories for the ground floor; each builds a valid object with the least data."""

import datetime

import factory

from sozialraum.models import (
    AsdTeam,
    Parity,
    Population,
    Provider,
    Region,
    RegionProvider,
    Sozialraum,
    StreetSegment,
    User,
)

PASSWORD = "ein-sicheres-testpasswort"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class AsdTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AsdTeam

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"ASD-Team {n}")


class SozialraumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sozialraum

    region = factory.SubFactory(RegionFactory)
    asd_team = factory.SubFactory(AsdTeamFactory, region=factory.SelfAttribute("..region"))
    code = factory.Sequence(lambda n: f"SR{n}")
    name = factory.Sequence(lambda n: f"Sozialraum {n}")
    valid_from = datetime.date(2020, 1, 1)
    valid_until = None


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    sozialraum = factory.SubFactory(SozialraumFactory)
    year = 2026
    minors = 2000
    young_adults = 400


class StreetSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetSegment

    street = factory.Sequence(lambda n: f"Teststraße {n}")
    postcode = "24850"
    number_from = None
    number_to = None
    parity = Parity.ALL
    sozialraum = factory.SubFactory(SozialraumFactory)
    valid_from = factory.SelfAttribute("sozialraum.valid_from")
    valid_until = None


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    short_name = factory.Sequence(lambda n: f"Träger {n}")
    name = factory.LazyAttribute(lambda o: f"{o.short_name} e.V.")
    city = "Lindenau"


class RegionProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionProvider

    region = factory.SubFactory(RegionFactory)
    provider = factory.SubFactory(ProviderFactory)
    is_lead = False
    valid_from = datetime.date(2020, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    role = ""
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


def sozialraum_redrawn(
    team: AsdTeam, code: str, redrawn_on: datetime.date, name: str = "Nordstadt"
) -> tuple[Sozialraum, Sozialraum]:
    """A Sozialraum valid from 2020 and redrawn (same code) on a day: (old, new)."""
    old = SozialraumFactory(
        region=team.region,
        asd_team=team,
        code=code,
        name=f"{name} (alt)",
        valid_from=datetime.date(2020, 1, 1),
        valid_until=redrawn_on - datetime.timedelta(days=1),
    )
    new = SozialraumFactory(
        region=team.region, asd_team=team, code=code, name=name, valid_from=redrawn_on
    )
    new.predecessors.add(old)
    return old, new
