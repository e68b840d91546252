"""Start-up errors an administrator can act on.

The settings raise `ConfigurationError` with one German line that names the variable and gives an
example value. The three ways the portal starts (`manage.py`, the WSGI module gunicorn loads and
the Celery app) read the settings through `settings_or_exit()`, which prints that line and ends
the process instead of showing a traceback. Any other error keeps its traceback: it is a bug.
"""

import sys

from django.core.exceptions import ImproperlyConfigured

# The exit status of a start refused for its configuration (2, like a command-line usage error).
EXIT_CONFIGURATION = 2


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment is missing or wrong; the message is one German line."""


def settings_or_exit(exit_status: int = EXIT_CONFIGURATION) -> None:
    """Read the settings now; on a `ConfigurationError` print its line and exit with the status."""
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 (reading one setting loads the settings module)
    except ConfigurationError as error:
        print(error, file=sys.stderr, flush=True)
        raise SystemExit(exit_status) from None
