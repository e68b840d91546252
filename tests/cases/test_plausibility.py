"""Plausibility rules of case work (issue 24): each refused (and, where the rule warns, warned)
through the service and through the page, with every problem shown after one submit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case
from cases.services import case_intake_check
from sozialraum.plausibility import date_de
from tests.cases.conftest import CHILD, intake
from tests.cases.test_intake import intake_post

INTAKE_URL = reverse("cases:intake")


@pytest.fixture
def caseworker(client, users, street_nord):
    client.force_login(users["caseworker"])
    return users["caseworker"]


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in items] for field, items in error.message_dict.items()}


# --- Intake: date, PLZ, every error at once --------------------------------------------------


def test_intake_dated_in_the_future_is_refused_by_the_service(users, sozialraum_nord, today):
    in_2031 = datetime.date(2031, 1, 15)
    with pytest.raises(ValidationError) as refused:
        intake(user=users["caseworker"], sozialraum=sozialraum_nord, opened_on=in_2031)
    assert _messages(refused.value)["opened_on"] == [
        f"Der Falleingang kann nicht in der Zukunft liegen (15.01.2031; heute ist der "
        f"{date_de(today)})."
    ]
    assert not Case.objects.exists()


def test_intake_postcode_of_letters_is_refused_by_the_service(users, sozialraum_nord):
    with pytest.raises(ValidationError) as refused:
        intake(user=users["caseworker"], sozialraum=sozialraum_nord, postcode="abc")
    assert _messages(refused.value)["postcode"] == [
        "Die PLZ besteht aus genau fünf Ziffern, z. B. 25421."
    ]
    assert not Case.objects.exists()


def test_intake_service_reports_all_its_problems_at_once(users, sozialraum_nord):
    with pytest.raises(ValidationError) as refused:
        intake(
            user=users["caseworker"],
            sozialraum=sozialraum_nord,
            opened_on=datetime.date(2031, 1, 15),
            postcode="1234",
            steering_caseworker=users["caseworker_sued"],
        )
    assert set(refused.value.message_dict) == {"opened_on", "postcode", "steering_caseworker"}


def test_intake_check_skips_parts_not_yet_readable():
    checks = case_intake_check(opened_on=None, postcode="", persons=None)
    checks.raise_if_any()  # nothing to say yet
    checks = case_intake_check(opened_on=None, postcode="", persons=[CHILD])
    checks.raise_if_any()


def test_intake_with_three_broken_parts_shows_three_messages_after_one_submit(client, caseworker):
    persons = [
        {"role": "child", "first_name": "Jonas", "last_name": "", "birth_date": "2016-09-01"},
    ]
    data = intake_post(
        caseworker=caseworker,
        persons=persons,
        opened_on=datetime.date(2031, 1, 15),
        postcode="abc",
    )
    response = client.post(INTAKE_URL, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert not Case.objects.exists()
    summary = html[
        html.index('id="fehleruebersicht"') : html.index(
            "</ul>", html.index('id="fehleruebersicht"')
        )
    ]
    assert "diese 3 Angaben" in summary
    assert "Nachname: Dieses Feld ist zwingend erforderlich." in summary
    assert "PLZ: Die PLZ besteht aus genau fünf Ziffern, z. B. 25421." in summary
    assert "Falleingang am: Der Falleingang kann nicht in der Zukunft liegen (15.01.2031" in summary
    # Everything typed is still there.
    assert 'value="abc"' in html
    assert 'value="Jonas"' in html
    assert 'value="2031-01-15"' in html


def test_intake_address_error_shows_together_with_a_person_error(client, caseworker):
    persons = [{"role": "child", "first_name": "", "last_name": "Schulz", "birth_date": ""}]
    data = intake_post(caseworker=caseworker, persons=persons, street="Gibtsnichtweg")
    html = client.post(INTAKE_URL, data).content.decode()
    assert "„Gibtsnichtweg“ steht nicht im Straßenverzeichnis." in html
    assert "Für Kinder und Jugendliche ist das Geburtsdatum nötig." in html
    assert not Case.objects.exists()


def test_intake_with_a_five_digit_postcode_and_today_is_saved(client, caseworker, today):
    data = intake_post(caseworker=caseworker, opened_on=today, postcode="24850")
    assert client.post(INTAKE_URL, data).status_code == 302
    assert Case.objects.get().postcode == "24850"
