"""Background tasks of the ground floor."""

from celery import shared_task


@shared_task(name="sozialraum.ping")
def ping() -> str:
    """Round trip through broker and worker; the status page and the stack test use it."""
    return "pong"
