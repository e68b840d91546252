"""The project package: settings, root URLs, WSGI, the Celery app, middleware, error pages."""

from portal.celery import app as celery_app

__all__ = ["celery_app"]
