"""Sharings and consents: what the ASD records on the case file, and what a Träger's staff see
of the family on its running assignment, on which basis, audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.consent import consent_withdraw, sharing_record
from cases.forms_sharing import NOT_A_PERSON_OF_THE_CASE
from cases.models import AuditEntry, CaseKind, PersonRole, Sharing, SharingBasis
from cases.services import case_project_open, help_end
from privacy.anonymise import PLACEHOLDER, case_anonymise
from privacy.selectors import subject_access_records
from tests.factories import UserFactory

ADDRESS = "Lindenweg 3"
RESOURCE = "Die Oma hilft."
GOAL = "Mia schläft um acht."
PHONE = "0151 2345678"


def _guardian(case):
    return case.persons.get(role=PersonRole.GUARDIAN)


def _consent(users, assignment, *, categories=("address", "resources"), **extra):
    case = assignment.case
    return sharing_record(
        user=users["caseworker"],
        case=case,
        basis=SharingBasis.CONSENT,
        categories=list(categories),
        purpose="Begleitung der Familie zu Hause",
        given_on=extra.pop("given_on", case.opened_on),
        provider=extra.pop("provider", assignment.provider),
        given_by=extra.pop("given_by", _guardian(case)),
        **extra,
    )


def _provider_page(client, user, assignment):
    # The mother's telephone number: contact data, shown to the provider only with the address.
    guardian = _guardian(assignment.case)
    if guardian.phone != PHONE:
        guardian.phone = PHONE
        guardian.save()
    client.force_login(user)
    response = client.get(reverse("cases:assignment_detail", args=[assignment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _form(case, **changes):
    data = {
        "basis": "consent",
        "provider": str(case.assignments.get().provider_id),
        "recipient": "",
        "categories": ["address", "resources"],
        "purpose": "Hausbesuche der Familienhilfe",
        "given_by": str(_guardian(case).pk),
        "given_on": f"{case.opened_on:%Y-%m-%d}",
        "valid_until": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- recording a consent: bad input -------------------------------------------------------------


def test_bad_consent_gets_every_german_message_at_once_and_keeps_the_input(
    client, users, assignment_a, case_sued, today
):
    client.force_login(users["caseworker"])
    foreign_person = case_sued.persons.first()
    response = client.post(
        reverse("cases:sharing_add", args=[assignment_a.case_id]),
        _form(
            assignment_a.case,
            categories=None,
            given_by=str(foreign_person.pk),
            given_on=f"{today:%Y-%m-%d}",
            valid_until=f"{today - datetime.timedelta(days=1):%Y-%m-%d}",
            purpose="Schulbegleitung für Mia",
        ),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte wählen Sie mindestens eine Art von Daten." in html
    assert NOT_A_PERSON_OF_THE_CASE in html
    assert "„Gültig bis“ liegt vor dem Datum der Erteilung." in html
    assert "Schulbegleitung für Mia" in html  # what was typed stays
    assert not Sharing.objects.exists()


def test_consent_needs_a_giver_and_exactly_one_recipient(client, users, assignment_a):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:sharing_add", args=[assignment_a.case_id]),
        _form(assignment_a.case, given_by="", recipient="Grundschule am Park"),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Bitte geben Sie an, wer die Einwilligung erteilt hat." in html
    assert "entweder einen Träger oder nennen Sie eine andere Stelle" in html
    assert not Sharing.objects.exists()


def test_the_service_refuses_a_giver_of_another_case_and_no_scope_together(
    users, assignment_a, case_sued
):
    with pytest.raises(ValidationError) as refused:
        _consent(users, assignment_a, categories=(), given_by=case_sued.persons.first())
    assert set(refused.value.message_dict) == {"given_by", "categories"}
    assert refused.value.message_dict["given_by"] == ["Diese Person gehört nicht zu diesem Fall."]
    assert not Sharing.objects.exists()


def test_a_school_sharing_and_a_consent_are_listed_with_their_status(
    client, users, assignment_a, today
):
    client.force_login(users["caseworker"])
    case = assignment_a.case
    response = client.post(
        reverse("cases:sharing_add", args=[case.pk]),
        _form(
            case,
            basis="child_protection",
            provider="",
            recipient="Grundschule am Park",
            categories=["address"],
            given_by="",
            purpose="Rückmeldung an die meldende Schule",
        ),
    )
    assert response.status_code == 302
    school = Sharing.objects.get()
    assert (school.basis, school.recipient, school.given_by) == (
        SharingBasis.CHILD_PROTECTION,
        "Grundschule am Park",
        None,
    )
    expired = _consent(
        users,
        assignment_a,
        given_on=today - datetime.timedelta(days=30),
        valid_until=today - datetime.timedelta(days=1),
    )
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Grundschule am Park" in html
    assert "Kinderschutz nach § 8a SGB VIII" in html
    assert "abgelaufen" in html and "gültig" in html
    assert reverse("cases:consent_withdraw", args=[case.pk, expired.pk]) in html
    assert reverse("cases:consent_withdraw", args=[case.pk, school.pk]) not in html


def test_only_who_may_change_the_case_records_or_withdraw(client, users, assignment_a):
    consent = _consent(users, assignment_a)
    colleague = UserFactory(role="caseworker", asd_team=users["caseworker"].asd_team)
    client.force_login(colleague)
    case = assignment_a.case
    assert client.get(reverse("cases:sharing_add", args=[case.pk])).status_code == 403
    url = reverse("cases:consent_withdraw", args=[case.pk, consent.pk])
    assert client.post(url, {"withdrawn_on": "2020-01-01", "confirm": "on"}).status_code == 403
    client.force_login(users["provider_staff"])
    assert client.get(url).status_code == 403
    client.force_login(users["caseworker_sued"])
    assert client.get(url).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


# --- withdrawing ----------------------------------------------------------------------------------


def test_withdrawal_needs_confirmation_keeps_the_consent_and_cannot_be_repeated(
    client, users, assignment_a, today
):
    consent = _consent(users, assignment_a)
    case = assignment_a.case
    url = reverse("cases:consent_withdraw", args=[case.pk, consent.pk])
    client.force_login(users["caseworker"])
    page = client.get(url).content.decode()
    assert "Einwilligung von Sandra Beispielkind" in page
    assert "Adresse und Kontaktdaten, Ressourcen" in page

    response = client.post(url, {"withdrawn_on": f"{today:%Y-%m-%d}"})
    assert response.status_code == 422
    assert "Bitte bestätigen Sie den Widerruf." in response.content.decode()

    tomorrow = today + datetime.timedelta(days=1)
    response = client.post(url, {"withdrawn_on": f"{tomorrow:%Y-%m-%d}", "confirm": "on"})
    assert response.status_code == 422
    assert "darf nicht in der Zukunft liegen" in response.content.decode()

    assert (
        client.post(url, {"withdrawn_on": f"{today:%Y-%m-%d}", "confirm": "on"}).status_code == 302
    )
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (today, users["caseworker"])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "widerrufen" in html and f"Widerruf vom {today:%d.%m.%Y}" in html
    assert url not in html

    response = client.post(url, {"withdrawn_on": f"{today:%Y-%m-%d}", "confirm": "on"})
    assert response.status_code == 422
    assert "bereits seit" in response.content.decode()
    assert Sharing.objects.count() == 1


def test_only_a_consent_can_be_withdrawn(users, assignment_a, today):
    sharing = sharing_record(
        user=users["caseworker"],
        case=assignment_a.case,
        basis=SharingBasis.COMMISSION,
        categories=["goals"],
        purpose="Hilfeplan an die Schule",
        given_on=today,
        recipient="Grundschule am Park",
    )
    with pytest.raises(ValidationError, match="Nur eine Einwilligung"):
        consent_withdraw(user=users["caseworker"], sharing=sharing, withdrawn_on=today)


# --- what the Träger sees -------------------------------------------------------------------------


def test_the_commission_alone_covers_the_goals_not_the_address_nor_the_resources(
    client, users, assignment_a
):
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert GOAL in html
    assert "Grundlage: Auftrag nach § 36 SGB VIII" in html
    assert ADDRESS not in html
    assert PHONE not in html  # the family list names the people, without their numbers
    assert "Sandra Beispielkind" in html
    assert RESOURCE not in html


def test_with_home_visits_the_commission_covers_the_address(client, users, assignment_a):
    assignment_a.with_home_visits = True
    assignment_a.save()
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert ADDRESS in html
    assert "Auftrag nach § 36 SGB VIII (Hilfe mit Hausbesuchen)" in html
    contact = html[
        html.index('id="anschrift"') : html.index("</section>", html.index('id="anschrift"'))
    ]
    assert f"<li>Sandra Beispielkind: Tel. {PHONE}</li>" in contact
    assert html.count(PHONE) == 1
    assert RESOURCE not in html


def test_a_consent_to_the_provider_extends_what_it_sees_until_withdrawn(
    client, users, assignment_a, today
):
    consent = _consent(users, assignment_a, valid_until=today + datetime.timedelta(days=90))
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert ADDRESS in html and RESOURCE in html and PHONE in html
    given = f"{consent.given_on:%d.%m.%Y}"
    until = f"{consent.valid_until:%d.%m.%Y}"
    assert f"Grundlage: Einwilligung von Sandra Beispielkind vom {given} bis {until}" in html

    consent_withdraw(user=users["caseworker"], sharing=consent, withdrawn_on=today)
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert ADDRESS not in html and RESOURCE not in html and PHONE not in html
    assert GOAL in html  # the commission still covers the goals


def test_an_expired_consent_covers_nothing(client, users, assignment_a, today):
    _consent(
        users,
        assignment_a,
        given_on=today - datetime.timedelta(days=60),
        valid_until=today - datetime.timedelta(days=1),
    )
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert ADDRESS not in html and RESOURCE not in html


def test_a_consent_to_another_provider_gives_this_one_nothing(
    client, users, assignment_a, provider_b
):
    _consent(users, assignment_a, provider=provider_b)
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert ADDRESS not in html and RESOURCE not in html


def test_another_provider_gets_404_even_with_a_consent(client, users, assignment_a, provider_b):
    _consent(users, assignment_a, provider=provider_b)
    client.force_login(users["provider_staff_b"])
    url = reverse("cases:assignment_detail", args=[assignment_a.pk])
    assert client.get(url).status_code == 404


def test_an_ended_assignment_shows_neither_address_nor_resources_nor_goals(
    client, users, assignment_a
):
    assignment_a.with_home_visits = True
    assignment_a.save()
    _consent(users, assignment_a, categories=("address", "resources", "goals"))
    help_end(user=users["caseworker"], help_=assignment_a.help, ended_on=assignment_a.starts_on)
    before = AuditEntry.objects.count()
    html = _provider_page(client, users["provider_staff"], assignment_a)
    assert ADDRESS not in html and RESOURCE not in html and GOAL not in html
    assert PHONE not in html
    assert 'id="anschrift"' not in html
    assert "Diese Falldurchführung ist beendet" in html
    details = list(AuditEntry.objects.order_by("id")[before:].values_list("detail", flat=True))
    assert details == ["Falldurchführung"]


def test_every_read_of_the_family_data_by_the_provider_is_audited(client, users, assignment_a):
    _consent(users, assignment_a)
    before = AuditEntry.objects.count()
    _provider_page(client, users["provider_staff"], assignment_a)
    entries = AuditEntry.objects.order_by("id")[before:]
    assert {(e.user, e.object_type, e.object_id, e.case_number) for e in entries} == {
        (users["provider_staff"], "assignment", assignment_a.pk, assignment_a.case.number)
    }
    assert sorted(e.detail for e in entries) == [
        "Falldurchführung",
        "Falldurchführung: Anschrift und Telefon der Familie",
        "Falldurchführung: Hilfeplanziele",
        "Falldurchführung: Ressourcen der Familie",
    ]


def test_recording_and_withdrawing_are_audited_without_personal_data(users, assignment_a, today):
    consent = _consent(users, assignment_a)
    consent_withdraw(user=users["caseworker"], sharing=consent, withdrawn_on=today)
    entries = AuditEntry.objects.filter(object_type="sharing", object_id=consent.pk)
    assert sorted(entries.values_list("detail", flat=True)) == [
        "Datenweitergabe erfasst",
        "Einwilligung widerrufen",
    ]
    assert all("Beispielkind" not in e.detail for e in entries)


def test_commissioning_with_home_visits_sets_the_flag(client, users, help_nord, provider_a_in_nord):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("budgets:commission", args=[help_nord.case_id, help_nord.pk]),
        {
            "provider": str(provider_a_in_nord.provider_id),
            "starts_on": f"{help_nord.starts_on:%Y-%m-%d}",
            "ends_on": f"{help_nord.planned_end_on:%Y-%m-%d}",
            "with_home_visits": "on",
        },
    )
    assert response.status_code == 302
    assignment = help_nord.assignments.get()
    assert assignment.with_home_visits
    assert ADDRESS in _provider_page(client, users["provider_staff"], assignment)


def test_anonymising_the_case_clears_the_purpose_and_keeps_the_record(users, assignment_a):
    consent = _consent(users, assignment_a)
    case_anonymise(case=assignment_a.case, at=timezone.now())
    consent.refresh_from_db()
    assert consent.purpose == PLACEHOLDER
    assert (consent.basis, consent.provider_id, consent.covers_address) == (
        SharingBasis.CONSENT,
        assignment_a.provider_id,
        True,
    )


def test_the_case_file_lists_running_commissions_as_sharings_under_section_36(
    client, users, assignment_a
):
    assignment_a.with_home_visits = True
    assignment_a.save()
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[assignment_a.case_id])).content.decode()
    section = html[html.index('id="weitergaben"') :]
    assert "Auftrag nach § 36 SGB VIII (Falldurchführung)" in section
    assert "Hilfeplanziele, Anschrift (Hilfe mit Hausbesuchen)" in section


def test_the_subject_access_export_names_every_recipient(users, assignment_a, today):
    case = assignment_a.case
    sharing_record(
        user=users["caseworker"],
        case=case,
        basis=SharingBasis.CHILD_PROTECTION,
        categories=["address"],
        purpose="Rückmeldung an die meldende Schule",
        given_on=today,
        recipient="Grundschule am Park",
    )
    (record,) = subject_access_records([_guardian(case)])
    assert record.recipients == sorted([assignment_a.provider.name, "Grundschule am Park"])


def test_a_project_has_no_sharings_and_the_refusal_is_german(client, users, sozialraum_nord, today):
    project = case_project_open(
        user=users["caseworker"],
        kind=CaseKind.CROSS_CASE,
        title="Gruppe für Alleinerziehende",
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        opened_on=today,
        participants_count=9,
    )
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:sharing_add", args=[project.pk]),
        {
            "basis": "child_protection",
            "recipient": "Grundschule am Park",
            "categories": ["notes"],
            "purpose": "Rückmeldung",
            "given_on": f"{today:%Y-%m-%d}",
        },
    )
    assert response.status_code == 422
    assert "Datenweitergaben gibt es nur bei fallspezifischer Arbeit." in response.content.decode()
    assert not Sharing.objects.exists()
