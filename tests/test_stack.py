"""The real components: PostgreSQL and a Celery worker over Redis (CI always has both)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.health import broker_status
from sozialraum.tasks import ping

needs_broker = pytest.mark.skipif(
    not settings.REDIS_URL, reason="REDIS_URL is not set; tasks run in-process"
)


@pytest.fixture(scope="module")
def celery_worker_thread():
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.mark.broker
@needs_broker
def test_task_round_trips_through_redis_and_a_worker(celery_worker_thread):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert ping.delay().get(timeout=15) == "pong"


@pytest.mark.broker
@needs_broker
@pytest.mark.django_db
def test_status_page_reports_a_live_worker(client, users, celery_worker_thread):
    client.force_login(users["admin"])
    html = client.get(reverse("system_status")).content.decode()
    assert "ein Worker hat geantwortet" in html
    assert "PostgreSQL" in html


def test_without_a_broker_tasks_run_in_process(settings):
    if settings.REDIS_URL:
        pytest.skip("a broker is configured")
    assert ping.delay().get() == "pong"
    assert broker_status().ok


@pytest.mark.django_db
def test_status_page_says_so_when_the_broker_is_down(client, users, monkeypatch, settings):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(ping, "apply_async", refuse)
    client.force_login(users["admin"])
    response = client.get(reverse("system_status"))
    assert response.status_code == 200
    assert "Störung" in response.content.decode()


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if os.environ.get("CI") != "true":
        pytest.skip("outside CI the embedded SQLite default is allowed")
    assert connection.vendor == "postgresql"


PRODUCTION_ENV = {
    "SOZIALRAUM_MODE": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "portal.jugendamt.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SOZIALRAUM_NO_BOOTSTRAP": "1",
}


def _manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOZIALRAUM_"))}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env={**env, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", extra_env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_demo_data_cannot_be_loaded_in_production():
    result = _manage("demo_town", extra_env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "nur im Demo-Modus" in result.stderr
