"""Each person carries the region of its case (`Person.region`), for the name search's index:
set at intake, searched within the user's region, widened for a deputy of another region, and
checked by `manage.py reconcile_cases`; so does each help (`Help.region`), for the help type
filter (moving with the case: tests/documents/test_handover.py)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Help, Person
from sozialraum.services import deputy_set
from tests.cases.conftest import intake
from tests.cases.factories import HelpFactory

pytestmark = pytest.mark.django_db
URL = reverse("cases:list")


def _found(client, query: str) -> str:
    return client.post(URL, {"q": query}, follow=True).content.decode()


def _cover(users, deputy, today) -> None:
    """The deputy covers Nord's caseworker (who steers `case_nord`) for a week from today."""
    deputy_set(
        user=users["team_lead"],
        absent=users["caseworker"],
        deputy=deputy,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=6),
    )


def test_the_people_of_an_intake_carry_its_region(users, case_nord, sozialraum_nord):
    regions = set(Person.objects.filter(case=case_nord).values_list("region_id", flat=True))
    assert regions == {sozialraum_nord.region_id}


def test_the_name_search_finds_the_regions_people_only(client, users, case_nord, sozialraum_sued):
    other = intake(user=users["caseworker_sued"], sozialraum=sozialraum_sued)
    client.force_login(users["caseworker"])
    found = _found(client, "Mia Beispielkind")
    assert f">{case_nord.number}<" in found and f">{other.number}<" not in found
    client.force_login(users["caseworker_sued"])
    found = _found(client, "Beispielkind")
    assert f">{other.number}<" in found and f">{case_nord.number}<" not in found


def test_a_deputy_of_another_region_finds_the_covered_case_by_name(client, users, case_nord, today):
    deputy = users["caseworker_sued"]
    client.force_login(deputy)
    assert f">{case_nord.number}<" not in _found(client, "Beispielkind")
    _cover(users, deputy, today)
    assert f">{case_nord.number}<" in _found(client, "Beispielkind")


def test_reconcile_finds_a_person_outside_the_region_of_its_case(users, case_nord, sozialraum_sued):
    person = Person.objects.filter(case=case_nord).first()
    Person.objects.filter(pk=person.pk).update(region_id=sozialraum_sued.region_id)
    out = StringIO()
    with pytest.raises(CommandError, match="1 Abweichung"):
        call_command("reconcile_cases", stdout=out)
    assert f"Person Nr. {person.pk} in Fall {case_nord.number}" in out.getvalue()


def test_a_help_carries_its_cases_region_and_the_filter_reads_it(
    client, users, case_nord, sozialraum_sued, spfh, today
):
    help_ = HelpFactory(case=case_nord, help_type=spfh)
    assert help_.region_id == case_nord.region_id
    client.force_login(users["caseworker"])
    listed = client.get(URL, {"help_type": spfh.pk}).content.decode()
    assert f">{case_nord.number}<" in listed
    # A deputy of another region finds the covered case by its help type too.
    deputy = users["caseworker_sued"]
    client.force_login(deputy)
    assert f">{case_nord.number}<" not in client.get(URL, {"help_type": spfh.pk}).content.decode()
    _cover(users, deputy, today)
    assert f">{case_nord.number}<" in client.get(URL, {"help_type": spfh.pk}).content.decode()


def test_reconcile_finds_a_help_outside_the_region_of_its_case(
    users, case_nord, sozialraum_sued, spfh
):
    help_ = HelpFactory(case=case_nord, help_type=spfh)
    Help.objects.filter(pk=help_.pk).update(region_id=sozialraum_sued.region_id)
    out = StringIO()
    with pytest.raises(CommandError, match="1 Abweichung"):
        call_command("reconcile_cases", stdout=out)
    assert f"Hilfe Nr. {help_.pk} in Fall {case_nord.number}" in out.getvalue()
