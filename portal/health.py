"""Whether the portal and its background machinery answer: the operators' status page, and the
health URL that the container health check and the production smoke run ask."""

from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sozialraum.tasks import ping


@dataclass(frozen=True)
class BrokerStatus:
    ok: bool
    message: str


def broker_status(timeout: float = 3.0) -> BrokerStatus:
    """Send a task through the broker and wait briefly for a worker's answer."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return BrokerStatus(True, "Eingebettet: Hintergrundaufgaben laufen im Webprozess.")
    try:
        answer = ping.apply_async(expires=timeout, retry=False).get(timeout=timeout)
    except Exception as problem:  # any broker/backend failure is a status, not a crash
        return BrokerStatus(False, f"Keine Antwort von Redis/Celery ({type(problem).__name__}).")
    if answer != "pong":
        return BrokerStatus(False, "Unerwartete Antwort des Workers.")
    return BrokerStatus(True, "Redis erreichbar, ein Worker hat geantwortet.")


# Once every migration is applied it stays so for the life of this process (a new release starts
# new processes), so the migration graph is read from disk only until then.
_migrations_applied = False


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _redis_ok() -> bool:
    if not settings.REDIS_URL:
        return True  # tasks run in-process: there is no Redis to reach
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        return bool(client.ping())
    except redis.RedisError:
        return False


def _migrations_ok() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_applied


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database and Redis answer and every migration is applied, else 503.

    No login: the container's health check and a monitoring system ask it. It names the three
    checks and their outcome, nothing about versions, hosts or errors."""
    database = _database_ok()
    checks = {
        "datenbank": database,
        "redis": _redis_ok(),
        "migrationen": database and _migrations_ok(),
    }
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "fehler",
            **{name: "ok" if ok else "fehler" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )
