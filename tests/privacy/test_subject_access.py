"""Subject access (Art. 15 DSGVO): the region's team lead and the administration find a person
through a POST form and export everything stored about them; each search hit and each export is
audited without a name; every other role is refused."""

import datetime

import pytest
from django.urls import reverse

from cases.models import AuditAction, AuditEntry, PersonRole
from tests.factories import SozialraumFactory, UserFactory
from tests.privacy.conftest import case_file


@pytest.fixture
def files(users, sozialraum_nord, team_sued, today):
    """Sandra Beispiel appears in two Nord cases (as mother) and one Süd case; another family
    has a case of its own."""
    sozialraum_sued = SozialraumFactory(region=team_sued.region, asd_team=team_sued, code="S1")
    first = case_file(
        sozialraum=sozialraum_nord,
        steering=users["caseworker"],
        closed_on=datetime.date(today.year - 2, 3, 1),
    )
    second = case_file(sozialraum=sozialraum_nord, steering=users["caseworker"], closed_on=None)
    sued = case_file(sozialraum=sozialraum_sued, steering=users["caseworker_sued"], closed_on=None)
    other = case_file(
        sozialraum=sozialraum_nord, steering=users["caseworker"], closed_on=None, family="Andere"
    )
    return {"first": first, "second": second, "sued": sued, "other": other}


def search(client, **data):
    return client.post(reverse("privacy:subject_search"), data)


def export(client, persons, output="html"):
    return client.post(
        reverse("privacy:subject_export"),
        {"persons": [p.pk for p in persons], "output": output},
    )


def sandras(case_files, *keys):
    return [case_files[k].persons.get(role=PersonRole.GUARDIAN) for k in keys]


def test_team_lead_finds_the_person_in_the_own_region_only(client, users, files):
    client.force_login(users["team_lead"])
    response = search(client, last_name="beispiel", first_name="SANDRA")
    html = response.content.decode()
    assert response.status_code == 200
    assert files["first"].number in html and files["second"].number in html
    assert files["sued"].number not in html
    assert files["other"].number not in html
    # Each hit shown is a view of a person record, audited without the name.
    views = AuditEntry.objects.filter(detail="Auskunft: Suchtreffer")
    assert views.count() == 2
    assert {e.object_type for e in views} == {"person"}
    assert all("Sandra" not in e.detail and "Beispiel" not in e.detail for e in views)


def test_administration_searches_the_whole_office(client, users, files):
    client.force_login(users["admin"])
    html = search(client, last_name="Beispiel", first_name="Sandra").content.decode()
    assert files["sued"].number in html and files["first"].number in html


def test_first_name_and_birth_date_narrow_the_search(client, users, files):
    client.force_login(users["team_lead"])
    html = search(
        client, last_name="Beispiel", first_name="Mia", birth_date="2000-05-04"
    ).content.decode()
    assert files["first"].number in html
    assert (
        "Keine Einträge"
        in search(
            client, last_name="Beispiel", first_name="Mia", birth_date="1999-01-01"
        ).content.decode()
    )


def test_names_never_travel_in_the_url(client, users, files):
    client.force_login(users["team_lead"])
    page = client.get(reverse("privacy:subject_search")).content.decode()
    assert 'method="post"' in page
    response = client.get(reverse("privacy:subject_search"), {"last_name": "Beispiel"})
    assert files["first"].number not in response.content.decode()  # GET does not search


def test_export_holds_everything_about_the_person_and_no_third_party_names(client, users, files):
    client.force_login(users["team_lead"])
    chosen = sandras(files, "first", "second")
    response = export(client, chosen)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "Beispiel" not in disposition
    html = response.content.decode()
    first = files["first"]
    for expected in (
        first.number,
        files["second"].number,
        "Sandra",
        "01.02.1980",  # her birth date
        "0461 12345",  # her phone
        "Mutter",
        "Familie Beispiel wünscht sich Ruhe zu Hause.",  # concern
        "Herr Beispiel will wieder arbeiten.",  # will
        "Lindenweg 3a",
        "Oma Beispiel holt Mia ab.",  # resource
        "Mia geht gern zur Schule.",  # goal
        "Gespräch mit Frau Lehrerin Kunz",  # step
        "Frau Beispiel schafft es allein nicht.",  # help rationale
        "Mia geht wieder regelmäßig zur Schule.",  # help plan review
        "Vermerk: Frau Beispiel rief an.",  # internal ASD note
        "Hausbesuch bei Beispiel.",  # provider's progress note
        "Nachbarin meldet Streit bei Beispiel.",  # § 8a facts
        "Wie erreichen wir Herrn Beispiel?",  # peer consultation
        first.assignments.get().provider.name,  # recipient
        "Art. 77",  # right to complain
        "Speicherdauer",
    ):
        assert expected in html, expected
    # The child is a third party in the mother's request: role only, no name, no birth date.
    assert "Kind / Jugendliche(r)" in html
    assert "04.05.2000" not in html
    assert files["other"].number not in html and "Andere" not in html


def test_export_is_audited_per_person_record_without_names(client, users, files):
    client.force_login(users["team_lead"])
    chosen = sandras(files, "first", "second")
    export(client, chosen)
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert sorted(e.object_id for e in entries) == sorted(p.pk for p in chosen)
    assert {e.case_number for e in entries} == {files["first"].number, files["second"].number}
    assert {e.detail for e in entries} == {"Auskunft Art. 15 DSGVO"}
    assert {e.user for e in entries} == {users["team_lead"]}


def test_export_as_pdf(client, users, files):
    client.force_login(users["admin"])
    response = export(client, sandras(files, "first", "sued"), output="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_team_lead_of_another_region_cannot_export_nord_records(client, users, files, team_sued):
    lead_sued = UserFactory(role="team_lead", asd_team=team_sued)
    client.force_login(lead_sued)
    response = export(client, sandras(files, "first"))
    assert response.status_code == 422
    assert "Sandra" not in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_export_without_a_choice_is_refused_in_german(client, users, files):
    client.force_login(users["team_lead"])
    response = export(client, [])
    assert response.status_code == 422
    assert "mindestens einen Eintrag" in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "provider_staff", "planner"])
def test_other_roles_are_refused(client, users, files, role):
    client.force_login(users[role])
    assert client.get(reverse("privacy:subject_search")).status_code == 403
    assert search(client, last_name="Beispiel").status_code == 403
    assert export(client, sandras(files, "first")).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_anonymous_visitors_are_sent_to_login(client, files):
    response = export(client, sandras(files, "first"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_export_refuses_get(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("privacy:subject_export")).status_code == 405
