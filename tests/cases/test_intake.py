"""Falleingang through the page: numbering, Sozialraum from the street directory, duplicates."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Case, CaseKind, Person, PersonRole, ResourceKind
from cases.services import PersonInput
from tests.cases.conftest import intake

URL = reverse("cases:intake")

CONCERN = "Wir möchten, dass Jonas morgens wieder gern zur Schule geht."


def intake_post(
    *,
    caseworker,
    street="Lindenweg",
    house_number="7",
    opened_on=None,
    persons=None,
    resources=None,
    goals=None,
    **fields,
):
    """The POST body of the intake page: the case form plus the three formsets."""
    persons = (
        persons
        if persons is not None
        else [
            {
                "role": "child",
                "first_name": "Jonas",
                "last_name": "Schulz",
                "birth_date": "2016-09-01",
            },
            {
                "role": "guardian",
                "first_name": "Petra",
                "last_name": "Schulz",
                "relation": "Mutter",
                "phone": "0461 12345",
            },
        ]
    )
    resources = (
        resources
        if resources is not None
        else [
            {"kind": "personal", "description": "Jonas spielt gern Fußball."},
            {"kind": "sozialraum", "description": "Der Sportverein am Lindenweg."},
        ]
    )
    goals = goals if goals is not None else ["Jonas geht jeden Tag zur Schule."]
    data = {
        "street": street,
        "house_number": house_number,
        "postcode": "",
        "opened_on": (opened_on or datetime.date.today()).isoformat(),
        "steering_caseworker": str(caseworker.pk),
        "sozialraum_override": "",
        "sozialraum_override_reason": "",
        "concern": CONCERN,
        "will": "Wir wollen morgens früher aufstehen.",
    }
    data.update(fields)
    for prefix, rows in (
        ("person", persons),
        ("ressource", resources),
        ("ziel", [{"text": g} for g in goals]),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "20",
            }
        )
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def caseworker(client, users, street_nord):
    client.force_login(users["caseworker"])
    return users["caseworker"]


def test_intake_creates_the_case_with_number_sozialraum_persons_resources_and_goals(
    client, caseworker, sozialraum_nord, today
):
    response = client.post(URL, intake_post(caseworker=caseworker, opened_on=today))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.number == f"N-{today.year}-0001"
    assert case.kind == CaseKind.INDIVIDUAL
    assert case.sozialraum == sozialraum_nord
    assert case.region == sozialraum_nord.region
    assert case.steering_caseworker == caseworker
    assert case.concern == CONCERN
    assert (case.street, case.house_number) == ("Lindenweg", "7")
    assert [(p.role, p.first_name, p.birth_date) for p in case.persons.all()] == [
        (PersonRole.CHILD, "Jonas", datetime.date(2016, 9, 1)),
        (PersonRole.GUARDIAN, "Petra", None),
    ]
    assert sorted(case.resources.values_list("kind", flat=True)) == [
        ResourceKind.PERSONAL,
        ResourceKind.SOZIALRAUM,
    ]
    assert list(case.goals.values_list("text", flat=True)) == ["Jonas geht jeden Tag zur Schule."]
    assert case.status_changes.get().reason == "Falleingang"
    page = client.get(response.url).content.decode()
    assert f"Fall {case.number} ist angelegt." in page


def test_empty_formset_rows_are_not_saved(client, caseworker):
    data = intake_post(caseworker=caseworker)
    # The page shows five person rows; the untouched ones keep only their suggested role.
    data["person-TOTAL_FORMS"] = "5"
    data.update({"person-2-role": "child", "person-3-role": "other", "person-4-role": "other"})
    assert client.post(URL, data).status_code == 302
    assert Person.objects.count() == 2


def test_serial_numbers_increase_per_region_and_year(
    client, caseworker, users, sozialraum_sued, today
):
    numbers = []
    for name in ("Anna", "Ben"):
        persons = [
            {"role": "child", "first_name": name, "last_name": "Kurz", "birth_date": "2018-01-01"}
        ]
        client.post(URL, intake_post(caseworker=caseworker, persons=persons))
        numbers.append(Case.objects.first().number)
    last_year = today.replace(year=today.year - 1, day=1)
    persons = [
        {"role": "child", "first_name": "Cem", "last_name": "Kurz", "birth_date": "2018-01-01"}
    ]
    client.post(URL, intake_post(caseworker=caseworker, persons=persons, opened_on=last_year))
    numbers.append(Case.objects.first().number)
    sued = intake(user=users["caseworker_sued"], sozialraum=sozialraum_sued)

    assert numbers == [
        f"N-{today.year}-0001",
        f"N-{today.year}-0002",
        f"N-{today.year - 1}-0001",
    ]
    assert sued.number == f"S-{today.year}-0001"


def test_address_of_the_other_region_is_refused_naming_the_responsible_team(
    client, caseworker, street_sued
):
    response = client.post(URL, intake_post(caseworker=caseworker, street="Birkenallee"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Für diese Adresse ist ASD Süd zuständig" in html
    assert "Sozialraum Südstadt" in html
    assert not Case.objects.exists()


def test_unknown_street_gives_the_directory_message_and_keeps_everything_typed(client, caseworker):
    response = client.post(URL, intake_post(caseworker=caseworker, street="Gibtsnichtweg"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "„Gibtsnichtweg“ steht nicht im Straßenverzeichnis." in html
    assert "Der Fall ist noch nicht gespeichert." in html
    assert CONCERN in html
    assert 'value="Jonas"' in html
    assert "Jonas spielt gern Fußball." in html
    assert "Jonas geht jeden Tag zur Schule." in html
    assert not Case.objects.exists()


def test_sozialraum_override_needs_a_reason(client, caseworker, team_nord):
    from tests.factories import SozialraumFactory

    other = SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N2")
    data = intake_post(caseworker=caseworker, sozialraum_override=str(other.pk))
    response = client.post(URL, data)
    assert response.status_code == 422
    assert "Bitte begründen Sie, warum der Fall einem anderen" in response.content.decode()
    assert not Case.objects.exists()

    data["sozialraum_override_reason"] = "Die Kinder gehen in N2 zur Schule."
    assert client.post(URL, data).status_code == 302
    case = Case.objects.get()
    assert case.sozialraum == other
    assert case.sozialraum_override_reason == "Die Kinder gehen in N2 zur Schule."


def test_override_reason_is_dropped_when_no_other_sozialraum_is_chosen(
    client, caseworker, sozialraum_nord
):
    data = intake_post(caseworker=caseworker, sozialraum_override_reason="nur so")
    assert client.post(URL, data).status_code == 302
    case = Case.objects.get()
    assert (case.sozialraum, case.sozialraum_override_reason) == (sozialraum_nord, "")


# "Mu\u0308ller" is "Müller" with a combining diaeresis, as text pasted from a PDF often is.
@pytest.mark.parametrize("typed_last_name", ["Müller", "Mueller", "MÜLLER ", "Mu\u0308ller"])
def test_possible_duplicate_is_shown_and_nothing_saved_until_confirmed(
    client, caseworker, users, sozialraum_sued, typed_last_name
):
    known = intake(
        user=users["caseworker_sued"],
        sozialraum=sozialraum_sued,
        persons=[
            PersonInput(
                role="child",
                first_name="Lea",
                last_name="Müller",
                birth_date=datetime.date(2017, 6, 3),
            )
        ],
    )
    persons = [
        {
            "role": "child",
            "first_name": "Lea",
            "last_name": typed_last_name,
            "birth_date": "2017-06-03",
        }
    ]
    data = intake_post(caseworker=caseworker, persons=persons)

    response = client.post(URL, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Mögliche Doppelung" in html
    assert known.number in html
    assert "ASD Süd" in html
    assert Case.objects.count() == 1

    data["duplicates_confirmed"] = "on"
    assert client.post(URL, data).status_code == 302
    # Two cases, each with its own child: nothing merged.
    assert Case.objects.count() == 2
    assert known.persons.count() == 1
    new = Case.objects.exclude(pk=known.pk).get()
    assert new.persons.get().last_name == typed_last_name.strip()


def test_same_name_with_other_birth_date_is_no_duplicate(client, caseworker, users, case_nord):
    persons = [
        {
            "role": "child",
            "first_name": "Mia",
            "last_name": "Beispielkind",
            "birth_date": "2015-03-15",
        }
    ]
    assert client.post(URL, intake_post(caseworker=caseworker, persons=persons)).status_code == 302


def test_child_without_birth_date_is_refused(client, caseworker):
    persons = [{"role": "child", "first_name": "Jonas", "last_name": "Schulz", "birth_date": ""}]
    response = client.post(URL, intake_post(caseworker=caseworker, persons=persons))
    assert response.status_code == 422
    assert "Für Kinder und Jugendliche ist das Geburtsdatum nötig." in response.content.decode()
    assert not Case.objects.exists()


def test_intake_without_any_child_is_refused(client, caseworker):
    persons = [{"role": "guardian", "first_name": "Petra", "last_name": "Schulz"}]
    response = client.post(URL, intake_post(caseworker=caseworker, persons=persons))
    assert response.status_code == 422
    assert "Bitte nennen Sie mindestens ein Kind" in response.content.decode()
    assert not Case.objects.exists()


def test_birth_date_in_the_future_is_refused(client, caseworker, today):
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    persons = [
        {"role": "child", "first_name": "Jonas", "last_name": "Schulz", "birth_date": tomorrow}
    ]
    response = client.post(URL, intake_post(caseworker=caseworker, persons=persons))
    assert response.status_code == 422
    assert "Das Geburtsdatum liegt in der Zukunft." in response.content.decode()


def test_steering_caseworker_must_belong_to_the_region(client, caseworker, users):
    data = intake_post(caseworker=users["caseworker_sued"])
    response = client.post(URL, data)
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_project_is_created_without_personal_data(client, caseworker, sozialraum_nord, provider_a):
    response = client.post(
        reverse("cases:project_create"),
        {
            "kind": "cross_case",
            "title": "Gruppe für Alleinerziehende",
            "sozialraum": str(sozialraum_nord.pk),
            "steering_caseworker": str(caseworker.pk),
            "opened_on": "2026-03-01",
            "target_group": "Alleinerziehende",
            "participants_count": "14",
            "project_goals": "Austausch und Entlastung",
            "providers": [str(provider_a.pk)],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.number == "N-2026-0001"
    assert (case.kind, case.title, case.participants_count) == (
        CaseKind.CROSS_CASE,
        "Gruppe für Alleinerziehende",
        14,
    )
    assert list(case.providers.all()) == [provider_a]
    assert not case.persons.exists()
    assert (case.street, case.concern) == ("", "")
    # No person can be added afterwards either.
    client.post(
        reverse("cases:person_add", args=[case.pk]),
        {"role": "child", "first_name": "X", "last_name": "Y", "birth_date": "2016-01-01"},
    )
    assert not case.persons.exists()


def test_case_independent_work_needs_a_title(client, caseworker, sozialraum_nord):
    response = client.post(
        reverse("cases:project_create"),
        {
            "kind": "case_independent",
            "title": "",
            "sozialraum": str(sozialraum_nord.pk),
            "steering_caseworker": str(caseworker.pk),
            "opened_on": "2026-03-01",
        },
    )
    assert response.status_code == 422
    assert not Case.objects.exists()
