"""Settings for the benchmarks: the portal's own, plus the benchmark app and its admin.

Run the benchmark commands with `DJANGO_SETTINGS_MODULE=benchmarks.settings`. The portal's
settings never install this app, so the generator and the Case admin (the comparison the
benchmarks need; the portal deliberately keeps case records out of its admin) exist only here.
"""

from portal.settings import *  # noqa: F403
from portal.settings import INSTALLED_APPS, PRODUCTION

if PRODUCTION:
    raise RuntimeError("Die Benchmark-Einstellungen sind nicht für den Betrieb gedacht.")

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
# Measured as in production: no debug toolbar, no query log kept in memory.
DEBUG = False
