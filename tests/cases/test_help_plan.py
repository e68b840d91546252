"""§ 36 help plans: when reviews fall due, what recording one schedules, who is reminded."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import CaseStatus, HelpPlanReview, PlacementLocation
from cases.selectors import open_reviews_overdue, reviews_overdue_for
from cases.services import (
    add_months,
    case_transition,
    help_decide,
    help_end,
    review_closing_record,
    review_record,
    review_schedule,
)
from tests.cases.conftest import decide, intake
from tests.cases.factories import CaseFactory
from tests.factories import UserFactory

D = datetime.date
T = datetime.time
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # end of a short February
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap day, a year on
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 10, 31), 6, D(2027, 4, 30)),  # across the year, into a 30-day month
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 1, 15), 6, D(2026, 7, 15)),
        (D(2026, 3, 31), 0, D(2026, 3, 31)),
    ],
)
def test_add_months_clips_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def _case_opened(users, sozialraum, opened_on):
    """A case taken in on `opened_on` and in clarification: a help may start from that day."""
    case = intake(user=users["caseworker"], sozialraum=sozialraum, opened_on=opened_on)
    return case_transition(user=users["caseworker"], case=case, to_status=CaseStatus.CLARIFICATION)


def test_without_a_date_the_first_review_follows_the_office_rule(users, sozialraum_nord, spfh):
    """Six months (HELP_PLAN_REVIEW_MONTHS) after the help starts, clipped to the month's end;
    the caseworker may set another date (tests/cases/test_help_plan_appointments.py)."""
    case = _case_opened(users, sozialraum_nord, D(2025, 8, 1))
    help_ = decide(
        user=users["caseworker"],
        case=case,
        help_type=spfh,
        starts_on=D(2025, 8, 31),
        planned_end_on=D(2026, 8, 30),
    )
    assert [r.due_on for r in help_.help_plan.reviews.all()] == [D(2026, 2, 28)]
    case.refresh_from_db()
    assert case.status == CaseStatus.HELP_DECIDED


def test_review_interval_follows_the_setting(settings, users, sozialraum_nord, spfh):
    settings.HELP_PLAN_REVIEW_MONTHS = 3
    case = _case_opened(users, sozialraum_nord, D(2026, 1, 2))
    help_ = decide(user=users["caseworker"], case=case, help_type=spfh, starts_on=D(2026, 1, 10))
    assert help_.help_plan.reviews.get().due_on == D(2026, 4, 10)


def _open_review(help_):
    return help_.help_plan.reviews.get(held_on__isnull=True)


def test_recording_a_review_schedules_the_next_six_months_later(users, help_nord, today):
    review = _open_review(help_nord)
    review_record(
        user=users["caseworker"],
        review=review,
        held_on=today,
        participants="Familie, ASD",
        summary="Es geht voran.",
    )
    review.refresh_from_db()
    assert (review.held_on, review.recorded_by) == (today, users["caseworker"])
    assert _open_review(help_nord).due_on == add_months(today, 6)


def test_recording_a_review_with_a_given_next_date(users, help_nord, today):
    next_due = today + datetime.timedelta(days=60)
    review_record(
        user=users["caseworker"],
        review=_open_review(help_nord),
        held_on=today,
        participants="",
        summary="Kürzerer Abstand",
        next_due_on=next_due,
    )
    assert _open_review(help_nord).due_on == next_due


def test_review_refuses_future_meetings_next_dates_before_it_and_recording_twice(
    users, help_nord, today
):
    review = _open_review(help_nord)
    with pytest.raises(ValidationError) as future:
        review_record(
            user=users["caseworker"],
            review=review,
            participants="",
            summary="x",
            held_on=today + datetime.timedelta(days=1),
        )
    assert "in der Zukunft" in future.value.messages[0]
    with pytest.raises(ValidationError) as earlier:
        review_record(
            user=users["caseworker"],
            review=review,
            participants="",
            summary="x",
            held_on=today,
            next_due_on=today,
        )
    assert earlier.value.message_dict == {
        "next_due_on": ["Das nächste Gespräch muss nach diesem liegen."]
    }
    assert HelpPlanReview.objects.filter(case=help_nord.case).count() == 1

    review_record(
        user=users["caseworker"], review=review, held_on=today, participants="", summary="x"
    )
    with pytest.raises(ValidationError):
        review_record(
            user=users["caseworker"],
            review=review,
            held_on=today,
            participants="",
            summary="nochmal",
        )
    assert HelpPlanReview.objects.filter(case=help_nord.case).count() == 2


def test_ending_a_help_cancels_its_open_appointment_with_a_reason(users, help_nord, today):
    help_end(user=users["caseworker"], help_=help_nord, ended_on=today)
    review = HelpPlanReview.objects.get(case=help_nord.case)  # kept, not deleted
    assert (review.held_on, review.cancelled_on) == (None, today)
    assert review.cancel_reason == f"Die Hilfe ist zum {today:%d.%m.%Y} beendet."
    assert not review.is_open


def test_review_page_records_and_schedules(client, users, help_nord, today):
    client.force_login(users["caseworker"])
    review = _open_review(help_nord)
    response = client.post(
        reverse("cases:review_record", args=[help_nord.case_id, review.pk]),
        {
            "held_on": today.isoformat(),
            "participants": "Familie",
            "summary": "Gut.",
            "next_due_on": "",
        },
    )
    assert response.status_code == 302
    assert _open_review(help_nord).due_on == add_months(today, 6)


# --- overdue reviews ---------------------------------------------------------------------------


@pytest.fixture
def overdue_case(users, sozialraum_nord, spfh, today):
    """A case whose help started seven months ago: its first review is a month overdue."""
    case = intake(
        user=users["caseworker"], sozialraum=sozialraum_nord, opened_on=add_months(today, -8)
    )
    case.status = CaseStatus.CLARIFICATION
    case.save()
    decide(user=users["caseworker"], case=case, help_type=spfh, starts_on=add_months(today, -7))
    return case


@pytest.fixture
def punctual_case(users, sozialraum_nord, spfh, today):
    case = CaseFactory(
        sozialraum=sozialraum_nord,
        steering_caseworker=users["caseworker"],
        status=CaseStatus.CLARIFICATION,
    )
    decide(user=users["caseworker"], case=case, help_type=spfh, starts_on=today)
    return case


def test_overdue_review_on_the_start_page_of_caseworker_and_team_lead(
    client, users, overdue_case, punctual_case, team_nord
):
    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    seen = {}
    for name, user in [*users.items(), ("colleague", colleague)]:
        if name not in ("caseworker", "team_lead", "caseworker_sued", "colleague"):
            continue
        client.force_login(user)
        html = client.get(reverse("asd_home")).content.decode()
        assert "Überfällige Hilfeplangespräche" in html
        seen[name] = overdue_case.number in html
        assert punctual_case.number not in html
    assert seen == {
        "caseworker": True,
        "team_lead": True,
        "caseworker_sued": False,
        "colleague": False,
    }


def test_recorded_review_leaves_the_start_page(client, users, overdue_case, today):
    review = overdue_case.reviews.get()
    review_record(
        user=users["caseworker"],
        review=review,
        held_on=today,
        participants="",
        summary="nachgeholt",
    )
    client.force_login(users["caseworker"])
    html = client.get(reverse("asd_home")).content.decode()
    assert overdue_case.number not in html
    assert "Keine überfälligen Gespräche." in html


def test_case_list_filter_review_overdue(client, users, overdue_case, punctual_case):
    client.force_login(users["team_lead"])
    html = client.get(reverse("cases:list"), {"review_overdue": "on"}).content.decode()
    assert overdue_case.number in html
    assert punctual_case.number not in html
    assert "HPG überfällig" in html
    unfiltered = client.get(reverse("cases:list")).content.decode()
    assert punctual_case.number in unfiltered


# --- placements --------------------------------------------------------------------------------


def test_placement_needs_monthly_cost_and_placement_location(
    users, case_in_clarification, heimerziehung, today
):
    with pytest.raises(ValidationError) as refused:
        help_decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=heimerziehung,
            starts_on=today,
            planned_end_on=add_months(today, 12),
            hours_per_week=Decimal(5),
        )
    assert refused.value.message_dict == {
        "monthly_cost": ["Bei einer Unterbringung sind die monatlichen Kosten nötig."],
        "placement_location": ["Bitte geben Sie an, wo das Kind untergebracht ist."],
    }
    assert not case_in_clarification.helps.exists()

    help_ = help_decide(
        user=users["caseworker"],
        case=case_in_clarification,
        help_type=heimerziehung,
        starts_on=today,
        planned_end_on=add_months(today, 12),
        hours_per_week=Decimal(5),
        monthly_cost=Decimal("5400.00"),
        placement_location=PlacementLocation.REGION,
    )
    assert (help_.monthly_cost, help_.placement_location, help_.hours_per_week) == (
        Decimal("5400.00"),
        PlacementLocation.REGION,
        None,
    )


def test_ambulant_help_needs_hours(users, case_in_clarification, spfh, today):
    with pytest.raises(ValidationError) as refused:
        help_decide(
            user=users["caseworker"],
            case=case_in_clarification,
            help_type=spfh,
            starts_on=today,
            planned_end_on=add_months(today, 12),
        )
    assert "hours_per_week" in refused.value.message_dict


def test_help_page_refuses_placement_without_cost_with_422(
    client, users, case_in_clarification, heimerziehung, today
):
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:help_decide", args=[case_in_clarification.pk]),
        {
            "help_type": str(heimerziehung.pk),
            "hours_per_week": "",
            "monthly_cost": "",
            "placement_location": "",
            "starts_on": today.isoformat(),
            "planned_end_on": add_months(today, 12).isoformat(),
            "rationale": "Rückkehr in die Familie ist derzeit nicht möglich.",
            "goals": [str(case_in_clarification.goals.get().pk)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Bei einer Unterbringung sind die monatlichen Kosten nötig." in html
    assert "Bitte geben Sie an, wo das Kind untergebracht ist." in html
    assert "Rückkehr in die Familie ist derzeit nicht möglich." in html


def test_help_page_shows_the_first_due_date(client, users, sozialraum_nord, spfh):
    case = _case_opened(users, sozialraum_nord, D(2025, 8, 1))
    client.force_login(users["caseworker"])
    response = client.post(
        reverse("cases:help_decide", args=[case.pk]),
        {
            "help_type": str(spfh.pk),
            "hours_per_week": "4,5",
            "monthly_cost": "",
            "placement_location": "",
            "starts_on": "2025-08-31",
            "planned_end_on": "2026-08-30",
            "goals": [str(case.goals.get().pk)],
            "first_review_on": "",  # emptied: the office's rule
        },
        follow=True,
    )
    assert "Das erste Hilfeplangespräch ist am 28.02.2026 fällig." in response.content.decode()
    assert case.helps.get().hours_per_week == Decimal("4.5")


def test_no_help_is_decided_at_intake(users, case_nord, spfh):
    with pytest.raises(ValidationError) as refused:
        decide(user=users["caseworker"], case=case_nord, help_type=spfh)
    assert "zuerst muss der Fall in der Klärung sein" in refused.value.messages[0]


def test_the_start_page_lists_twenty_overdue_reviews_and_links_the_rest(
    client, users, sozialraum_nord, spfh, today, settings
):
    """A team with many overdue reviews: the longest overdue first, the rest in the case list."""
    started = []
    for months in range(7, 7 + 21):  # 21 cases, the oldest help started 27 months ago
        case = CaseFactory(
            sozialraum=sozialraum_nord,
            steering_caseworker=users["caseworker"],
            status=CaseStatus.CLARIFICATION,
            opened_on=add_months(today, -30),
        )
        decide(
            user=users["caseworker"],
            case=case,
            help_type=spfh,
            starts_on=add_months(today, -months),
            planned_end_on=add_months(today, 12),
        )
        started.append(case)
    client.force_login(users["caseworker"])
    html = client.get(reverse("asd_home")).content.decode()
    section = html.split("Überfällige Hilfeplangespräche", 1)[1].split("</section>", 1)[0]
    listed = [case for case in started if f">{case.number}</a>" in section]
    assert listed == started[1:]  # the 20 longest overdue; the most recent one is not shown
    assert "review_overdue=on" in section


def test_ending_a_help_keeps_two_scheduled_reviews_cancelled_not_overdue_and_takes_a_closing_one(
    client, users, help_nord, today
):
    """Issue 27: both appointments stay in the help's history, cancelled with the help's end,
    leave every overdue list (start page, case list filter, selectors), and a closing review
    (Abschlussgespräch) is recorded after the help ended."""
    first = help_nord.help_plan.reviews.get()
    review_schedule(
        user=users["caseworker"], review=first, on=today + DAY * 10, time=T(10, 0), place="ASD"
    )
    second = HelpPlanReview.objects.create(
        help_plan=help_nord.help_plan, case=help_nord.case, due_on=today + DAY * 40
    )
    review_schedule(
        user=users["caseworker"], review=second, on=today + DAY * 40, time=T(9, 0), place="ASD"
    )
    help_end(user=users["caseworker"], help_=help_nord, ended_on=today)
    reviews = list(help_nord.help_plan.reviews.order_by("due_on"))
    assert [r.pk for r in reviews] == [first.pk, second.pk]  # both stay
    assert all(r.cancelled_on == today and r.held_on is None for r in reviews)
    assert all(r.cancel_reason == f"Die Hilfe ist zum {today:%d.%m.%Y} beendet." for r in reviews)

    later = today + DAY * 60  # both appointments' dates have passed
    with time_machine.travel(later, tick=False):
        client.force_login(users["caseworker"])  # inside: the session's idle clock follows
        assert not any(r.is_overdue(later) for r in reviews)
        assert not open_reviews_overdue(later).filter(case=help_nord.case).exists()
        assert not reviews_overdue_for(users["caseworker"]).exists()
        listed = client.get(reverse("cases:list") + "?review_overdue=on").content.decode()
        assert "Fälle" in listed and help_nord.case.number not in listed
        listed = client.get(reverse("cases:list")).content.decode()
        assert help_nord.case.number in listed and "HPG überfällig" not in listed
        start = client.get(reverse("asd_home")).content.decode()
        assert "Keine überfälligen Gespräche." in start
        plan_url = reverse("cases:help_plan", args=[help_nord.case_id, help_nord.pk])
        page = client.get(plan_url).content.decode()
        assert page.count(">abgesagt</span>") == 2 and "überfällig" not in page
        assert "Abschlussgespräch erfassen" in page

        closing_url = reverse("cases:review_closing", args=[help_nord.case_id, help_nord.pk])
        response = client.post(
            closing_url,
            {"held_on": (later + DAY).isoformat(), "participants": "", "summary": ""},
        )
        assert response.status_code == 422  # refused in German, every problem at once
        html = response.content.decode()
        assert "Ein Gespräch in der Zukunft kann nicht erfasst werden." in html
        assert html.count('aria-invalid="true"') + html.count(" is-invalid") >= 2  # and summary
        response = client.post(
            closing_url,
            {
                "held_on": (today + DAY * 5).isoformat(),
                "participants": "Mutter, Kind, Träger",
                "summary": "Ziele erreicht; die Familie kommt allein zurecht.",
            },
        )
        assert response.status_code == 302
    closing = help_nord.help_plan.reviews.get(held_on__isnull=False)
    assert (closing.held_on, closing.recorded_by) == (today + DAY * 5, users["caseworker"])
    assert help_nord.help_plan.reviews.filter(cancelled_on__isnull=False).count() == 2
    assert help_nord.help_plan.reviews.count() == 3  # nothing new planned after the end


def test_a_closing_review_is_refused_while_the_help_runs(users, help_nord, today):
    with pytest.raises(ValidationError) as refused:
        review_closing_record(
            user=users["caseworker"], help_=help_nord, held_on=today, participants="", summary="x"
        )
    assert "nach dem Ende der Hilfe" in refused.value.message_dict["held_on"][0]
