"""The audit trail: one entry per view or change, never personal data, never rewritten."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import (
    AuditAction,
    AuditEntry,
    Case,
    HelpPlanReview,
    RiskAcknowledgement,
    RiskAssessment,
)
from tests.cases.db_refusal import AUDIT_TRIGGER_FUNCTION, audit_trigger_message, refused
from tests.cases.test_intake import intake_post
from tests.factories import ids_from


def test_viewing_a_case_writes_exactly_one_entry(client, users, case_nord):
    client.force_login(users["team_lead"])
    before = AuditEntry.objects.count()
    assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 200
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.first()  # newest first
    assert (
        entry.user,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.case_number,
        entry.detail,
    ) == (users["team_lead"], AuditAction.VIEW, "case", case_nord.pk, case_nord.number, "Fallakte")


def test_a_refused_view_writes_no_entry(client, users, case_nord):
    client.force_login(users["caseworker_sued"])
    before = AuditEntry.objects.count()
    assert client.get(reverse("cases:detail", args=[case_nord.pk])).status_code == 404
    assert AuditEntry.objects.count() == before


def test_viewing_an_assignment_and_a_person_is_audited(client, users, assignment_a):
    client.force_login(users["provider_staff"])
    client.get(reverse("cases:assignment_detail", args=[assignment_a.pk]))
    entry = AuditEntry.objects.first()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        users["provider_staff"],
        AuditAction.VIEW,
        "assignment",
        assignment_a.pk,
    )
    person = assignment_a.case.persons.first()
    client.force_login(users["caseworker"])
    client.get(reverse("cases:person_edit", args=[assignment_a.case_id, person.pk]))
    entry = AuditEntry.objects.first()
    assert (entry.action, entry.object_type, entry.object_id, entry.case_number) == (
        AuditAction.VIEW,
        "person",
        person.pk,
        assignment_a.case.number,
    )


def test_changes_write_entries(client, users, case_nord):
    client.force_login(users["caseworker"])
    client.post(
        reverse("budgets:case_transition", args=[case_nord.pk]),
        {"to_status": "clarification", "end_reason": "", "reason": "los", "confirmed": "True"},
    )
    client.post(reverse("cases:goal_add", args=[case_nord.pk]), {"text": "Neues Ziel"})
    entries = list(
        AuditEntry.objects.filter(case_number=case_nord.number)
        .order_by("id")
        .values_list("action", "object_type", "detail")
    )
    assert entries == [
        (AuditAction.CREATE, "case", "Falleingang"),
        (AuditAction.CHANGE, "case", "Statuswechsel"),
        (AuditAction.CREATE, "goal", "Ziel ergänzt"),
    ]


# --- no personal data ---------------------------------------------------------------------

SECRETS = ["Xaverine", "Quendelbach", "Ottokar", "Zwirbelmeier", "Lindenweg", "Wackelzahn"]


def test_no_audit_entry_holds_a_name_an_address_or_a_text(
    client, users, street_nord, provider_a_in_nord, spfh, today
):
    caseworker = users["caseworker"]
    client.force_login(caseworker)
    persons = [
        {
            "role": "child",
            "first_name": "Xaverine",
            "last_name": "Quendelbach",
            "birth_date": "2016-02-02",
        },
        {"role": "guardian", "first_name": "Ottokar", "last_name": "Zwirbelmeier"},
    ]
    data = intake_post(caseworker=caseworker, persons=persons, street="Lindenweg")
    data["concern"] = "Wackelzahn und Schlafprobleme"
    assert client.post(reverse("cases:intake"), data).status_code == 302
    case = Case.objects.get()
    child = case.persons.get(role="child")
    steps = [
        ("cases:detail", [case.pk], None),
        (
            "budgets:case_transition",
            [case.pk],
            {"to_status": "clarification", "reason": "Quendelbach", "confirmed": "True"},
        ),
        ("cases:person_edit", [case.pk, child.pk], None),
        (
            "cases:person_edit",
            [case.pk, child.pk],
            {
                "role": "child",
                "first_name": "Xaverine",
                "last_name": "Quendelbach-Zwirbelmeier",
                "birth_date": "2016-02-02",
            },
        ),
        ("cases:resource_add", [case.pk], {"kind": "social", "description": "Ottokar hilft"}),
        (
            "cases:help_decide",
            [case.pk],
            {
                "help_type": str(spfh.pk),
                "hours_per_week": "3",
                "starts_on": today.isoformat(),
                "planned_end_on": (today + datetime.timedelta(days=300)).isoformat(),
                "rationale": "für Xaverine",
                "new_goal_1": "Xaverine schläft durch",  # the Hilfeplan's goal
            },
        ),
        ("cases:note_add", [case.pk], {"text": "Gespräch mit Ottokar Zwirbelmeier"}),
        (
            "cases:risk_add",
            [case.pk],
            {
                "children": [child.pk],
                "known_on": today.isoformat(),
                "known_channel": "phone",
                "source": "other",
                "source_detail": "Ottokar Zwirbelmeier",
                "facts": "Xaverine weint oft",
                "level": "latent",
                "assessors": [caseworker.pk, users["team_lead"].pk],
                "child_seen": "on",
                "child_seen_on": today.isoformat(),
                "child_seen_by": "Ottokar",
            },
        ),
    ]
    for name, args, post in steps:
        url = reverse(name, args=args)
        response = client.post(url, post) if post is not None else client.get(url)
        assert response.status_code in (200, 302), (name, response.status_code)
    help_ = case.helps.get()
    client.post(
        reverse("budgets:commission", args=[case.pk, help_.pk]),
        {
            "provider": str(provider_a_in_nord.provider_id),
            "starts_on": today.isoformat(),
            "ends_on": help_.planned_end_on.isoformat(),
            "provider_contact": "Ottokar",
            "instructions": "Xaverine begleiten",
        },
    )
    assignment = case.assignments.get()
    client.force_login(users["provider_staff"])
    client.get(reverse("cases:assignment_detail", args=[assignment.pk]))
    client.post(
        reverse("cases:assignment_note", args=[assignment.pk]),
        {"kind": "progress", "text": "Xaverine Quendelbach war fröhlich"},
    )
    client.post(
        reverse("cases:assignment_risk", args=[assignment.pk]),
        {
            "children": [child.pk],
            "known_on": today.isoformat(),
            "known_channel": "own",
            "source": "youth_welfare",
            "facts": "Zwirbelmeier droht",
            "level": "acute",
            "assessors": [users["provider_staff"].pk],
            "experienced_professional": "Ottokar Quendelbach",
        },
    )
    for user, role in ((caseworker, "steering"), (users["team_lead"], "team_lead")):
        client.force_login(user)
        for risk in RiskAssessment.objects.all():
            client.get(reverse("cases:risk_detail", args=[risk.pk]))
            client.post(reverse("cases:risk_acknowledge", args=[risk.pk]), {"role": role})
    client.force_login(caseworker)
    review = HelpPlanReview.objects.get(case=case)
    client.post(
        reverse("cases:review_record", args=[case.pk, review.pk]),
        {"held_on": today.isoformat(), "participants": "Ottokar", "summary": "Xaverine gut"},
    )

    # The journey really happened, so the scan below covers every kind of entry.
    # The caseworker's own assessment needs only the team lead; the provider's both roles.
    assert RiskAcknowledgement.objects.count() == 3
    assert case.notes.count() == 2
    assert HelpPlanReview.objects.filter(case=case, held_on=today).exists()
    entries = list(AuditEntry.objects.all())
    assert len(entries) >= 15
    assert {e.action for e in entries} >= {"view", "create", "change"}
    for entry in entries:
        for field in AuditEntry._meta.concrete_fields:
            value = str(field.value_from_object(entry)).casefold()
            for secret in SECRETS:
                assert secret.casefold() not in value, (field.name, value)


# --- append-only --------------------------------------------------------------------------


@pytest.fixture
def entry(users, case_nord):
    return AuditEntry.objects.filter(case_number=case_nord.number).first()


def test_model_refuses_to_change_or_delete_an_entry(entry):
    entry.detail = "umgeschrieben"
    with pytest.raises(ValueError, match="nicht geändert"):
        entry.save()
    with pytest.raises(ValueError, match="nicht gelöscht"):
        entry.delete()
    entry.refresh_from_db()
    assert entry.detail == "Falleingang"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE cases_auditentry SET detail = 'umgeschrieben' WHERE id = %s", "UPDATE"),
        ("DELETE FROM cases_auditentry WHERE id = %s", "DELETE"),
    ],
)
def test_database_refuses_raw_update_and_delete(entry, sql, operation):
    message = audit_trigger_message(operation)
    with refused(message=message, by=AUDIT_TRIGGER_FUNCTION), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.detail == "Falleingang"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)
def test_database_refuses_queryset_update_and_delete(entry):
    with refused(message=audit_trigger_message("UPDATE"), by=AUDIT_TRIGGER_FUNCTION):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="x")
    with refused(message=audit_trigger_message("DELETE"), by=AUDIT_TRIGGER_FUNCTION):
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    assert AuditEntry.objects.filter(pk=entry.pk, detail="Falleingang").exists()


# --- the admin page -----------------------------------------------------------------------

LOG = reverse("cases:audit_log")


def test_admin_audit_page_lists_and_filters(client, users, case_nord, case_sued):
    client.force_login(users["caseworker"])
    client.get(reverse("cases:detail", args=[case_nord.pk]))
    client.force_login(users["admin"])

    html = client.get(LOG).content.decode()
    assert case_nord.number in html and case_sued.number in html
    assert users["caseworker"].username in html

    html = client.get(LOG, {"case_number": case_nord.number.lower()}).content.decode()
    assert case_nord.number in html and case_sued.number not in html

    html = client.get(LOG, {"user": users["caseworker_sued"].username}).content.decode()
    assert case_sued.number in html and case_nord.number not in html

    response = client.get(LOG, {"action": "view"})
    html = response.content.decode()
    assert "Fallakte" in html and "Falleingang" not in html


def test_audit_page_pages_by_id(client, users, case_nord, settings):
    settings.CASE_LIST_PAGE_SIZE = 2
    ids_from(AuditEntry, 1000)  # a link to "nach=1000" must not read "nach=1.000"
    for _ in range(3):
        AuditEntry.objects.create(
            user=users["caseworker"],
            action="view",
            object_type="case",
            object_id=case_nord.pk,
            case_number=case_nord.number,
            detail="Fallakte",
        )
    client.force_login(users["admin"])

    # Filtered to the case: entries other work writes meanwhile (a live server thread of the
    # browser tests commits its own) cannot shift the pages.
    only_this_case = {"case_number": case_nord.number}
    newest_first = list(
        AuditEntry.objects.filter(case_number=case_nord.number)
        .order_by("-id")
        .values_list("id", flat=True)
    )
    first = client.get(LOG, only_this_case).content.decode()
    assert f"nach={newest_first[1]}" in first
    second = client.get(LOG, {**only_this_case, "nach": newest_first[1]}).content.decode()
    assert first.count("<tr><td>") == 2 and second.count("<tr><td>") == 2
    assert "Falleingang" not in first and "Falleingang" in second
    assert "nach=" not in second.split("</table>")[1]  # four entries: no third page


@pytest.mark.parametrize(
    "role", ["caseworker", "team_lead", "provider_staff", "planner", "caseworker_sued"]
)
def test_audit_page_is_403_for_everyone_but_admins(client, users, role):
    client.force_login(users[role])
    assert client.get(LOG).status_code == 403


def test_audit_page_needs_login(client, db):
    assert client.get(LOG).status_code == 302
