"""The retention job on dated fixtures: what is due is anonymised or deleted, what is not due or
held stays exactly as it was, a second run finds nothing, and the report names no one."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone

from budgets.models import Commitment, LedgerEntry
from cases.models import AuditEntry, Case, CaseKind, Note, Person, PersonRole, RiskAssessment
from portal.celery import app as celery_app
from privacy import services as privacy_services
from privacy.anonymise import PLACEHOLDER
from privacy.models import (
    Action,
    Anchor,
    RecordType,
    RetentionClass,
    RetentionRun,
    RunStatus,
    RunTrigger,
)
from privacy.services import (
    legal_hold_place,
    retention_run_create,
    retention_run_execute,
)
from privacy.tasks import retention_run_scheduled
from reports.models import ReportRequest, ReportState
from sozialraum.models import Agreement, AgreementKind, Provider
from tests.budgets.factories import fiscal_year_build
from tests.privacy.conftest import case_file, project

RELATED = [
    "persons",
    "resources",
    "goals",
    "helps",
    "assignments",
    "notes",
    "reviews",
    "risk_assessments",
    "consultations",
    "status_changes",
]


def snapshot(case: Case) -> dict:
    """Every stored value of a case and the rows of its file, to compare before and after."""
    case = Case.objects.get(pk=case.pk)
    rows = {"case": models.Model.__repr__(case), "fields": _values(case)}
    for name in RELATED:
        rows[name] = [_values(obj) for obj in getattr(case, name).order_by("pk")]
    rows["steps"] = [_values(s) for g in case.goals.order_by("pk") for s in g.steps.order_by("pk")]
    return rows


def _values(obj: models.Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def texts(case: Case) -> str:
    return json.dumps(snapshot(case), default=str, ensure_ascii=False)


def run(**kwargs) -> RetentionRun:
    return retention_run_execute(
        run_id=retention_run_create(trigger=RunTrigger.COMMAND, **kwargs).pk
    )


def row(run_: RetentionRun, record_type: str) -> dict:
    return next(r for r in run_.results if r["record_type"] == record_type)


def configure(retention_class, *, years, anchor, action=None, months=0):
    retention_class.period_years = years
    retention_class.period_months = months
    retention_class.anchor = anchor
    if action:
        retention_class.action = action
    retention_class.save()


@pytest.fixture
def ten_years(released):
    """Case files with and without help: 10 years from the end of the year they closed."""
    for record_type in (RecordType.CASE_WITH_HELP, RecordType.CASE_WITHOUT_HELP):
        configure(released[record_type], years=10, anchor=Anchor.CLOSED_YEAR_END)
    return released


@pytest.fixture
def dated(ten_years, users, sozialraum_nord, today):
    steering = users["caseworker"]

    def file(closed_on, family, **extra):
        return case_file(sozialraum=sozialraum_nord, steering=steering, closed_on=closed_on,
                         family=family, **extra)  # fmt: skip

    cases = {
        "due": file(datetime.date(today.year - 12, 3, 1), "Faellig"),
        "not_due": file(datetime.date(today.year - 9, 3, 1), "Jung"),
        "held": file(datetime.date(today.year - 12, 5, 1), "Gesperrt"),
        "open": file(None, "Offen"),
        "due_no_help": file(datetime.date(today.year - 11, 1, 15), "Ohnehilfe", with_help=False),
    }
    legal_hold_place(
        user=users["team_lead"],
        case_number=cases["held"].number,
        reason="Klage vor dem Verwaltungsgericht, Az. 3 A 12/25",
    )
    return cases


def test_due_case_is_anonymised_and_keeps_its_figures(dated):
    case = dated["due"]
    help_before = case.helps.get()
    assignment_before = case.assignments.get()
    child_before = case.persons.get(role=PersonRole.CHILD)

    report = run()

    case.refresh_from_db()
    assert case.anonymised_at is not None
    assert "Faellig" not in texts(case)
    assert "Sandra" not in texts(case) and "Mia" not in texts(case)
    assert "0461" not in texts(case) and "Lindenweg" not in texts(case)
    assert (case.concern, case.will, case.street, case.house_number, case.postcode) == ("",) * 5
    child = case.persons.get(role=PersonRole.CHILD)
    guardian = case.persons.get(role=PersonRole.GUARDIAN)
    # The year of birth stays for age statistics; the day does not. Other birth dates go.
    assert child.birth_date == datetime.date(child_before.birth_date.year, 7, 1)
    assert guardian.birth_date is None
    assert (child.first_name, child.last_name, child.name_key) == ("", PLACEHOLDER, "")
    assert guardian.phone == "" and guardian.relation == ""
    assert set(case.resources.values_list("description", flat=True)) == {PLACEHOLDER}
    assert set(case.goals.values_list("text", flat=True)) == {PLACEHOLDER}
    assert case.consultations.get().question == PLACEHOLDER
    assert set(case.notes.values_list("text", flat=True)) == {PLACEHOLDER}
    assert case.risk_assessments.get().facts == PLACEHOLDER
    assert set(case.status_changes.values_list("reason", flat=True)) == {""}
    # Figures for statistics and the budget stay as they were.
    help_after = case.helps.get()
    assert (help_after.help_type_id, help_after.starts_on, help_after.hours_per_week) == (
        help_before.help_type_id,
        help_before.starts_on,
        help_before.hours_per_week,
    )
    assert help_after.rationale == ""
    assignment_after = case.assignments.get()
    assert assignment_after.provider_id == assignment_before.provider_id
    assert (assignment_after.instructions, assignment_after.provider_contact) == ("", "")
    assert case.risk_assessments.get().level == "acute"
    assert case.notes.count() == 2 and case.persons.count() == 2
    assert row(report, RecordType.CASE_WITH_HELP) | {"cutoff": None} == {
        "record_type": RecordType.CASE_WITH_HELP,
        "action": Action.ANONYMISE,
        "is_active": True,
        "cutoff": None,
        "due": 1,
        "held": 1,
        "done": 1,
    }
    assert report.status == RunStatus.DONE


def test_not_yet_due_open_and_held_cases_are_untouched(dated):
    before = {key: snapshot(dated[key]) for key in ("not_due", "held", "open")}
    run()
    for key, values in before.items():
        assert snapshot(dated[key]) == values, key


def test_case_without_help_follows_its_own_class(dated):
    report = run()
    case = Case.objects.get(pk=dated["due_no_help"].pk)
    assert case.anonymised_at is not None
    assert row(report, RecordType.CASE_WITHOUT_HELP)["done"] == 1


def test_second_run_finds_nothing_and_changes_nothing(dated):
    run()
    after_first = {key: snapshot(case) for key, case in dated.items()}
    second = run()
    assert {key: snapshot(case) for key, case in dated.items()} == after_first
    assert all(r["done"] == 0 for r in second.results)
    assert all(r["due"] == 0 for r in second.results if r["record_type"] != "audit_entry")


def test_lifting_the_hold_lets_the_next_run_anonymise(dated, users):
    run()
    hold = dated["held"].legal_holds.get()
    privacy_services.legal_hold_lift(
        user=users["team_lead"], hold=hold, reason="Verfahren rechtskräftig abgeschlossen"
    )
    run()
    assert Case.objects.get(pk=dated["held"].pk).anonymised_at is not None


def test_preview_counts_but_changes_nothing(dated):
    before = {key: snapshot(case) for key, case in dated.items()}
    report = run(preview=True)
    assert {key: snapshot(case) for key, case in dated.items()} == before
    assert row(report, RecordType.CASE_WITH_HELP)["due"] == 1
    assert row(report, RecordType.CASE_WITH_HELP)["done"] == 0


def test_class_not_released_only_reports(dated, released):
    released[RecordType.CASE_WITH_HELP].is_active = False
    released[RecordType.CASE_WITH_HELP].save()
    report = run()
    assert Case.objects.get(pk=dated["due"].pk).anonymised_at is None
    assert row(report, RecordType.CASE_WITH_HELP) | {"cutoff": None} == {
        "record_type": RecordType.CASE_WITH_HELP,
        "action": Action.ANONYMISE,
        "is_active": False,
        "cutoff": None,
        "due": 1,
        "held": 1,
        "done": 0,
    }


def test_default_help_file_period_counts_from_the_youngest_childs_birth(
    released, users, sozialraum_nord, today
):
    """§ 9b SGB VIII: 70 years after the 30th birthday, i.e. 100 years after birth."""
    long_ago = datetime.date(today.year - 101, 1, 10)
    old = case_file(
        sozialraum=sozialraum_nord,
        steering=users["caseworker"],
        closed_on=datetime.date(today.year - 80, 6, 1),
        child_born=long_ago,
        family="Altakte",
    )
    sibling_younger = case_file(
        sozialraum=sozialraum_nord,
        steering=users["caseworker"],
        closed_on=datetime.date(today.year - 80, 6, 1),
        child_born=long_ago,
        family="Geschwister",
    )
    sibling_younger.persons.create(
        role=PersonRole.CHILD,
        first_name="Ben",
        last_name="Geschwister",
        birth_date=datetime.date(today.year - 99, 1, 10),
        name_key="geschwister|ben",
    )
    run()
    assert Case.objects.get(pk=old.pk).anonymised_at is not None
    assert Case.objects.get(pk=sibling_younger.pk).anonymised_at is None


def test_notes_can_be_deleted_on_their_own_date_but_only_in_closed_cases(
    released, users, sozialraum_nord, today
):
    configure(released[RecordType.NOTE], years=1, anchor=Anchor.RECORD, action=Action.DELETE)
    closed = case_file(
        sozialraum=sozialraum_nord,
        steering=users["caseworker"],
        closed_on=today - datetime.timedelta(days=30),
        family="Kurz",
    )
    running = case_file(sozialraum=sozialraum_nord, steering=users["caseworker"], closed_on=None)
    # Notes written two years ago (created_at is set on insert; move it back like old data).
    Note.objects.update(created_at=models.F("created_at") - datetime.timedelta(days=800))
    report = run()
    assert closed.notes.count() == 0
    assert running.notes.count() == 2
    assert row(report, RecordType.NOTE)["done"] == 2
    # The rest of the recently closed file is not due yet.
    assert Case.objects.get(pk=closed.pk).anonymised_at is None
    assert "Kurz" in texts(closed)


def test_project_keeps_title_and_numbers_but_loses_free_texts(
    released, users, sozialraum_nord, today
):
    group = project(
        sozialraum=sozialraum_nord,
        steering=users["caseworker"],
        closed_on=datetime.date(today.year - 11, 2, 1),
    )
    run()
    group.refresh_from_db()
    assert group.anonymised_at is not None
    assert (group.project_goals, group.outcome) == ("", "")
    assert group.title.startswith("Gruppe für Alleinerziehende")
    assert group.participants_count == 12 and group.kind == CaseKind.CROSS_CASE


def test_ledger_and_commitment_of_an_anonymised_case_are_untouched(dated, users, today):
    case = dated["due"]
    assignment = case.assignments.get()
    for provider in Provider.objects.all():
        Agreement.objects.create(
            provider=provider,
            kind=AgreementKind.SERVICE,
            title="Leistungsvereinbarung",
            hourly_rate=Decimal("60.00"),
            valid_from=datetime.date(2000, 1, 1),
        )
    # Opening the year binds the help that runs in it, as the budget office does.
    fiscal_year_build(
        planner=users["planner"],
        year=assignment.starts_on.year,
        shares={"N": Decimal("500000.00"), "S": Decimal("400000.00")},
    )
    commitment = Commitment.objects.get(assignment=assignment)
    assert commitment.entries.exists()
    ledger_before = list(LedgerEntry.objects.order_by("pk").values())
    commitment_before = Commitment.objects.filter(pk=commitment.pk).values().get()
    run()
    assert Case.objects.get(pk=case.pk).anonymised_at is not None
    assert list(LedgerEntry.objects.order_by("pk").values()) == ledger_before
    assert Commitment.objects.filter(pk=commitment.pk).values().get() == commitment_before
    # The title names the help and the case number, never a person.
    assert case.number in commitment.title and "Faellig" not in commitment.title


def test_audit_entries_are_reported_never_deleted(dated, users, client, today):
    client.force_login(users["caseworker"])
    client.get(reverse("cases:detail", args=[dated["due"].pk]))
    client.get(reverse("cases:detail", args=[dated["held"].pk]))
    count = AuditEntry.objects.count()
    report = run(preview=True, on_day=today + datetime.timedelta(days=4 * 366))
    audit = row(report, RecordType.AUDIT_ENTRY)
    assert audit["action"] == Action.REPORT_ONLY
    assert audit["held"] >= 1  # entries of the held case are not offered for deletion
    assert audit["due"] + audit["held"] == count
    assert audit["done"] == 0
    run()
    assert AuditEntry.objects.count() == count


def test_report_names_no_one(dated):
    report = run()
    stored = json.dumps(report.results, ensure_ascii=False)
    for family in ("Faellig", "Gesperrt", "Jung", "Mia", "Sandra", "Lindenweg"):
        assert family not in stored
    assert {tuple(sorted(r)) for r in report.results} == {
        ("action", "cutoff", "done", "due", "held", "is_active", "record_type")
    }
    assert all(isinstance(r["due"], int) for r in report.results)


def test_only_a_preview_may_look_at_another_day(db, today):
    with pytest.raises(CommandError, match="Vorschau"):
        call_command("retention_run", stichtag=today + datetime.timedelta(days=1))


def test_management_command_runs_and_prints_counts(dated, capsys):
    call_command("retention_run")
    out = capsys.readouterr().out
    assert "Fallakten mit Hilfe" in out and "erledigt 1" in out
    assert RetentionRun.objects.get().trigger == RunTrigger.COMMAND
    assert Case.objects.get(pk=dated["due"].pk).anonymised_at is not None


def test_nightly_task_is_scheduled_and_runs(dated):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert any(e["task"] == "privacy.retention_run_scheduled" for e in schedule.values())
    run_id = retention_run_scheduled.apply().get()  # as the worker runs it, here in-process
    scheduled = RetentionRun.objects.get(pk=run_id)
    assert scheduled.trigger == RunTrigger.SCHEDULE and scheduled.status == RunStatus.DONE
    assert Case.objects.get(pk=dated["due"].pk).anonymised_at is not None


def test_a_failed_run_is_recorded_without_its_message(dated, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("Faellig, Mia")

    monkeypatch.setattr(privacy_services, "_retention_apply", boom)
    with pytest.raises(CommandError, match="abgebrochen"):
        call_command("retention_run")
    failed = RetentionRun.objects.get()
    assert (failed.status, failed.error) == (RunStatus.FAILED, "RuntimeError")


@pytest.fixture
def tasks_in_process(monkeypatch):
    """Run queued tasks in this process even when REDIS_URL names a broker (no worker here)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def test_admin_starts_a_run_in_the_portal(
    dated, users, client, django_capture_on_commit_callbacks, tasks_in_process
):
    client.force_login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:run_list"), {"mode": "ausfuehren"})
    started = RetentionRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("privacy:run_detail", args=[started.pk])
    assert started.trigger == RunTrigger.PORTAL and started.started_by == users["admin"]
    page = client.get(response.url).content.decode()
    assert "abgeschlossen" in page and "Fallakten mit Hilfe" in page
    assert Case.objects.get(pk=dated["due"].pk).anonymised_at is not None


