"""Plausibility rules of case work (issue 24): each refused (and, where the rule warns, warned)
through the service and through the page, with every problem shown after one submit."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case, Goal, Help
from cases.services import case_intake_check
from sozialraum.plausibility import date_de, is_warning
from tests.cases.conftest import CHILD, decide, intake
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


# --- Help: start not before the case, hours up to the office's maximum, warning above ------


def _decide_post(help_type, **fields):
    """The decision page's POST: the help and its plan (the case's first goal)."""
    goal = Goal.objects.order_by("pk").first()
    data = {
        "goals": [str(goal.pk)] if goal else [],
        "help_type": str(help_type.pk),
        "hours_per_week": "5",
        "monthly_cost": "",
        "placement_location": "",
        "starts_on": datetime.date.today().isoformat(),
        "planned_end_on": (datetime.date.today() + datetime.timedelta(days=200)).isoformat(),
        "rationale": "Die Familie wünscht Unterstützung am Abend.",
    }
    data.update(fields)
    return data


def test_help_starting_before_the_case_is_refused_by_the_service(
    users, case_in_clarification, spfh
):
    with pytest.raises(ValidationError) as refused:
        decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=spfh,
            starts_on=datetime.date(2020, 1, 1),
        )
    assert _messages(refused.value)["starts_on"] == [
        f"Der Beginn der Hilfe (01.01.2020) liegt vor dem Falleingang "
        f"({date_de(case_in_clarification.opened_on)})."
    ]
    assert not Help.objects.exists()


def test_hours_above_the_maximum_are_refused_even_when_confirmed(
    users, case_in_clarification, spfh
):
    with pytest.raises(ValidationError) as refused:
        decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=spfh,
            hours_per_week=Decimal("500"),
            confirmed_warnings=True,
        )
    assert _messages(refused.value)["hours_per_week"] == [
        "Mehr als 40 Fachleistungsstunden pro Woche sind nicht möglich (eingegeben: 500)."
    ]
    assert not Help.objects.exists()


def test_hours_above_the_threshold_warn_and_are_saved_once_confirmed(
    users, case_in_clarification, spfh
):
    with pytest.raises(ValidationError) as warned:
        decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=spfh,
            hours_per_week=Decimal("22.5"),
        )
    assert is_warning(warned.value)
    assert _messages(warned.value)["hours_per_week"][0].startswith(
        "22,5 Fachleistungsstunden pro Woche sind ungewöhnlich viel (üblich sind bis zu 20)."
    )
    assert not Help.objects.exists()
    help_ = decide(
        user=users["caseworker"],
        case=case_in_clarification,
        help_type=spfh,
        hours_per_week=Decimal("22.5"),
        confirmed_warnings=True,
    )
    assert help_.hours_per_week == Decimal("22.5")


def test_office_sets_the_limits(users, case_in_clarification, spfh, settings):
    settings.HOURS_PER_WEEK_MAX, settings.HOURS_PER_WEEK_WARNING = 60, 50
    help_ = decide(
        user=users["caseworker"],
        case=case_in_clarification,
        help_type=spfh,
        hours_per_week=Decimal("45"),
    )
    assert help_.hours_per_week == Decimal("45")


def test_help_page_refuses_500_hours_keeps_the_input_and_saves_nothing(
    client, users, case_in_clarification, spfh
):
    client.force_login(users["caseworker"])
    url = reverse("cases:help_decide", args=[case_in_clarification.pk])
    response = client.post(url, _decide_post(spfh, hours_per_week="500"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Mehr als 40 Fachleistungsstunden pro Woche sind nicht möglich" in html
    assert 'value="500"' in html
    assert "Die Familie wünscht Unterstützung am Abend." in html
    assert "Trotzdem speichern" not in html  # a refusal cannot be confirmed away
    assert not Help.objects.exists()


def test_help_page_warns_shows_the_confirm_box_and_saves_when_ticked(
    client, users, case_in_clarification, spfh
):
    client.force_login(users["caseworker"])
    url = reverse("cases:help_decide", args=[case_in_clarification.pk])
    response = client.post(url, _decide_post(spfh, hours_per_week="25"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "25 Fachleistungsstunden pro Woche sind ungewöhnlich viel" in html
    assert 'name="confirmed_warnings"' in html
    assert "Trotzdem speichern" in html
    assert 'value="25"' in html
    assert not Help.objects.exists()

    response = client.post(url, _decide_post(spfh, hours_per_week="25", confirmed_warnings="on"))
    assert response.status_code == 302
    assert Help.objects.get().hours_per_week == Decimal("25")


def test_help_page_shows_start_and_end_problems_together_with_the_hours(
    client, users, case_in_clarification, spfh
):
    client.force_login(users["caseworker"])
    url = reverse("cases:help_decide", args=[case_in_clarification.pk])
    data = _decide_post(
        spfh, hours_per_week="500", starts_on="2020-01-01", planned_end_on="2019-12-31"
    )
    html = client.post(url, data).content.decode()
    assert "diese 3 Angaben" in html
    assert "liegt vor dem Falleingang" in html
    assert "Das geplante Ende liegt vor dem Beginn." in html
    assert "Mehr als 40 Fachleistungsstunden" in html


def test_help_end_in_the_future_is_refused(users, help_nord, today):
    from cases.services import help_end

    later = today + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        help_end(user=users["caseworker"], help_=help_nord, ended_on=later)
    assert _messages(refused.value)["ended_on"] == [
        f"Das Ende der Hilfe kann nicht in der Zukunft liegen ({date_de(later)}; heute ist der "
        f"{date_de(today)})."
    ]
    help_nord.refresh_from_db()
    assert help_nord.ended_on is None


# --- Commission: inside the help's period, or the help extended with a reason ------------


def _commission_post(help_, provider, **fields):
    data = {
        "provider": str(provider.pk),
        "starts_on": f"{help_.starts_on:%Y-%m-%d}",
        "ends_on": f"{help_.planned_end_on:%Y-%m-%d}",
        "instructions": "Abendroutine mit der Familie aufbauen.",
    }
    data.update(fields)
    return data


def test_commission_starting_before_its_help_is_refused_by_the_service(
    users, help_nord, provider_a, provider_a_in_nord
):
    from cases.services import assignment_create

    early = help_nord.starts_on - datetime.timedelta(days=36)
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            user=users["caseworker"],
            help_=help_nord,
            provider=provider_a,
            starts_on=early,
            ends_on=help_nord.planned_end_on,
            help_extension_reason="Der Träger ist schon da.",  # no way around the start
        )
    assert _messages(refused.value)["starts_on"] == [
        f"Der Beginn des Auftrags ({date_de(early)}) liegt vor dem Beginn der Hilfe "
        f"({date_de(help_nord.starts_on)})."
    ]
    assert not help_nord.assignments.exists()


def test_commission_ending_after_its_help_needs_a_reason_and_then_extends_the_help(
    users, help_nord, provider_a, provider_a_in_nord
):
    from cases.services import assignment_create

    planned_end = help_nord.planned_end_on
    later = planned_end + datetime.timedelta(days=180)
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            user=users["caseworker"],
            help_=help_nord,
            provider=provider_a,
            starts_on=help_nord.starts_on,
            ends_on=later,
        )
    assert _messages(refused.value)["ends_on"][0].startswith(
        f"Das Ende des Auftrags ({date_de(later)}) liegt nach dem geplanten Ende der Hilfe "
        f"({date_de(planned_end)})."
    )
    assert not help_nord.assignments.exists()

    assignment = assignment_create(
        user=users["caseworker"],
        help_=help_nord,
        provider=provider_a,
        starts_on=help_nord.starts_on,
        ends_on=later,
        help_extension_reason="Die Familie braucht die Hilfe bis zum Schuljahresende.",
    )
    help_nord.refresh_from_db()
    assert assignment.ends_on == later
    assert help_nord.planned_end_on == later
    history = help_nord.case.status_changes.order_by("pk").values_list("reason", flat=True)
    assert any(
        f"verlängert vom {date_de(planned_end)} bis {date_de(later)}: Die Familie braucht" in r
        for r in history
    )


def test_commission_page_refuses_a_period_outside_the_help_and_keeps_the_input(
    client, users, help_nord, provider_a_in_nord
):
    client.force_login(users["caseworker"])
    url = reverse("budgets:commission", args=[help_nord.case_id, help_nord.pk])
    early = help_nord.starts_on - datetime.timedelta(days=36)
    later = help_nord.planned_end_on + datetime.timedelta(days=180)
    data = _commission_post(
        help_nord,
        provider_a_in_nord.provider,
        starts_on=f"{early:%Y-%m-%d}",
        ends_on=f"{later:%Y-%m-%d}",
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "diese 2 Angaben" in html
    assert "liegt vor dem Beginn der Hilfe" in html
    assert "liegt nach dem geplanten Ende der Hilfe" in html
    assert "Begründung einer Verlängerung der Hilfe" in html
    assert "Abendroutine mit der Familie aufbauen." in html
    assert not help_nord.assignments.exists()


def test_commission_page_extends_the_help_with_a_reason(
    client, users, help_nord, provider_a_in_nord
):
    client.force_login(users["caseworker"])
    url = reverse("budgets:commission", args=[help_nord.case_id, help_nord.pk])
    later = help_nord.planned_end_on + datetime.timedelta(days=30)
    data = _commission_post(
        help_nord,
        provider_a_in_nord.provider,
        ends_on=f"{later:%Y-%m-%d}",
        help_extension_reason="Bis zum Ende des Schuljahres.",
    )
    assert client.post(url, data).status_code == 302
    help_nord.refresh_from_db()
    assert help_nord.planned_end_on == later
    assert help_nord.assignments.get().ends_on == later


# --- Kollegiale Beratung: held, so not after today and not before the case -----------------


def test_consultation_in_the_future_or_before_the_case_is_refused_by_the_service(
    users, case_nord, today
):
    from cases.services import consultation_record

    for held_on, expected in (
        (
            datetime.date(2031, 1, 15),
            f"Die Beratung kann nicht in der Zukunft liegen (15.01.2031; heute ist der "
            f"{date_de(today)}).",
        ),
        (
            datetime.date(2020, 1, 1),
            "Die Beratung (01.01.2020) liegt vor dem Falleingang "
            f"({date_de(case_nord.opened_on)}).",
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            consultation_record(
                user=users["caseworker"],
                case=case_nord,
                held_on=held_on,
                participants=[users["caseworker"]],
                question="Wie erreichen wir den Vater?",
                ideas="Über den Sportverein.",
                next_step="Trainer ansprechen.",
            )
        assert _messages(refused.value)["held_on"] == [expected]
    assert not case_nord.consultations.exists()


def test_consultation_page_refuses_a_future_date_and_keeps_the_input(client, users, case_nord):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:consultation_add", args=[case_nord.pk]),
        {
            "held_on": "2031-01-15",
            "participants": [str(users["caseworker"].pk)],
            "question": "Wie erreichen wir den Vater?",
            "ideas": "Über den Sportverein.",
            "next_step": "Trainer ansprechen.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Die Beratung kann nicht in der Zukunft liegen (15.01.2031" in html
    assert "Wie erreichen wir den Vater?" in html
    assert not case_nord.consultations.exists()


# --- Text limits are stated before they are reached ----------------------------------------


def test_intake_and_project_forms_state_their_text_limits(client, caseworker):
    html = client.get(INTAKE_URL).content.decode()
    assert "Höchstens 120 Zeichen." in html  # the street
    assert "Höchstens 80 Zeichen." in html  # a person's names
    assert "Nur nötig, wenn die Straße mehrdeutig ist. (höchstens 5 Zeichen)" in html
    html = client.get(reverse("cases:project_create")).content.decode()
    assert "Höchstens 200 Zeichen." in html  # the title


def test_length_limit_note_is_added_once():
    from django import forms

    from sozialraum.plausibility import length_limits_state

    class Form(forms.Form):
        title = forms.CharField(max_length=2000, help_text="Höchstens 2.000 Zeichen.")
        name = forms.CharField(max_length=1000)
        free = forms.CharField()

    form = Form()
    length_limits_state(form)
    length_limits_state(form)
    assert form.fields["title"].help_text == "Höchstens 2.000 Zeichen."
    assert form.fields["name"].help_text == "Höchstens 1.000 Zeichen."
    assert form.fields["free"].help_text == ""


def test_help_page_shows_the_plan_and_the_help_problems_after_one_submit(
    client, users, case_in_clarification, spfh
):
    client.force_login(users["caseworker"])
    url = reverse("cases:help_decide", args=[case_in_clarification.pk])
    data = _decide_post(spfh, hours_per_week="500", starts_on="2020-01-01")
    data["goals"] = []  # the plan without a goal
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Bitte wählen Sie mindestens ein Ziel dieser Hilfe" in html
    assert "Mehr als 40 Fachleistungsstunden pro Woche sind nicht möglich" in html
    assert "liegt vor dem Falleingang" in html
    assert not Help.objects.exists()


def test_help_page_warning_and_plan_problem_come_together(
    client, users, case_in_clarification, spfh
):
    client.force_login(users["caseworker"])
    url = reverse("cases:help_decide", args=[case_in_clarification.pk])
    data = _decide_post(spfh, hours_per_week="25")
    data["goals"] = []
    html = client.post(url, data).content.decode()
    assert "Bitte wählen Sie mindestens ein Ziel dieser Hilfe" in html
    assert "25 Fachleistungsstunden pro Woche sind ungewöhnlich viel" in html
    assert 'name="confirmed_warnings"' in html
    assert not Help.objects.exists()


def test_project_form_lists_every_problem_after_one_submit(client, caseworker):
    response = client.post(
        reverse("cases:project_create"),
        {
            "kind": "cross_case",
            "title": "",
            "sozialraum": "",
            "steering_caseworker": str(caseworker.pk),
            "opened_on": "31.02.2026",
            "participants_count": "-3",
            "target_group": "Jugendliche am Bahnhof",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    summary = html[html.index('id="fehleruebersicht"') :]
    summary = summary[: summary.index("</ul>")]
    assert "diese 4 Angaben" in summary
    assert "Titel:" in summary and "Sozialraum:" in summary
    assert "Beginn:" in summary and "Zahl der Teilnehmenden:" in summary
    assert "Jugendliche am Bahnhof" in html
    assert not Case.objects.exists()
