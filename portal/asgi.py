import os

from django.core.asgi import get_asgi_application

from portal.startup import settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
settings_or_exit()  # a wrong setting: one German line instead of a traceback, as for WSGI
application = get_asgi_application()
