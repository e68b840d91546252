"""The case list's search by name or title: it looks up the words of each person's normalised
name and each project's title (`SearchWord`), which every service that writes a person or a
title keeps, within the user's region,
widened for a deputy of another region, and checked by `manage.py reconcile_cases`. Each help
carries its case's region too (`Help.region`), for the help type filter (moving with the case:
tests/documents/test_handover.py)."""

import datetime
import re
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseKind, Help, PersonRole, SearchWord
from cases.services import (
    PersonInput,
    case_project_open,
    case_project_update,
    person_add,
    person_update,
)
from privacy.anonymise import case_anonymise
from sozialraum.services import deputy_set
from tests.cases.conftest import CHILD, intake
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


def test_the_people_of_an_intake_get_the_words_of_their_names_in_its_region(users, case_nord):
    words = SearchWord.objects.filter(case=case_nord)
    assert set(words.values_list("word", flat=True)) == {"beispielkind", "mia", "sandra"}
    assert set(words.values_list("region_id", flat=True)) == {case_nord.region_id}
    assert not words.filter(person=None).exists()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Beispielkind", True),
        ("beisp", True),
        ("Mia Beispiel", True),
        ("beispielkind sandra", True),
        ("Mia Sandra", False),  # two people's first names: no one person has both
        ("spielkind", False),  # a word is found by its beginning, not by a part inside it
        ("Beispielkinder", False),
        ("?!", False),
    ],
)
def test_each_word_typed_begins_a_word_of_one_persons_name(client, users, case_nord, query, found):
    client.force_login(users["caseworker"])
    assert (f">{case_nord.number}<" in _found(client, query)) is found


def test_a_renamed_person_is_found_by_the_new_name_only(client, users, case_nord):
    child = case_nord.persons.get(role=PersonRole.CHILD)
    person_update(
        user=users["caseworker"],
        person=child,
        data=PersonInput(
            role=PersonRole.CHILD,
            first_name="Mia",
            last_name="Özdemir-Lang",
            birth_date=child.birth_date,
        ),
    )
    client.force_login(users["caseworker"])
    assert f">{case_nord.number}<" in _found(client, "Oezdemir")
    assert f">{case_nord.number}<" in _found(client, "Lang Mia")
    assert f">{case_nord.number}<" not in _found(client, "Mia Beispielkind")


def test_a_person_added_later_is_found(client, users, case_nord):
    person_add(
        user=users["caseworker"],
        case=case_nord,
        data=PersonInput(role=PersonRole.OTHER, first_name="Gerda", last_name="Großmann"),
    )
    client.force_login(users["caseworker"])
    assert f">{case_nord.number}<" in _found(client, "grossm")


def test_an_anonymised_case_is_no_longer_found_by_name(client, users, case_nord):
    case_anonymise(case=case_nord, at=timezone.now())
    assert not SearchWord.objects.filter(case=case_nord).exists()
    client.force_login(users["caseworker"])
    assert f">{case_nord.number}<" not in _found(client, "Beispielkind")


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


def test_a_project_is_found_by_the_words_of_its_title_and_its_new_title(
    client, users, sozialraum_nord, today
):
    project = case_project_open(
        user=users["caseworker"],
        sozialraum=sozialraum_nord,
        kind=CaseKind.CROSS_CASE,
        title="Elterncafé am Markt",
        steering_caseworker=users["caseworker"],
        opened_on=today,
    )
    client.force_login(users["caseworker"])
    for query, found in (("Elterncafe", True), ("markt eltern", True), ("café", False)):
        assert (f">{project.number}<" in _found(client, query)) is found, query
    case_project_update(
        user=users["caseworker"],
        case=project,
        title="Spielgruppe Lindenhof",
        target_group="",
        participants_count=None,
        project_goals="",
        outcome="",
        providers=[],
        partners=[],
    )
    assert f">{project.number}<" in _found(client, "Lindenhof Spiel")
    assert f">{project.number}<" not in _found(client, "Elterncafé")


def test_reconcile_finds_search_words_outside_the_region_or_not_of_the_name(
    users, case_nord, sozialraum_sued
):
    call_command("reconcile_cases", stdout=StringIO())  # as the services left them: none
    other = intake(user=users["caseworker"], sozialraum=case_nord.sozialraum)
    SearchWord.objects.filter(case=case_nord, word="mia").update(
        region_id=sozialraum_sued.region_id
    )
    SearchWord.objects.filter(case=other, word="sandra").delete()
    out = StringIO()
    with pytest.raises(CommandError, match="2 Abweichung"):
        call_command("reconcile_cases", stdout=out)
    assert f"Fall {case_nord.number}: Suchwörter" in out.getvalue()
    assert f"Fall {other.number}: Suchwörter" in out.getvalue()


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


def test_a_name_search_pages_to_older_and_back_to_newer_matches(
    client, users, sozialraum_nord, settings
):
    settings.CASE_LIST_PAGE_SIZE = 2
    found = [
        intake(
            user=users["caseworker"],
            sozialraum=sozialraum_nord,
            persons=[replace(CHILD, first_name="Ida", last_name="Seefeld")],
        )
        for _ in range(5)
    ]
    intake(user=users["caseworker"], sozialraum=sozialraum_nord)  # newest, not a match
    newest_first = [case.number for case in reversed(found)]
    client.force_login(users["caseworker"])

    def numbers(html: str) -> list[str]:
        return [n for n in re.findall(r">([A-Z]+-\d{4}-\d+)<", html) if n in newest_first]

    def link(html: str, name: str) -> str:
        return re.search(rf'href="(\?[^"]*{name}=\d+)"', html)[1].replace("&amp;", "&")

    pages = [client.post(URL, {"q": "seef"}, follow=True).content.decode()]
    while "nach=" in pages[-1]:
        pages.append(client.get(URL + link(pages[-1], "nach")).content.decode())
    assert [numbers(page) for page in pages] == [
        newest_first[0:2],
        newest_first[2:4],
        newest_first[4:5],
    ]
    back = client.get(URL + link(pages[-1], "vor")).content.decode()
    assert numbers(back) == newest_first[2:4]
