"""Model rules of the ground floor: database constraints, clean(), figures and money."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sozialraum.models import Population, RegionProvider, Sozialraum, StreetSegment, User
from sozialraum.money import money_format, money_round
from tests.factories import (
    PopulationFactory,
    ProviderFactory,
    RegionFactory,
    RegionProviderFactory,
    SozialraumFactory,
    StreetSegmentFactory,
    UserFactory,
)

JAN_2020 = datetime.date(2020, 1, 1)


# --- users: membership must match the role -----------------------------------------------


@pytest.mark.parametrize(
    ("role", "with_team", "with_provider"),
    [
        ("caseworker", False, False),
        ("team_lead", False, False),
        ("caseworker", True, True),
        ("provider_staff", False, False),
        ("provider_staff", True, True),
        ("planner", True, False),
        ("admin", False, True),
        ("", True, False),
    ],
)
def test_membership_not_matching_role_is_refused_by_the_database(
    team_nord, provider_a, role, with_team, with_provider
):
    with pytest.raises(IntegrityError, match="user_membership_matches_role"), transaction.atomic():
        UserFactory(
            role=role,
            asd_team=team_nord if with_team else None,
            provider=provider_a if with_provider else None,
        )

    assert User.objects.count() == 0


def test_membership_matching_role_is_stored(team_nord, provider_a):
    UserFactory(role="caseworker", asd_team=team_nord)
    UserFactory(role="team_lead", asd_team=team_nord)
    UserFactory(role="provider_staff", provider=provider_a)
    UserFactory(role="planner")
    UserFactory(role="admin")
    UserFactory(role="")

    assert User.objects.count() == 6


def test_caseworker_without_team_fails_full_clean_with_german_message(db):
    user = User(username="ohne-team", role="caseworker")

    with pytest.raises(ValidationError) as invalid:
        user.full_clean(exclude=["password"])

    assert "ASD-Fachkräfte brauchen ein ASD-Team" in " ".join(invalid.value.messages)


# --- providers: at most two Schwerpunktträger at the same time ---------------------------


@pytest.fixture
def region(db):
    return RegionFactory(code="N", name="Nord")


def lead(region, *, valid_from=JAN_2020, valid_until=None, **kwargs):
    return RegionProviderFactory(
        region=region, is_lead=True, valid_from=valid_from, valid_until=valid_until, **kwargs
    )


def new_lead(region, *, valid_from=JAN_2020, valid_until=None):
    return RegionProvider(
        region=region,
        provider=ProviderFactory(),
        is_lead=True,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def test_third_overlapping_lead_provider_is_refused(region):
    lead(region)
    lead(region)

    third = new_lead(region, valid_from=datetime.date(2024, 1, 1))

    with pytest.raises(ValidationError) as invalid:
        third.clean()
    assert invalid.value.message_dict == {
        "is_lead": ["Eine Region hat höchstens zwei Schwerpunktträger zur selben Zeit."]
    }


def test_third_lead_provider_is_allowed_after_the_others_ended(region):
    lead(region, valid_until=datetime.date(2023, 12, 31))
    lead(region, valid_until=datetime.date(2023, 12, 31))

    new_lead(region, valid_from=datetime.date(2024, 1, 1)).clean()


def test_third_lead_provider_is_refused_when_it_overlaps_by_a_single_day(region):
    lead(region, valid_until=datetime.date(2023, 12, 31))
    lead(region, valid_until=datetime.date(2023, 12, 31))

    with pytest.raises(ValidationError):
        new_lead(region, valid_from=datetime.date(2023, 12, 31)).clean()


def test_third_provider_that_is_not_lead_is_allowed(region):
    lead(region)
    lead(region)

    RegionProvider(
        region=region, provider=ProviderFactory(), is_lead=False, valid_from=JAN_2020
    ).clean()


def test_leads_of_another_region_do_not_count(region):
    other = RegionFactory(code="S", name="Süd")
    lead(other)
    lead(other)
    lead(region)

    new_lead(region).clean()


def test_existing_lead_can_be_edited_while_the_region_has_two(region):
    first = lead(region)
    lead(region)

    first.valid_until = datetime.date(2030, 12, 31)
    first.clean()


def test_lead_overlapping_two_successive_leads_is_allowed(region):
    lead(region, valid_until=datetime.date(2022, 12, 31))
    lead(region, valid_from=datetime.date(2023, 1, 1))

    new_lead(region).clean()


# --- Sozialraum: team of its region, one code per period ---------------------------------


def test_sozialraum_with_asd_team_of_another_region_fails_clean(team_nord, team_sued):
    sozialraum = SozialraumFactory.build(region=team_nord.region, asd_team=team_sued, code="N5")

    with pytest.raises(ValidationError) as invalid:
        sozialraum.clean()

    assert invalid.value.message_dict == {
        "asd_team": ["Das ASD-Team gehört zu einer anderen Region."]
    }


def test_sozialraum_with_asd_team_of_its_region_passes_clean(team_nord):
    SozialraumFactory.build(region=team_nord.region, asd_team=team_nord, code="N5").clean()


def test_same_code_with_overlapping_validity_fails_clean(team_nord):
    SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N1")
    redrawn = SozialraumFactory.build(
        region=team_nord.region,
        asd_team=team_nord,
        code="N1",
        valid_from=datetime.date(2025, 1, 1),
    )

    with pytest.raises(ValidationError) as invalid:
        redrawn.clean()

    assert invalid.value.message_dict == {
        "valid_from": ["Für dieses Kürzel gibt es im Zeitraum schon einen Sozialraum."]
    }


def test_same_code_after_the_previous_ended_passes_clean(team_nord):
    SozialraumFactory(
        region=team_nord.region,
        asd_team=team_nord,
        code="N1",
        valid_until=datetime.date(2024, 12, 31),
    )
    redrawn = SozialraumFactory.build(
        region=team_nord.region,
        asd_team=team_nord,
        code="N1",
        valid_from=datetime.date(2025, 1, 1),
    )

    redrawn.clean()


def test_stored_sozialraum_does_not_conflict_with_itself(team_nord):
    sozialraum = SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N1")

    sozialraum.clean()


# --- validity order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "constraint"),
    [
        (SozialraumFactory, "sozialraum_validity_order"),
        (StreetSegmentFactory, "streetsegment_validity_order"),
        (RegionProviderFactory, "regionprovider_validity_order"),
    ],
)
def test_valid_until_before_valid_from_is_refused_by_the_database(db, factory, constraint):
    model = factory._meta.model
    before = model.objects.count()

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        factory(valid_from=datetime.date(2025, 1, 2), valid_until=datetime.date(2025, 1, 1))

    assert model.objects.count() == before


def test_validity_of_a_single_day_is_allowed(db):
    day = datetime.date(2025, 1, 1)

    SozialraumFactory(valid_from=day, valid_until=day)

    assert Sozialraum.objects.filter(valid_from=day, valid_until=day).count() == 1


def test_valid_until_before_valid_from_fails_clean_with_german_message(db):
    sozialraum = SozialraumFactory.build(
        valid_from=datetime.date(2025, 1, 2), valid_until=datetime.date(2025, 1, 1)
    )

    with pytest.raises(ValidationError) as invalid:
        sozialraum.clean()

    assert invalid.value.message_dict == {
        "valid_until": ["Das Ende liegt vor dem Beginn der Gültigkeit."]
    }


def test_house_number_to_before_from_is_refused_by_the_database(db):
    with (
        pytest.raises(IntegrityError, match="streetsegment_number_order"),
        transaction.atomic(),
    ):
        StreetSegmentFactory(number_from=20, number_to=10)

    assert StreetSegment.objects.count() == 0


# --- population figures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "minors", "expected"),
    [
        (3, 2000, Decimal("1.5")),
        (1, 3, Decimal("333.3")),
        (2, 3, Decimal("666.7")),
        (1, 4000, Decimal("0.3")),  # 0.25 rounds half up, not to even
        (1, 20000, Decimal("0.1")),  # 0.05 rounds half up
        (0, 2000, Decimal("0.0")),
        (2000, 2000, Decimal("1000.0")),
    ],
)
def test_per_1000_minors_is_a_decimal_with_one_place_rounded_half_up(count, minors, expected):
    population = Population(minors=minors, young_adults=0, year=2026)

    figure = population.per_1000_minors(count)

    assert isinstance(figure, Decimal)
    assert figure == expected
    assert str(figure) == str(expected), "exactly one decimal place"


def test_per_1000_minors_is_none_without_minors(db):
    population = PopulationFactory(minors=0)

    assert population.per_1000_minors(5) is None


# --- money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), "1.234,56\u00a0€"),
        (Decimal("1234.5"), "1.234,50\u00a0€"),
        (Decimal("1234567.8"), "1.234.567,80\u00a0€"),
        (Decimal("999.99"), "999,99\u00a0€"),
        (Decimal("0"), "0,00\u00a0€"),
        (5, "5,00\u00a0€"),
        ("1000", "1.000,00\u00a0€"),
        (Decimal("-1234.56"), "−1.234,56\u00a0€"),
        (Decimal("-0.5"), "−0,50\u00a0€"),
    ],
)
def test_money_format_is_german_with_non_breaking_space_before_euro(value, expected):
    assert money_format(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.675"), "2,68\u00a0€"),  # a float would give 2,67
        (Decimal("0.005"), "0,01\u00a0€"),
        (Decimal("0.004"), "0,00\u00a0€"),
        (Decimal("999.995"), "1.000,00\u00a0€"),
        (Decimal("-0.005"), "−0,01\u00a0€"),
        (Decimal("-0.004"), "0,00\u00a0€"),  # no minus sign on a rounded zero
    ],
)
def test_money_format_rounds_half_up(value, expected):
    assert money_format(value) == expected


@pytest.mark.parametrize("value", [None, "", "kein Betrag"])
def test_money_format_of_no_amount_is_empty(value):
    assert money_format(value) == ""


def test_money_round_refuses_float():
    with pytest.raises(TypeError, match="never float"):
        money_round(0.1)


def test_money_format_refuses_float():
    with pytest.raises(TypeError):
        money_format(1234.56)
