"""Deputies (Vertretung): a deputy acts on the absent person's cases during the period, every
step says "in Vertretung", and the access ends with the period or when the deputyship is ended.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import AuditAction, AuditEntry, CaseStatus, Note
from cases.services import case_transition
from sozialraum.models import Deputy
from sozialraum.services import deputy_end, deputy_set
from tests.factories import UserFactory


def _at(day: datetime.date):
    """Ten o'clock in the office's time zone on `day`, with the clock standing still."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return time_machine.travel(moment, tick=False)


def _name(user) -> str:
    return user.get_full_name()


@pytest.fixture
def week(today):
    return today, today + datetime.timedelta(days=6)


@pytest.fixture
def deputy_sued(users, case_nord, week):
    """The Nord team lead sets a Süd caseworker as the Nord caseworker's deputy for a week."""
    deputy_set(
        user=users["team_lead"],
        absent=users["caseworker"],
        deputy=users["caseworker_sued"],
        starts_on=week[0],
        ends_on=week[1],
    )
    return users["caseworker_sued"]


def test_deputy_acts_during_the_period_and_gets_404_the_day_after(
    client, users, case_nord, deputy_sued, week
):
    absent = users["caseworker"]
    client.force_login(deputy_sued)
    detail = reverse("cases:detail", args=[case_nord.pk])
    page = client.get(detail)
    assert page.status_code == 200
    assert f"in Vertretung für {_name(absent)}" in page.content.decode()

    response = client.post(
        reverse("cases:note_add", args=[case_nord.pk]),
        {
            "contact_on": week[0].isoformat(),
            "contact_kind": "phone",
            "text": "Mutter rief an, alles ruhig.",
            "internal": "on",
        },
    )
    assert response.status_code == 302
    note = Note.objects.get(case=case_nord, author=deputy_sued)
    assert note.on_behalf_of == absent
    created = AuditEntry.objects.get(
        user=deputy_sued, action=AuditAction.CREATE, object_type="note", object_id=note.pk
    )
    assert created.on_behalf_of == absent
    assert AuditEntry.objects.filter(
        user=deputy_sued, action=AuditAction.VIEW, case_number=case_nord.number
    ).exclude(on_behalf_of=None)

    case_transition(user=deputy_sued, case=case_nord, to_status=CaseStatus.CLARIFICATION)
    change = case_nord.status_changes.last()
    assert change.changed_by == deputy_sued and change.on_behalf_of == absent

    html = client.get(detail).content.decode()
    assert html.count(f"in Vertretung für {_name(absent)}") >= 3  # banner, note, history
    start = client.get(reverse("asd_home")).content.decode()
    assert f"In Vertretung für {_name(absent)}" in start
    assert case_nord.number in start

    with _at(week[1]):
        client.force_login(deputy_sued)
        assert client.get(detail).status_code == 200
    with _at(week[1] + datetime.timedelta(days=1)):
        client.force_login(deputy_sued)
        assert client.get(detail).status_code == 404
        assert client.get(reverse("cases:note_add", args=[case_nord.pk])).status_code == 404
        assert "In Vertretung für" not in client.get(reverse("asd_home")).content.decode()
    # What she wrote stays, marked as written in deputyship.
    client.force_login(absent)
    assert f"in Vertretung für {_name(absent)}" in client.get(detail).content.decode()


def test_a_planned_deputyship_gives_no_access_before_it_starts(client, users, case_nord, today):
    start = today + datetime.timedelta(days=3)
    deputy_set(
        user=users["team_lead"],
        absent=users["caseworker"],
        deputy=users["caseworker_sued"],
        starts_on=start,
        ends_on=start + datetime.timedelta(days=2),
    )
    client.force_login(users["caseworker_sued"])
    assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 404
    with _at(start):
        client.force_login(users["caseworker_sued"])
        assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 200


def test_a_colleague_deputy_changes_during_the_period_and_reads_after_it(
    client, users, case_nord, team_nord, week
):
    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    deputy_set(
        user=users["caseworker"],
        absent=users["caseworker"],
        deputy=colleague,
        starts_on=week[0],
        ends_on=week[1],
    )
    note_add = reverse("cases:note_add", args=[case_nord.pk])
    client.force_login(colleague)
    assert client.get(note_add).status_code == 200
    with _at(week[1] + datetime.timedelta(days=1)):
        client.force_login(colleague)
        assert client.get(note_add).status_code == 403
        assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 200


def test_ending_a_deputyship_ends_the_access_at_once(client, users, case_nord, deputy_sued):
    deputyship = Deputy.objects.get(deputy=deputy_sued)
    client.force_login(users["team_lead"])
    response = client.post(reverse("deputy_end", args=[deputyship.pk]))
    assert response.status_code == 302
    deputyship.refresh_from_db()
    assert deputyship.ended_at is not None and deputyship.ended_by == users["team_lead"]
    client.force_login(deputy_sued)
    assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 404


def test_a_deputy_of_another_region_cannot_hand_over_the_steering(client, users, case_nord, week):
    lead_sued = UserFactory(role="team_lead", asd_team=users["caseworker_sued"].asd_team)
    deputy_set(
        user=users["team_lead"],
        absent=users["caseworker"],
        deputy=lead_sued,
        starts_on=week[0],
        ends_on=week[1],
    )
    client.force_login(lead_sued)
    assert client.get(reverse("cases:note_add", args=[case_nord.pk])).status_code == 200
    assert client.get(reverse("cases:steering", args=[case_nord.pk])).status_code == 403
    assert (
        "Fallsteuerung übergeben"
        not in client.get(reverse("cases:detail", args=[case_nord.pk])).content.decode()
    )


# --- the page -----------------------------------------------------------------------------------


