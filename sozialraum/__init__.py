"""The Sozialraum portal's project package and ground-floor app (space, providers, roles)."""

from sozialraum.celery import app as celery_app

__all__ = ["celery_app"]
