"""The health URL: anonymous, 200 only when the database, Redis and the migrations are in order."""

import pytest
from django.urls import reverse

from portal import health


@pytest.fixture(autouse=True)
def fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_healthy_portal_answers_200_without_login(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "datenbank": "ok",
        "redis": "ok",
        "migrationen": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_pending_migration_answers_503(client, db, monkeypatch):
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)]
    )
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["migrationen"] == "fehler"


def test_an_unreachable_redis_answers_503(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "fehler",
        "datenbank": "ok",
        "redis": "fehler",
        "migrationen": "ok",
    }


def test_an_unreachable_database_answers_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "_database_ok", lambda: False)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["datenbank"] == "fehler"
    assert response.json()["migrationen"] == "fehler"
