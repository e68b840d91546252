"""Factories for the ground floor; each builds a valid object with the least data."""

import datetime

import factory
from django.db import connection, models

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


def ids_from(model: type[models.Model], first: int) -> None:
    """The next rows of `model` get ids from `first` on (never lower than they would anyway).

    A test database starts its ids at 1, an office's database has long passed 999; ids of four
    digits are what pages, links and parameters must handle. On PostgreSQL the sequence keeps its
    new value after the test's rollback, which is harmless: ids only ever grow.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(seq, GREATEST(%s, COALESCE(pg_sequence_last_value(seq), 0))) "
                "FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) AS s",
                [first - 1, table],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "DELETE FROM sqlite_sequence WHERE name = %s AND seq < %s", [table, first - 1]
            )
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [table, first - 1, table],
            )
        else:
            raise NotImplementedError(connection.vendor)
