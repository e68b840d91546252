import os

from django.core.wsgi import get_wsgi_application

from portal.startup import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# gunicorn stops (instead of booting the worker again and again) when a worker exits with its
# "App failed to load" status, 4; the German line of a wrong setting is printed before.
settings_or_exit(exit_status=4)
application = get_wsgi_application()