def _post(client, **data):
    return client.post(reverse("deputy_list"), {k: str(v) for k, v in data.items()})


def test_caseworker_sets_and_ends_her_own_deputy_on_the_page(client, users, team_nord, week):
    colleague = UserFactory(role="caseworker", asd_team=team_nord, first_name="Berta")
    client.force_login(users["caseworker"])
    page = client.get(reverse("deputy_list"))
    assert page.status_code == 200
    response = _post(
        client,
        absent=users["caseworker"].pk,
        deputy=colleague.pk,
        starts_on=week[0],
        ends_on=week[1],
    )
    assert response.status_code == 302
    deputyship = Deputy.objects.get(absent=users["caseworker"])
    assert deputyship.deputy == colleague and deputyship.set_by == users["caseworker"]
    html = client.get(reverse("deputy_list")).content.decode()
    assert "Berta" in html and "läuft" in html
    assert client.post(reverse("deputy_end", args=[deputyship.pk])).status_code == 302
    # The colleague sees it in her list, but only the absent person and the lead end it.
    client.force_login(colleague)
    assert "Berta" in client.get(reverse("deputy_list")).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ends_on": -1}, "Das Ende der Vertretung liegt vor ihrem Beginn."),
        ({"deputy": "absent"}, "Eine Fachkraft kann sich nicht selbst vertreten."),
        ({"overlap": True}, "Für diesen Zeitraum ist schon eine Vertretung eingetragen"),
        ({"starts_on": -9, "ends_on": -2}, "Das Ende der Vertretung liegt in der Vergangenheit."),
    ],
)
def test_bad_periods_and_people_are_refused_in_german(
    client, users, team_nord, today, change, message
):
    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    absent = users["caseworker"]
    if change.get("overlap"):
        deputy_set(
            user=users["team_lead"],
            absent=absent,
            deputy=UserFactory(role="caseworker", asd_team=team_nord),
            starts_on=today + datetime.timedelta(days=4),
            ends_on=today + datetime.timedelta(days=20),
        )
    data = {
        "absent": absent.pk,
        "deputy": absent.pk if change.get("deputy") == "absent" else colleague.pk,
        "starts_on": today + datetime.timedelta(days=change.get("starts_on", 0)),
        "ends_on": today + datetime.timedelta(days=change.get("ends_on", 7)),
    }
    before = Deputy.objects.count()
    client.force_login(users["team_lead"])
    response = _post(client, **data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'value="{data["ends_on"].isoformat()}"' in html  # what was typed stays
    assert Deputy.objects.count() == before


def test_caseworker_cannot_set_a_deputy_for_someone_else_or_from_another_region(
    client, users, team_nord, week
):
    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    client.force_login(users["caseworker"])
    for absent, deputy in (
        (colleague, users["caseworker"]),
        (users["caseworker"], users["caseworker_sued"]),
    ):
        response = _post(
            client, absent=absent.pk, deputy=deputy.pk, starts_on=week[0], ends_on=week[1]
        )
        assert response.status_code == 422
    assert not Deputy.objects.exists()


def test_team_lead_may_choose_a_deputy_of_another_region(client, users, week):
    client.force_login(users["team_lead"])
    response = _post(
        client,
        absent=users["caseworker"].pk,
        deputy=users["caseworker_sued"].pk,
        starts_on=week[0],
        ends_on=week[1],
    )
    assert response.status_code == 302
    assert Deputy.objects.get().deputy == users["caseworker_sued"]


def test_deputy_page_is_for_asd_staff_and_foreign_deputyships_are_not_found(
    client, users, deputy_sued
):
    for role in ("planner", "provider_staff"):
        client.force_login(users[role])
        assert client.get(reverse("deputy_list")).status_code == 403
    other_lead = UserFactory(role="team_lead", asd_team=users["caseworker_sued"].asd_team)
    client.force_login(other_lead)
    deputyship = Deputy.objects.get()
    assert client.post(reverse("deputy_end", args=[deputyship.pk])).status_code == 404
    # The deputy sees it but may not end it.
    client.force_login(deputy_sued)
    response = client.post(reverse("deputy_end", args=[deputyship.pk]), follow=True)
    assert "Diese Vertretung können Sie nicht beenden." in response.content.decode()
    deputyship.refresh_from_db()
    assert deputyship.ended_at is None


def test_service_refuses_what_the_page_cannot_send(users, team_nord, week):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        deputy_set(
            user=users["caseworker"],
            absent=users["caseworker"],
            deputy=users["planner"],
            starts_on=week[0],
            ends_on=week[1],
        )
    assert "Vertreten kann nur eine aktive Fachkraft des ASD." in refused.value.messages
    deputyship = deputy_set(
        user=users["caseworker"],
        absent=users["caseworker"],
        deputy=users["team_lead"],
        starts_on=week[0],
        ends_on=week[1],
    )
    deputy_end(user=users["caseworker"], deputyship=deputyship)
    with pytest.raises(ValidationError):
        deputy_end(user=users["caseworker"], deputyship=deputyship)


def test_audit_log_names_whom_the_deputy_covered(client, users, case_nord, deputy_sued):
    client.force_login(deputy_sued)
    assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 200
    client.force_login(users["admin"])
    html = client.get(reverse("cases:audit_log")).content.decode()
    assert f"{deputy_sued.username} in Vertretung für {users['caseworker'].username}" in html


def test_the_account_page_links_the_deputies_page_for_asd_staff_only(client, users):
    client.force_login(users["caseworker"])
    assert reverse("deputy_list") in client.get(reverse("account")).content.decode()
    client.force_login(users["planner"])
    assert reverse("deputy_list") not in client.get(reverse("account")).content.decode()
