"""The life of a report request: stored first, queued after commit with its id only, kept when
Redis is down, rendered once however often its message arrives, failures shown and retried."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import rendering, services
from reports.models import ReportRequest, ReportState
from reports.tasks import report_render
from tests.reports.conftest import post_report, request_report


@pytest.fixture
def sent(monkeypatch):
    """Messages handed to the broker (nothing runs): a list of the task arguments."""
    calls = []

    def record(*, args, **options):
        calls.append(list(args))  # a tuple or a list: the broker gets the same message

    monkeypatch.setattr(report_render, "apply_async", record)
    return calls


@pytest.fixture
def broker_down(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_render, "apply_async", refuse)


def test_a_committed_request_is_queued_once_with_only_its_id(
    users, django_capture_on_commit_callbacks, sent
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(users["planner"], regions=[users["caseworker"].asd_team.region])
    assert sent == [[report.pk]]
    report.refresh_from_db()
    assert report.state == ReportState.WAITING
    assert report.queued_at is not None


def test_a_rolled_back_request_queues_nothing(users, django_capture_on_commit_callbacks, sent):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        request_report(users["planner"])
        raise RuntimeError("the surrounding work failed")
    assert callbacks == []
    assert sent == []
    assert not ReportRequest.objects.exists()


def test_nothing_is_queued_before_the_commit(users, django_capture_on_commit_callbacks, sent):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_report(users["planner"])
        assert sent == []  # stored, not yet handed over
    assert len(callbacks) == 1


@pytest.mark.usefixtures("broker_down", "committing")
def test_redis_down_keeps_the_request_and_says_so(client, users, town):
    client.force_login(users["planner"])
    response = post_report(client, [s.region_id for s in town.values()], follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Redis" in html and "nicht erreichbar" in html
    assert "automatisch gestartet" in html
    report = ReportRequest.objects.get()
    assert (report.state, report.queued_at) == (ReportState.WAITING, None)
    # The rest of the portal keeps working.
    assert client.get(reverse("budgets:overview")).status_code == 200
    assert client.get(reverse("reports:list")).status_code == 200


def test_the_periodic_check_queues_what_waited_for_redis(
    users, django_capture_on_commit_callbacks, monkeypatch, settings, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(users["planner"])
    assert services.reports_check().queued == 0  # still down: still waiting, nothing lost
    report.refresh_from_db()
    assert report.waits_for_broker

    sent = []
    monkeypatch.setattr(report_render, "apply_async", lambda *, args, **kw: sent.append(list(args)))
    result = services.reports_check()
    assert (result.queued, sent) == (1, [[report.pk]])
    report.refresh_from_db()
    assert report.queued_at is not None and not report.waits_for_broker
    # Queued a moment ago: the next check leaves it alone.
    assert services.reports_check().queued == 0


def _render(report, task_id="message-1"):
    return services.report_render(report_id=report.pk, task_id=task_id)


def test_rendering_twice_leaves_one_report_and_one_file(
    users, year_2025, fast_pdf, sent, report_files
):
    report = request_report(users["planner"])
    assert _render(report).rendered
    first = ReportRequest.objects.get(pk=report.pk)
    assert _render(report, "message-2").reason == "nothing to do"
    assert _render(report).reason == "nothing to do"
    again = ReportRequest.objects.get(pk=report.pk)
    assert len(fast_pdf) == 1
    assert (again.state, again.pdf.name, again.finished_at) == (
        ReportState.DONE,
        first.pdf.name,
        first.finished_at,
    )
    assert [p.name for p in report_files.iterdir()] == [f"{report.public_id}.pdf"]
    assert again.content["sections"][0]["key"] == "haushalt"
    assert (again.progress, again.page_count, again.attempts) == (100, 3, 1)


def _held_by(report, task_id, *, lease_seconds=600, attempts=1):
    ReportRequest.objects.filter(pk=report.pk).update(
        state=ReportState.RUNNING,
        task_id=task_id,
        attempts=attempts,
        lease_until=timezone.now() + datetime.timedelta(seconds=lease_seconds),
    )


def test_a_duplicate_message_leaves_a_running_report_to_its_run(users, year_2025, fast_pdf, sent):
    report = request_report(users["planner"])
    _held_by(report, "message-1")
    assert _render(report, "message-2").reason == "nothing to do"
    assert ReportRequest.objects.get(pk=report.pk).task_id == "message-1"
    assert fast_pdf == []


def test_the_same_message_redelivered_after_its_worker_died_takes_over(
    users, year_2025, fast_pdf, sent, report_files
):
    report = request_report(users["planner"])
    _held_by(report, "message-1")  # its worker was killed mid-render; the lease still runs
    assert _render(report, "message-1").rendered
    done = ReportRequest.objects.get(pk=report.pk)
    assert (done.state, done.attempts) == (ReportState.DONE, 2)
    assert len(list(report_files.iterdir())) == 1


def test_a_run_that_lost_its_claim_discards_its_result(
    users, year_2025, monkeypatch, sent, report_files
):
    report = request_report(users["planner"])

    def taken_over_meanwhile(content, *, map_html=""):
        ReportRequest.objects.filter(pk=report.pk).update(task_id="message-2")
        return rendering.RenderedPdf(b"%PDF-1.7\n", 1)

    monkeypatch.setattr(rendering, "report_pdf", taken_over_meanwhile)
    assert _render(report, "message-1").reason == "superseded"
    assert ReportRequest.objects.get(pk=report.pk).state == ReportState.RUNNING
    assert not report_files.exists() or not list(report_files.iterdir())


def test_a_stuck_run_is_queued_again_by_the_check(users, year_2025, sent):
    report = request_report(users["planner"])
    _held_by(report, "message-1", lease_seconds=-1)
    result = services.reports_check()
    assert (result.stuck, result.queued) == (1, 1)
    report.refresh_from_db()
    assert report.state == ReportState.WAITING
    assert report.task_id == ""
    assert sent[-1] == [report.pk]


def test_after_too_many_interrupted_runs_the_report_fails_clearly(users, year_2025, sent, settings):
    report = request_report(users["planner"])
    _held_by(report, "message-1", lease_seconds=-1, attempts=settings.REPORT_MAX_ATTEMPTS)
    assert services.reports_check().failed == 1
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "unterbrochen" in report.error
    # A message still on its way finds nothing to do.
    assert _render(report, "message-1").reason == "nothing to do"


@pytest.fixture
def in_process(monkeypatch):
    """Whatever is queued runs at once here, as without a broker (also where REDIS_URL is set)."""

    def run(*, args, **options):
        services.report_render(report_id=args[0], task_id="in-process")

    monkeypatch.setattr(report_render, "apply_async", run)


@pytest.mark.usefixtures("in_process")
def test_a_failure_is_shown_in_german_and_can_be_retried(
    client, users, year_2025, monkeypatch, django_capture_on_commit_callbacks, report_files
):
    def broken(content, *, map_html=""):
        raise ValueError("layout exploded")

    monkeypatch.setattr(rendering, "report_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(users["planner"])
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "konnte nicht erstellt werden" in report.error
    assert "layout exploded" not in report.error  # no internals for the user

    client.force_login(users["planner"])
    page = client.get(reverse("reports:detail", args=[report.public_id])).content.decode()
    assert "fehlgeschlagen" in page and "Erneut versuchen" in page

    monkeypatch.setattr(
        rendering, "report_pdf", lambda content, *, map_html="": rendering.RenderedPdf(b"%PDF", 2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:detail", args=[report.public_id]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.error) == (ReportState.DONE, "")


def test_only_a_failed_report_can_be_retried(client, users, year_2025, fast_pdf):
    report = request_report(users["planner"])
    client.force_login(users["planner"])
    response = client.post(reverse("reports:detail", args=[report.public_id]), follow=True)
    assert "Nur ein fehlgeschlagener Bericht" in response.content.decode()


def test_a_render_over_the_time_limit_fails_with_a_clear_message(
    users, year_2025, monkeypatch, sent
):
    def too_slow(content, *, map_html=""):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(rendering, "report_pdf", too_slow)
    report = request_report(users["planner"])
    assert _render(report).reason == "time limit"
    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert "länger als" in report.error and "kürzeren Zeitraum" in report.error


def test_a_message_for_a_request_that_is_gone_is_dropped(db):
    assert services.report_render(report_id=999999, task_id="x").reason == "nothing to do"
