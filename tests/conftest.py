"""Suite-wide set-up: the real stack under CI, shared fixtures for users of every role."""

import os
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import (
    AsdTeamFactory,
    ProviderFactory,
    SozialraumFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same tests
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    # The demo town without its few hundred everyday cases: the showcase cases and accounts are
    # what most tests need, in a second. tests/budgets/test_demo_town.py builds the full town.
    settings.DEMO_TOWN_CASES = 0
    _redis_of_this_worker()
    if os.environ.get("CI") == "true":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                "CI=true: the suite runs on PostgreSQL only. Set DATABASE_URL=postgres://…"
            )
        if not settings.REDIS_URL:
            raise pytest.UsageError(
                "CI=true: the suite needs a real broker. Set REDIS_URL=redis://…"
            )


def redis_url_of_worker(url: str, worker: int) -> str:
    """The Redis database of pytest-xdist's worker number `worker`: the URL's own for the first,
    the ones below it for the others (db 15, 14, …, wrapping at 0)."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database - worker) % 16}"))


def _redis_of_this_worker() -> None:
    # pytest-xdist (`manage.py test` runs the suite in one process per core) gives every worker a
    # test database of its own; Redis needs the same. Tests that empty the cache (a FLUSHDB) or
    # run a Celery worker would otherwise wipe another process's sessions or take its tasks.
    # Nothing has connected to Redis yet: the cache and Celery read these settings on first use.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not settings.REDIS_URL or not worker.startswith("gw"):
        return
    url = redis_url_of_worker(settings.REDIS_URL, int(worker.removeprefix("gw")))
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    settings.CACHES["default"]["LOCATION"] = url


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}
_blocker = pytest.StashKey[object]()


@pytest.fixture(scope="session", autouse=True)
def _remember_the_db_blocker(request, django_db_blocker):
    request.config.stash[_blocker] = django_db_blocker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A flush (after a transactional or live-server test) also empties what the migrations
    seeded: the help catalogue and the retention classes. Alone, pytest-django runs such tests
    last; under pytest-xdist a process may run another module's tests after them, which need
    those rows. So after every database test, once all its fixtures are torn down (flushes and
    module-wide rollbacks included), the rows come back if they are gone."""
    result = yield
    uses_db = item.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )
    blocker = item.config.stash.get(_blocker, None)
    # After the process's last test the test database is gone (torn down with the session).
    if uses_db and blocker is not None and nextitem is not None:
        from django.apps import apps

        from cases.models import HelpType
        from cases.services import help_types_ensure
        from privacy.rules import retention_defaults_seed

        with blocker.unblock():  # type: ignore[attr-defined]
            if not HelpType.objects.exists():
                help_types_ensure()
                retention_defaults_seed(apps, None)
    return result


def page_query_limit() -> int:
    """Issue 8: at most 15 queries a page, the login's (user, second factor) and an audit entry
    included. Without Redis (the embedded default) the session is read from the database: one
    more there."""
    return 15 + (settings.SESSION_ENGINE == "django.contrib.sessions.backends.db")


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app (django-otp); its codes: `totp_code(device)`."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Test-App"}
    )
    return device


def totp_code(device: TOTPDevice) -> str:
    """The app's current code, or the next one if the current was used already: django-otp
    accepts each time step once, and one step ahead (OTP_TOTP_TOLERANCE)."""
    device.refresh_from_db()
    step = max(int(time.time() - device.t0) // device.step, device.last_t + 1)
    return f"{hotp(device.bin_key, step):0{device.digits}d}"


class SecondFactorClient(Client):
    """force_login as a person logs in: password and then the second factor.

    Every page needs a session verified with a second factor (sozialraum/security.py); this
    client completes both steps, so the suite runs under the production rule and tests of the
    second step itself use a plain `Client()`.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()


@pytest.fixture
def client():
    return SecondFactorClient()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s a password by design; tests need many accounts, not that cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _figures_computed(settings):
    # Tests see each write at once: the figures cache (`sozialraum.figures`) keeps sums for a
    # minute in production. Tests of the cache itself switch it on and start from an empty one.
    settings.FIGURES_CACHE_SECONDS = 0


@pytest.fixture
def team_nord(db):
    return AsdTeamFactory(region__name="Nord", region__code="N", name="ASD Nord")


@pytest.fixture
def team_sued(db):
    return AsdTeamFactory(region__name="Süd", region__code="S", name="ASD Süd")


@pytest.fixture
def sozialraum_nord(team_nord):
    return SozialraumFactory(region=team_nord.region, asd_team=team_nord, code="N1")


@pytest.fixture
def provider_a(db):
    return ProviderFactory(short_name="Träger A")


@pytest.fixture
def provider_b(db):
    return ProviderFactory(short_name="Träger B")


@pytest.fixture
def users(team_nord, team_sued, provider_a, provider_b):
    """One account per role (and a second caseworker/provider for outsider checks)."""
    return {
        "caseworker": UserFactory(role="caseworker", asd_team=team_nord),
        "caseworker_sued": UserFactory(role="caseworker", asd_team=team_sued),
        "team_lead": UserFactory(role="team_lead", asd_team=team_nord),
        "provider_staff": UserFactory(role="provider_staff", provider=provider_a),
        "provider_staff_b": UserFactory(role="provider_staff", provider=provider_b),
        "planner": UserFactory(role="planner"),
        "admin": UserFactory(role="admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def tasks_in_process(monkeypatch):
    """Celery tasks run in the test's process even where a broker is configured (CI): the test
    is about what the task does, not about the way to the worker (tests/reports/test_broker.py
    covers that)."""
    from portal.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
