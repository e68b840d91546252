"""Whether the background machinery answers, for the operators' status page."""

from dataclasses import dataclass

from django.conf import settings

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
