"""With the real stack: PostgreSQL, Redis and Celery worker processes (CI has all three).

A report is requested through the web page, rendered by a separate worker process, and read back
from the PDF. Then the hard case: the worker is killed (SIGKILL) in the middle of the layout; a
newly started worker finishes the report, and there is exactly one report and one file.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.celery import app
from reports.models import ReportRequest, ReportState
from tests.reports.conftest import post_report
from tests.reports.pdf_text import assert_report_reads_right

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set"),
    pytest.mark.usefixtures("committing"),
]

TITLE = "Bericht an den Jugendhilfeausschuss 2025"


@pytest.fixture
def postgres_only(committing):
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a database it can share (PostgreSQL)")


@pytest.fixture
def clean_queue(postgres_only):
    """No message of an earlier run may reach these workers (also none left unacknowledged)."""
    import redis

    app.control.purge()
    redis.Redis.from_url(settings.REDIS_URL).delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def workers(clean_queue, tmp_path, report_files):
    """Start worker processes (each in its own process group) against the test database."""
    started: list[subprocess.Popen] = []
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )

    def start(**extra_env: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SOZIALRAUM_NO_BOOTSTRAP": "1",
            **extra_env,
        }
        log = open(tmp_path / f"worker-{len(started) + 1}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reports.worker"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    for log in sorted(tmp_path.glob("worker-*.log")):
        print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")


def _request(client, users, town) -> ReportRequest:
    client.force_login(users["planner"])
    response = post_report(client, [s.region_id for s in town.values()], title=TITLE)
    assert response.status_code == 302
    return ReportRequest.objects.get()


def _wait(predicate, *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"waited {seconds} s for {what}")


def _status(client, report) -> dict:
    url = reverse("reports:detail", args=[report.public_id])
    return client.get(url, HTTP_ACCEPT="application/json").json()


def _pdf(client, report) -> bytes:
    response = client.get(reverse("reports:download", args=[report.public_id]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _check_figures(pages: list[str]) -> None:
    # Counted independently in tests/reports/conftest.py (see its docstring).
    text = " ".join(pages)
    assert "Quartier S1 (S1) Süd 2.000 7 9 9 0 3,5 4,5" in text
    assert "Quartier N2 (N2) Nord 2.000 < 3 < 3 < 3 0 – –" in text
    assert "Summe 8.000 13 15 15 0 1,6 1,9" in text
    assert "Nord 500.000,00 € 12.345,67 €" in text


def test_a_worker_process_renders_the_requested_report(client, users, year_2025, workers):
    workers()
    report = _request(client, users, year_2025)
    assert report.queued_at is not None  # handed to Redis when the request committed
    seen = set()

    def finished():
        status = _status(client, report)
        seen.add(status["state"])
        return status if status["finished"] else None

    status = _wait(finished, seconds=180, what="the report")
    assert status["state"] == "done", status
    assert seen <= {"waiting", "running", "done"}
    pages = assert_report_reads_right(_pdf(client, report), title=TITLE)
    _check_figures(pages)


def test_a_killed_worker_leaves_the_report_to_the_next_one(
    client, users, year_2025, workers, tmp_path, report_files
):
    gate = tmp_path / "gate"
    gate.mkdir()
    (gate / "armed").touch()
    first = workers(REPORT_TEST_GATE=str(gate))
    report = _request(client, users, year_2025)
    _wait(lambda: (gate / "reached").exists(), seconds=120, what="the render to start")
    status = _status(client, report)
    assert (status["state"], status["state_label"]) == ("running", "läuft")
    assert status["progress"] >= 65  # the figures are done, the layout has begun

    os.killpg(first.pid, signal.SIGKILL)  # the worker and its render process, no goodbye
    first.wait(timeout=10)
    time.sleep(2)
    assert ReportRequest.objects.get().state == ReportState.RUNNING  # nobody finished it

    # A new worker. Redis hands it the message nobody acknowledged once the visibility timeout
    # has passed (shortened here; in production it outlasts the longest render).
    workers(
        CELERY_VISIBILITY_TIMEOUT="30",
        SOZIALRAUM_REPORT_TIME_LIMIT="25",
        REPORT_TEST_FAST_RESTORE="1",
    )
    status = _wait(
        lambda: (s := _status(client, report))["finished"] and s, seconds=180, what="recovery"
    )
    assert status["state"] == "done", status

    done = ReportRequest.objects.get()  # exactly one request ...
    assert done.attempts == 2  # ... rendered by the killed run and the one that finished it
    assert [p.name for p in Path(report_files).iterdir()] == [f"{done.public_id}.pdf"]
    pages = assert_report_reads_right(_pdf(client, done), title=TITLE)
    _check_figures(pages)
    assert done.page_count == len(pages)


def test_a_killed_render_process_is_taken_up_again_by_its_worker(
    client, users, year_2025, workers, tmp_path, report_files
):
    """Only the pool process that renders dies (e.g. out of memory): the worker notices, gives
    the message back to Redis at once (reject_on_worker_lost) and a fresh process finishes."""
    gate = tmp_path / "gate"
    gate.mkdir()
    (gate / "armed").touch()
    workers(REPORT_TEST_GATE=str(gate))
    report = _request(client, users, year_2025)
    render_pid = _wait(
        lambda: (gate / "reached").exists() and (gate / "reached").read_text(),
        seconds=120,
        what="the render to start",
    )
    os.kill(int(render_pid), signal.SIGKILL)
    status = _wait(
        lambda: (s := _status(client, report))["finished"] and s, seconds=120, what="recovery"
    )
    assert status["state"] == "done", status
    done = ReportRequest.objects.get()
    assert done.attempts == 2
    assert [p.name for p in Path(report_files).iterdir()] == [f"{done.public_id}.pdf"]
    assert_report_reads_right(_pdf(client, done), title=TITLE)
