"""The Celery app. Without REDIS_URL tasks run eagerly in-process (see settings)."""

import os
from typing import Any

from celery import Celery

from portal.startup import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")


@app.on_configure.connect
def _settings_or_exit(sender: Celery, **kwargs: Any) -> None:
    # Celery reads the Django settings when it first needs its configuration (a worker or beat
    # starting): a wrong setting ends the start with one German line, not a traceback.
    settings_or_exit()


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
