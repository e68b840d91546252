"""Issue 25 (3): the Hilfeplan from the first day, and the Hilfeplangespräch as an appointment.

Deciding a help opens its plan (goals, first steps, first review date) in the same transaction;
a review is scheduled (date, time, place, invitations), moved with a reason and recorded on its
appointment; every bad input is a German message in the form, all at once, with what was typed.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import (
    ActionStep,
    AuditEntry,
    CaseStatus,
    Goal,
    Help,
    HelpPlanReview,
    HelpPlanReviewChange,
    StepOwner,
)
from cases.services import (
    StepInput,
    add_months,
    goal_add,
    help_decide,
    review_record,
    review_schedule,
)
from tests.cases.conftest import decide, intake
from tests.cases.factories import HelpPlanReviewFactory
from tests.conftest import page_query_limit

D = datetime.date
T = datetime.time
DAY = datetime.timedelta(days=1)


def _review(help_):
    return help_.help_plan.reviews.get(held_on__isnull=True, cancelled_on__isnull=True)


def _decision_post(help_type, starts_on, **plan):
    """The decision form as a browser posts it: the help and (by default) an empty plan."""
    data = {
        "help_type": str(help_type.pk),
        "hours_per_week": "5",
        "monthly_cost": "",
        "placement_location": "",
        "starts_on": starts_on.isoformat(),
        "planned_end_on": add_months(starts_on, 12).isoformat(),
        "rationale": "",
        "new_goal_1": "",
        "new_goal_2": "",
        "first_review_on": "",
    }
    for number in (1, 2, 3):
        for part in ("text", "goal", "owner", "due_on"):
            data[f"step_{number}_{part}"] = ""
    data.update(plan)
    return data


# --- deciding a help opens its plan ------------------------------------------------------------


def test_deciding_a_help_opens_the_plan_with_goals_steps_and_the_chosen_review_date(
    users, case_in_clarification, spfh, today
):
    grobziel = case_in_clarification.goals.get()  # "Mia schläft um acht." from the intake
    help_ = help_decide(
        user=users["caseworker"],
        case=case_in_clarification,
        help_type=spfh,
        starts_on=today,
        planned_end_on=add_months(today, 12),
        hours_per_week=Decimal("5"),
        goals=[grobziel],
        new_goals=["Wir frühstücken zusammen."],
        steps=[
            StepInput(goal=grobziel, text="Abendritual aufschreiben", owner=StepOwner.FAMILY),
            StepInput(goal=0, text="Wecker kaufen", owner=StepOwner.PROVIDER, due_on=today + DAY),
        ],
        first_review_on=today + datetime.timedelta(days=90),
    )
    plan = help_.help_plan
    assert sorted(g.text for g in plan.goals.all()) == [
        "Mia schläft um acht.",
        "Wir frühstücken zusammen.",
    ]
    new_goal = Goal.objects.get(text="Wir frühstücken zusammen.")
    assert new_goal.case == case_in_clarification  # a new goal is one of the case's Grobziele
    assert list(ActionStep.objects.filter(goal=new_goal).values_list("text", "owner")) == [
        ("Wecker kaufen", StepOwner.PROVIDER)
    ]
    assert grobziel.steps.get().text == "Abendritual aufschreiben"
    assert [r.due_on for r in plan.reviews.all()] == [today + datetime.timedelta(days=90)]
    assert AuditEntry.objects.filter(object_type="helpplan", object_id=plan.pk).exists()


def test_without_choices_the_plan_takes_the_open_goals_and_the_office_rule(
    settings, users, case_in_clarification, spfh, today
):
    settings.HELP_PLAN_REVIEW_MONTHS = 4
    reached = goal_add(user=users["caseworker"], case=case_in_clarification, text="Schon erreicht")
    reached.achieved_on = today
    reached.save()
    help_ = decide(
        user=users["caseworker"],
        case=case_in_clarification,
        help_type=spfh,
        starts_on=today + DAY,
    )
    assert [g.text for g in help_.help_plan.goals.all()] == ["Mia schläft um acht."]
    assert _review(help_).due_on == add_months(today + DAY, 4)


def test_a_refused_plan_refuses_the_help_with_every_message_at_once(
    users, case_in_clarification, spfh, today
):
    with pytest.raises(ValidationError) as refused:
        help_decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=spfh,
            starts_on=today,
            planned_end_on=add_months(today, 12),
            goals=[],
            new_goals=[""],
            steps=[StepInput(goal=0, text="Ohne Ziel", owner=StepOwner.ASD)],
            first_review_on=add_months(today, 13),
        )
    assert set(refused.value.message_dict) == {
        "hours_per_week",
        "goals",
        "steps",
        "first_review_on",
    }
    assert (
        "spätestens 12 Monate nach dem Beginn der Hilfe"
        in (refused.value.message_dict["first_review_on"][0])
    )
    assert not Help.objects.filter(case=case_in_clarification).exists()
    case_in_clarification.refresh_from_db()
    assert case_in_clarification.status == CaseStatus.CLARIFICATION


def test_decision_page_offers_the_plan_with_the_default_review_date(
    client, users, case_in_clarification, today
):
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:help_decide", args=[case_in_clarification.pk])).content
    html = html.decode()
    assert "<legend" in html and "Hilfeplan" in html
    assert 'type="checkbox" class="form-check-input"  name="goals"' in html
    assert "Mia schläft um acht." in html
    assert f'value="{add_months(today, 6).isoformat()}"' in html  # first_review_on pre-filled
    assert "<select multiple" not in html


def test_decision_page_decides_the_help_with_its_plan(
    client, users, case_in_clarification, spfh, today
):
    starts, review_on = today + 30 * DAY, today + 130 * DAY
    grobziel = case_in_clarification.goals.get()
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:help_decide", args=[case_in_clarification.pk]),
        _decision_post(
            spfh,
            starts,
            goals=[str(grobziel.pk)],
            new_goal_1="Papa bringt Mia zur Schule.",
            step_1_text="Schlafprotokoll führen",
            step_1_goal=f"g{grobziel.pk}",
            step_1_owner=StepOwner.FAMILY,
            step_1_due_on=(starts + 30 * DAY).isoformat(),
            step_2_text="Schulweg üben",
            step_2_goal="n0",
            step_2_owner=StepOwner.OTHER,
            first_review_on=review_on.isoformat(),
        ),
        follow=True,
    )
    assert f"Das erste Hilfeplangespräch ist am {review_on:%d.%m.%Y} fällig." in (
        response.content.decode()
    )
    help_ = case_in_clarification.helps.get()
    assert help_.help_plan.goals.count() == 2
    assert ActionStep.objects.filter(goal__help_plans=help_.help_plan).count() == 2
    assert _review(help_).due_on == review_on


def test_decision_page_shows_every_plan_problem_at_once_and_keeps_the_input(
    client, users, case_in_clarification, spfh, today
):
    starts = today + 30 * DAY
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:help_decide", args=[case_in_clarification.pk]),
        _decision_post(
            spfh,
            starts,
            step_1_text="Schlafprotokoll führen",
            step_1_goal="n1",
            step_1_due_on=(starts - DAY).isoformat(),
            first_review_on=(starts - DAY).isoformat(),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 422
    for message in (
        "Bitte wählen Sie mindestens ein Ziel dieser Hilfe oder schreiben Sie ein neues auf.",
        "„Neues Ziel 2“ ist noch leer.",
        "Bitte wählen Sie, wer den Schritt übernimmt.",
        "Der Schritt kann nicht vor dem Beginn der Hilfe fällig sein.",
        f"Das Gespräch kann nicht vor dem Beginn der Hilfe ({starts:%d.%m.%Y}) liegen.",
    ):
        assert message in html, message
    assert 'value="Schlafprotokoll führen"' in html
    assert not case_in_clarification.helps.exists()


# --- the appointment ---------------------------------------------------------------------------


def test_scheduling_moving_and_recording_a_review(users, assignment_a, today):
    help_ = assignment_a.help
    review = _review(help_)
    child = help_.case.persons.get(first_name="Mia")
    on = today + datetime.timedelta(days=10)
    review_schedule(
        user=users["caseworker"],
        review=review,
        on=on,
        time=T(10, 30),
        place="ASD Nord, Raum 2.14",
        persons=[child],
        invite_provider=True,
        others="Klassenlehrerin",
    )
    review.refresh_from_db()
    assert (review.due_on, review.time, review.place) == (on, T(10, 30), "ASD Nord, Raum 2.14")
    assert list(review.invited_persons.all()) == [child]
    assert review.invited_provider == assignment_a.provider
    assert review.is_scheduled and review.is_open

    with pytest.raises(ValidationError) as no_reason:
        review_schedule(
            user=users["caseworker"], review=review, on=on + DAY, time=T(9, 0), place="ASD"
        )
    assert no_reason.value.message_dict == {
        "reason": ["Bitte nennen Sie den Grund der Verschiebung."]
    }
    review_schedule(
        user=users["caseworker"],
        review=review,
        on=on + DAY,
        time=T(9, 0),
        place="ASD",
        persons=[child],
        reason="Die Mutter ist krank.",
    )
    change = HelpPlanReviewChange.objects.get(review=review)
    assert (change.from_date, change.from_time, change.to_date, change.reason) == (
        on,
        T(10, 30),
        on + DAY,
        "Die Mutter ist krank.",
    )

    # The record fills the appointment; the next one is planned.
    review_record(
        user=users["caseworker"],
        review=review,
        held_on=today,
        participants="Mia, Frau Beispielkind",
        summary="Abendritual klappt.",
    )
    review.refresh_from_db()
    assert (review.held_on, review.time, review.place) == (today, T(9, 0), "ASD")
    assert HelpPlanReview.objects.filter(help_plan=review.help_plan).count() == 2


def test_scheduling_refuses_the_past_a_date_before_the_help_and_foreign_people(
    users, help_nord, case_sued, today
):
    review = _review(help_nord)
    with pytest.raises(ValidationError) as refused:
        review_schedule(
            user=users["caseworker"],
            review=review,
            on=today - DAY,
            time=T(10, 0),
            place="",
            persons=list(case_sued.persons.all()),
            invite_provider=True,  # no Träger commissioned yet
        )
    assert refused.value.message_dict == {
        "on": ["Ein Termin kann nicht in der Vergangenheit liegen."],
        "place": ["Bitte geben Sie an, wo das Gespräch stattfindet."],
        "persons": ["Bitte laden Sie nur Personen dieses Falls ein."],
        "invite_provider": ["Für diese Hilfe ist noch kein Träger beauftragt."],
    }


def test_recording_refuses_a_meeting_before_the_help_started(users, help_nord, today):
    help_nord.starts_on = today - DAY
    help_nord.save()
    with pytest.raises(ValidationError) as refused:
        review_record(
            user=users["caseworker"],
            review=_review(help_nord),
            held_on=today - 2 * DAY,
            participants="",
            summary="",
            next_due_on=add_months(today, 13),
        )
    assert set(refused.value.message_dict) == {"held_on", "summary", "next_due_on"}
    assert "vor dem Beginn der Hilfe" in refused.value.message_dict["held_on"][0]


def test_schedule_page_invites_with_checkboxes_and_moves_with_a_reason(
    client, users, assignment_a, today
):
    review = _review(assignment_a.help)
    child = assignment_a.case.persons.get(first_name="Mia")
    url = reverse("cases:review_schedule", args=[assignment_a.case_id, review.pk])
    client.force_login(users["caseworker"])
    html = client.get(url).content.decode()
    assert 'type="checkbox" class="form-check-input"  name="persons"' in html
    assert "Mia Beispielkind" in html
    assert "Den beauftragten Träger einladen" in html
    assert "Grund der Verschiebung" not in html  # nothing to move yet

    on = today + datetime.timedelta(days=14)
    response = client.post(
        url,
        {
            "on": on.isoformat(),
            "time": "14:00",
            "place": "bei der Familie",
            "persons": [str(child.pk)],
            "invite_provider": "on",
            "others": "",
        },
        follow=True,
    )
    assert f"Das Hilfeplangespräch ist geplant am {on:%d.%m.%Y} um 14:00 Uhr." in (
        response.content.decode()
    )
    html = client.get(url).content.decode()
    assert "Grund der Verschiebung" in html
    response = client.post(
        url,
        {"on": on.isoformat(), "time": "15:00", "place": "bei der Familie", "reason": ""},
    )
    assert response.status_code == 422
    assert "Bitte nennen Sie den Grund der Verschiebung." in response.content.decode()


def test_schedule_page_shows_every_problem_at_once_and_keeps_the_input(
    client, users, help_nord, today
):
    review = _review(help_nord)
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:review_schedule", args=[help_nord.case_id, review.pk]),
        {"on": (today - DAY).isoformat(), "time": "25:00", "place": "", "others": "Dolmetscher"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Ein Termin kann nicht in der Vergangenheit liegen." in html
    assert "Bitte geben Sie eine gültige Uhrzeit ein." in html or "gültige Uhrzeit" in html
    assert "Dieses Feld ist zwingend erforderlich." in html  # the place
    assert "Dolmetscher" in html


def test_record_page_prefills_the_invited_and_refuses_future_meetings(
    client, users, help_nord, today
):
    review = _review(help_nord)
    review_schedule(
        user=users["caseworker"],
        review=review,
        on=today,
        time=T(8, 0),
        place="ASD",
        persons=list(help_nord.case.persons.all()),
        others="Oma Erna",
    )
    url = reverse("cases:review_record", args=[help_nord.case_id, review.pk])
    client.force_login(users["caseworker"])
    html = client.get(url).content.decode()
    assert "Mia Beispielkind, Sandra Beispielkind, Oma Erna" in html
    response = client.post(
        url,
        {
            "held_on": (today + DAY).isoformat(),
            "participants": "Mia",
            "summary": "",
            "next_due_on": today.isoformat(),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Ein Gespräch in der Zukunft kann nicht erfasst werden." in html
    assert "Dieses Feld ist zwingend erforderlich." in html  # the result
    assert "Das nächste Gespräch muss nach diesem liegen." in html


def test_a_recorded_or_cancelled_review_has_no_schedule_page(client, users, help_nord, today):
    review = _review(help_nord)
    review_record(
        user=users["caseworker"], review=review, held_on=today, participants="", summary="ok"
    )
    client.force_login(users["caseworker"])
    for name in ("cases:review_schedule", "cases:review_record"):
        assert client.get(reverse(name, args=[help_nord.case_id, review.pk])).status_code == 404


# --- where appointments show -------------------------------------------------------------------


def test_case_file_and_plan_page_show_the_appointment(client, users, assignment_a, today):
    help_ = assignment_a.help
    review = _review(help_)
    review_schedule(
        user=users["caseworker"],
        review=review,
        on=today + DAY,
        time=T(9, 15),
        place="Raum 2.14",
        persons=list(help_.case.persons.filter(first_name="Mia")),
        invite_provider=True,
    )
    client.force_login(users["colleague"] if "colleague" in users else users["team_lead"])
    html = client.get(reverse("cases:detail", args=[help_.case_id])).content.decode()
    assert f"{today + DAY:%d.%m.%Y}, 09:15 Uhr" in html and "Raum 2.14" in html
    page = client.get(reverse("cases:help_plan", args=[help_.case_id, help_.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Mia schläft um acht." in html
    assert f"Mia Beispielkind, {assignment_a.provider.name}" in html
    assert AuditEntry.objects.filter(object_type="helpplan", detail="Hilfeplan").exists()


def test_upcoming_appointments_on_the_start_page(client, users, help_nord, today):
    review = _review(help_nord)
    review_schedule(
        user=users["caseworker"],
        review=review,
        on=today + 3 * DAY,
        time=T(11, 0),
        place="ASD Nord",
    )
    number = help_nord.case.number
    for name, sees in (("caseworker", True), ("team_lead", True), ("caseworker_sued", False)):
        client.force_login(users[name])
        html = client.get(reverse("asd_home")).content.decode()
        section = html.split("Anstehende Hilfeplangespräche", 1)[1].split("</section>", 1)[0]
        assert (number in section) is sees, name
        if sees:
            assert f"{today + 3 * DAY:%d.%m.%Y}, 11:00 Uhr, ASD Nord" in section


def test_plan_pages_of_other_regions_and_for_providers(client, users, assignment_a, case_sued):
    help_ = assignment_a.help
    url = reverse("cases:help_plan", args=[help_.case_id, help_.pk])
    client.force_login(users["caseworker_sued"])
    assert client.get(url).status_code == 404
    client.force_login(users["provider_staff"])
    assert client.get(url).status_code in (403, 404)
    # A help of another case under this case's number: 404.
    client.force_login(users["caseworker"])
    other = intake(user=users["caseworker"], sozialraum=help_.case.sozialraum)
    assert client.get(reverse("cases:help_plan", args=[other.pk, help_.pk])).status_code == 404


def test_a_review_from_before_appointments_stays_valid(db):
    """Rows from before the migration: a date, no time or invitations, open."""
    review = HelpPlanReviewFactory()
    review.full_clean()
    assert (review.is_open, review.is_scheduled, review.place, review.cancel_reason) == (
        True,
        False,
        "",
        "",
    )


def test_the_invited_provider_sees_the_appointment_on_its_assignment(
    client, users, assignment_a, today
):
    review = _review(assignment_a.help)
    client.force_login(users["provider_staff"])
    url = reverse("cases:assignment_detail", args=[assignment_a.pk])
    assert "(noch ohne Termin)" in client.get(url).content.decode()
    review_schedule(
        user=users["caseworker"],
        review=review,
        on=today + 2 * DAY,
        time=T(16, 0),
        place="Familienzentrum",
        invite_provider=True,
    )
    html = client.get(url).content.decode()
    assert f"{today + 2 * DAY:%d.%m.%Y}, 16:00 Uhr, Familienzentrum (Sie sind eingeladen)" in html


def _plan_page_queries(client, help_):
    url = reverse("cases:help_plan", args=[help_.case_id, help_.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_plan_page_queries_do_not_grow_with_reviews_and_invitations(
    client, users, help_nord, today
):
    client.force_login(users["caseworker"])
    client.get(reverse("asd_home"))  # the session's first reads are not the page's
    one = _plan_page_queries(client, help_nord)
    persons = list(help_nord.case.persons.all())
    for day in range(1, 6):  # five meetings held, each scheduled, moved and recorded
        review = _review(help_nord)
        for time in (T(9, 0), T(10, 0)):
            review_schedule(
                user=users["caseworker"],
                review=review,
                on=today,
                time=time,
                place="ASD",
                persons=persons,
                reason="verschoben" if time.hour == 10 else "",
            )
        review_record(
            user=users["caseworker"],
            review=review,
            held_on=today,
            participants="",
            summary=f"Gespräch {day}",
        )
    goal = help_nord.help_plan.goals.get()
    for number in range(5):
        ActionStep.objects.create(goal=goal, text=f"Schritt {number}", owner=StepOwner.FAMILY)
    many = _plan_page_queries(client, help_nord)
    assert many == one
    assert many <= page_query_limit()