def test_admin_changes_a_period_in_the_portal(released, users, client):
    retention_class = released[RecordType.CASE_WITHOUT_HELP]
    client.force_login(users["admin"])
    url = reverse("privacy:retention_class_edit", args=[retention_class.pk])
    data = {
        "period_years": "6",
        "period_months": "0",
        "anchor": Anchor.CLOSED,
        "action": Action.ANONYMISE,
        "legal_basis": "Beschluss der Amtsleitung vom 1. 3. 2026 nach Prüfung durch den DSB.",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    retention_class.refresh_from_db()
    assert (retention_class.period_years, retention_class.anchor) == (6, Anchor.CLOSED)
    assert retention_class.changed_by == users["admin"]
    # A start point that does not fit the record type is refused in German, nothing saved.
    refused = client.post(url, data | {"anchor": Anchor.RECORD, "period_years": "1"})
    assert refused.status_code == 422
    assert "Auswahl" in refused.content.decode() or "passt nicht" in refused.content.decode()
    retention_class.refresh_from_db()
    assert retention_class.period_years == 6


def test_every_record_type_has_a_default_class_not_yet_released(db):
    privacy_services.retention_classes_ensure()  # as migration 0002 seeds them
    classes = RetentionClass.objects.all()
    assert {c.record_type for c in classes} == set(RecordType.values)
    assert not any(c.is_active for c in classes)
    assert all("Datenschutzbeauftragten zu prüfen" in c.legal_basis for c in classes)


def test_anonymised_persons_are_no_longer_found_by_name(dated):
    run()
    assert not Person.objects.filter(name_key__startswith="faellig|").exists()
    assert RiskAssessment.objects.filter(facts__contains="Faellig").count() == 0


def test_old_report_files_are_deleted_with_their_pdf(
    released, users, settings, tmp_path, today, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path

    def report(requested_years_ago: int) -> ReportRequest:
        request = ReportRequest.objects.create(
            period_start=datetime.date(today.year - requested_years_ago, 1, 1),
            period_end=datetime.date(today.year - requested_years_ago, 12, 31),
            requested_by=users["planner"],
            content={},
        )
        request.pdf.save(f"bericht-{request.public_id}.pdf", ContentFile(b"%PDF-1.7"), save=False)
        request.state = ReportState.DONE
        request.save()
        ReportRequest.objects.filter(pk=request.pk).update(
            requested_at=timezone.now() - datetime.timedelta(days=366 * requested_years_ago)
        )
        return request

    old, recent = report(12), report(3)
    old_file = Path(old.pdf.path)
    with django_capture_on_commit_callbacks(execute=True):
        report_run = run()
    assert row(report_run, RecordType.REPORT_FILE)["done"] == 1
    assert not ReportRequest.objects.filter(pk=old.pk).exists()
    assert not old_file.exists()
    assert ReportRequest.objects.filter(pk=recent.pk).exists()
    assert Path(recent.pdf.path).exists()


def test_anonymising_a_case_empties_the_sozialraumteams_texts_about_it(dated):
    from meetings.models import (
        AgendaItem,
        AgendaReason,
        ConsultationRequest,
        FamilyGroupConference,
        Idea,
        TeamMeeting,
    )

    case = dated["due"]
    author = case.steering_caseworker
    meeting = TeamMeeting.objects.create(
        region=case.region, date=datetime.date(2020, 3, 2), created_by=author
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        reason=AgendaReason.INTAKE,
        discussion="Sandra braucht abends Entlastung",
    )
    Idea.objects.create(item=item, text="Oma von Sandra fragen", proposed_by=author)
    ConsultationRequest.objects.create(
        case=case, question="Wie erreichen wir Mia?", requested_by=author
    )
    FamilyGroupConference.objects.create(
        case=case,
        coordinator_name="Birgit Sommer",
        coordinator_organisation="Familienrat-Büro",
        participants="Sandra, Mia, Opa Heinz",
        plan="Opa Heinz holt Mia dienstags ab.",
        plan_goals="Mia hat dienstags jemanden.",
        created_by=author,
    )

    run()

    item.refresh_from_db()
    assert item.discussion == ""
    assert Idea.objects.get(item=item).text == PLACEHOLDER
    assert ConsultationRequest.objects.get(case=case).question == PLACEHOLDER
    conference = FamilyGroupConference.objects.get(case=case)
    assert (conference.participants, conference.plan, conference.plan_goals) == ("", "", "")
    # That the case was on the agenda, and when, stays.
    assert AgendaItem.objects.filter(meeting=meeting, case=case).exists()
