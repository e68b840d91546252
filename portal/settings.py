"""Settings of the Sozialraum portal, read from the environment.

With no environment at all the portal runs in demo mode: SQLite beside the code, Celery tasks
executed in-process, the demo town's accounts. Production is `SOZIALRAUM_MODE=production` plus the
variables listed in the README; a missing or malformed value there stops the start with a clear
message instead of running with a silent default.
"""

import datetime
import os
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab

from portal.startup import ConfigurationError

BASE_DIR = Path(__file__).resolve().parent.parent


def refuse(name: str, problem: str, example: str) -> NoReturn:
    """Stop the start with one German line that names the variable and shows an example value."""
    raise ConfigurationError(f"Konfigurationsfehler: {name} {problem}. Beispiel: {name}={example}")


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    refuse(name, "muss true oder false sein", "true" if default else "false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        refuse(name, "muss eine ganze Zahl sein", str(default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The demo's fixed key, and words that mark a value copied from an example instead of generated.
DEMO_SECRET_KEY = "demo-only-" + "x" * 50
PLACEHOLDER_MARKS = (
    "demo-only",
    "django-insecure",
    "change-me",
    "changeme",
    "change_me",
    "ersetzen",
    "aendern",
    "ändern",
    "beispiel",
    "example",
    "platzhalter",
    "<",
    ">",
)
# Shown in the error message as the value to put there, never used as a key.
KEY_HINT = '<64 Zeichen von python3 -c "import secrets; print(secrets.token_hex(32))">'


def secret_key_problem(key: str) -> str | None:
    """What makes a production secret key unfit, in German, or None if it will do."""
    if not key:
        return "fehlt"
    if len(key) < 50:
        return "ist zu kurz (mindestens 50 Zeichen)"
    if any(mark in key.lower() for mark in PLACEHOLDER_MARKS) or len(set(key)) < 10:
        return "ist ein bekannter Vorgabe- oder Platzhalterwert, kein zufälliger Schlüssel"
    return None


MODE = env_str("SOZIALRAUM_MODE", "demo")
if MODE not in {"demo", "production"}:
    refuse("SOZIALRAUM_MODE", "muss demo oder production sein", "production")
PRODUCTION = MODE == "production"
DEMO_MODE = not PRODUCTION

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    refuse("DJANGO_DEBUG", "darf im Betrieb nicht true sein", "false")

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
    if problem := secret_key_problem(SECRET_KEY):
        refuse("DJANGO_SECRET_KEY", problem, KEY_HINT)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "")
    if not ALLOWED_HOSTS:
        refuse(
            "DJANGO_ALLOWED_HOSTS",
            "ist leer; nennen Sie die Hostnamen des Portals, kommagetrennt",
            "portal.jugendamt.example.de",
        )
else:
    # A fixed key is fine for the demo: it holds only invented data and never leaves the machine.
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEMO_SECRET_KEY)
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",  # Django's admin behind the portal's login and 2FA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "portal",
    "sozialraum",
    "corrections",
    "accounts",
    "network",
    "cases",
    "budgets",
    "documents",
    "billing",
    "meetings",
    "contributions",
    "reimbursements",
    "overview",
    "reports",
    "kjhstat",
    "privacy",
    "exchange",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.NoStoreForAuthenticatedMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "api.middleware.ApiCallLogMiddleware",
    "portal.middleware.DraftSavedMiddleware",
    # Last, so it sees the login view's failed attempts and answers a lockout (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Database: an SQLite file (beside the code unless SOZIALRAUM_SQLITE_PATH names another) when
# DATABASE_URL is not set; production requires PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASE_URL_EXAMPLE = "postgres://portal:passwort@db:5432/sozialraum"
SQLITE_PATH = Path(env_str("SOZIALRAUM_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
if PRODUCTION and not DATABASE_URL:
    refuse("DATABASE_URL", "fehlt; im Betrieb braucht das Portal PostgreSQL", DATABASE_URL_EXAMPLE)
try:
    _database = dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if DATABASE_URL else 0),
        conn_health_checks=bool(DATABASE_URL),
    )
except ValueError:  # dj_database_url's errors for an unknown scheme or an unreadable URL
    refuse("DATABASE_URL", "ist keine gültige Datenbank-URL", DATABASE_URL_EXAMPLE)
if PRODUCTION and _database["ENGINE"] != "django.db.backends.postgresql":
    refuse(
        "DATABASE_URL",
        "muss im Betrieb auf PostgreSQL zeigen, nicht auf SQLite",
        DATABASE_URL_EXAMPLE,
    )
if not _database["NAME"]:
    refuse(
        "DATABASE_URL", "nennt keine Datenbank (der Teil nach dem letzten /)", DATABASE_URL_EXAMPLE
    )
DATABASES = {"default": _database}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Parameters bound by the server, and a statement the connection has run twice is prepared:
    # PostgreSQL then plans a page's queries once per connection instead of on every request.
    # Planning was most of the database time of the case page's fifteen small queries.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 2}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes a limit.
    # The start pages' alert queries pass it on an estimate of thousands of rows and return
    # twenty: compiling took 48 of their 98 ms at the 100,000-case city. A page's queries
    # never run long enough to win the compile time back, so the portal's connections turn
    # JIT off; reports and exports run in the same connections and are no slower without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE columns) serve PostgreSQL; the embedded SQLite builds the same index
# without them, which is all a demo needs, so its warning about that is noise at every start.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "sozialraum.User"
# django-axes first: it refuses a locked-out username+address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.MembershipBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# Input: "1.200.000,00" is read as 1200000. Output: portal/formats/de groups no integers
# (ids, years and page numbers in links and form values must stay plain).
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only production collects static files; elsewhere whitenoise serves them from the source folders.
STATIC_ROOT = (
    Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
    if PRODUCTION or os.environ.get("DJANGO_STATIC_ROOT")
    else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Files of case documents (documents/storage.py): private local files unless an
    # S3-compatible bucket is configured (README, settings table).
    "documents": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["SOZIALRAUM_DOCUMENTS_S3_BUCKET"],
                "endpoint_url": os.environ.get("SOZIALRAUM_DOCUMENTS_S3_ENDPOINT") or None,
                "region_name": os.environ.get("SOZIALRAUM_DOCUMENTS_S3_REGION") or None,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "location": "dokumente",
            },
        }
        if os.environ.get("SOZIALRAUM_DOCUMENTS_S3_BUCKET")
        else {"BACKEND": "documents.storage.DocumentFileStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Documents on cases (documents/): private folder (default MEDIA_ROOT/dokumente), upload limit,
# and an optional virus scanner as a dotted path to a callable (off by default; README).
DOCUMENTS_ROOT = env_str("SOZIALRAUM_DOCUMENTS_ROOT", "")
DOCUMENTS_MAX_BYTES = env_int("SOZIALRAUM_DOCUMENTS_MAX_BYTES", 20 * 1024 * 1024)
DOCUMENTS_VIRUS_SCANNER = env_str("SOZIALRAUM_DOCUMENTS_VIRUS_SCANNER", "")
# A letter batch's combined PDF (every family's letter in one file, for printing) is deleted
# this many days after the batch finished; each letter stays in its case file
# (documents.print_files).
LETTER_BATCH_COMBINED_DAYS = env_int("SOZIALRAUM_LETTER_BATCH_COMBINED_DAYS", 14)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login and sessions (docs/sicherheit.md). SESSION_COOKIE_AGE is the absolute limit of a login;
# SessionTimeoutMiddleware enforces it and the idle timeout, because each request renews the cookie.
SESSION_COOKIE_AGE = env_int("SOZIALRAUM_SESSION_MAX_AGE", 10 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SOZIALRAUM_SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_IDLE_WARNING = env_int("SOZIALRAUM_SESSION_IDLE_WARNING", 5 * 60)
if not 0 < SESSION_IDLE_WARNING < SESSION_IDLE_TIMEOUT <= SESSION_COOKIE_AGE:
    refuse(
        "SOZIALRAUM_SESSION_IDLE_WARNING",
        "muss größer als 0 und kleiner als SOZIALRAUM_SESSION_IDLE_TIMEOUT sein, und dieser "
        "höchstens SOZIALRAUM_SESSION_MAX_AGE (Sekunden)",
        "300",
    )
# Shared office PCs: a closed browser ends the login.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Lockout after repeated failed logins, per username and client address (django-axes).
AXES_FAILURE_LIMIT = env_int("SOZIALRAUM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("SOZIALRAUM_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful logins need no record of address and browser
# Reverse proxies in front of the portal that append the client to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("SOZIALRAUM_TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)

# Two-factor login (TOTP, django-otp) for every account. Only the demo town's accounts may skip it,
# and only in demo mode: production has no switch for it at all.
OTP_TOTP_ISSUER = env_str("SOZIALRAUM_OTP_ISSUER", "Sozialraum-Portal")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # administrators never see a person's TOTP key
DEMO_ACCOUNTS_SKIP_SECOND_FACTOR = env_bool("SOZIALRAUM_DEMO_SKIP_SECOND_FACTOR", DEMO_MODE)
if PRODUCTION and DEMO_ACCOUNTS_SKIP_SECOND_FACTOR:
    refuse("SOZIALRAUM_DEMO_SKIP_SECOND_FACTOR", "darf im Betrieb nicht true sein", "false")

# Unsaved form text kept encrypted in the browser (static/js/drafts.js) for at most this long.
DRAFT_MAX_AGE_HOURS = env_int("SOZIALRAUM_DRAFT_MAX_AGE_HOURS", 72)

# No inline scripts or styles anywhere, in every mode (ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process (demo, tests).
# Production requires Redis: reports and the nightly retention run need a worker and beat.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_URL_EXAMPLE = "redis://redis:6379/0"


def redis_url_problem(url: str) -> str | None:
    """What makes a REDIS_URL unusable, in German, or None if redis-py can connect with it."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading the port checks it is a number)
    except ValueError:
        return "ist keine gültige URL"
    if parts.scheme not in {"redis", "rediss"}:
        return "muss mit redis:// oder rediss:// beginnen"
    if not parts.hostname:
        return "nennt keinen Rechner"
    if parts.path.strip("/") and not parts.path.strip("/").isdigit():
        return "nennt nach dem / keine Datenbanknummer"
    return None


if PRODUCTION and not REDIS_URL:
    refuse("REDIS_URL", "fehlt; im Betrieb braucht das Portal Redis", REDIS_URL_EXAMPLE)
if REDIS_URL and (problem := redis_url_problem(REDIS_URL)):
    refuse("REDIS_URL", problem, REDIS_URL_EXAMPLE)
# In-process the broker is never used, but Celery still opens a connection to its URL; one with a
# host keeps kombu from warning "No hostname was supplied" at the first task.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL

# Cache and sessions. With Redis every web worker shares one cache, so sessions are read from it
# (no query per request) and written through to the database, which stays their record
# (`cached_db`). Without Redis each process would have a cache of its own, and a logout in one
# worker would not reach another's copy: sessions then live in the database alone.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sozialraum",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Seconds that the figures of the Sozialraum and region pages and the budget overview stay in the
# shared cache: a change shows at the latest after this long. 0: computed on every request.
FIGURES_CACHE_SECONDS = env_int("SOZIALRAUM_FIGURES_CACHE_SECONDS", 60 if REDIS_URL else 0)
# Calls of the read API per client token, as django-ninja's rate ("120/m": per minute).
SOZIALRAUM_API_RATE = env_str("SOZIALRAUM_API_RATE", "120/m")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}

# Committee reports (reports app): the render task's hard time limit in seconds, how often an
# interrupted render is started again before it counts as failed, and the periodic check that
# queues waiting requests (e.g. after Redis was down) and marks stuck ones. The broker must not
# hand a running report to a second worker: its visibility timeout outlasts the longest render.
REPORT_TIME_LIMIT = env_int("SOZIALRAUM_REPORT_TIME_LIMIT", 900)
REPORT_MAX_ATTEMPTS = env_int("SOZIALRAUM_REPORT_MAX_ATTEMPTS", 3)
if not 10 <= REPORT_TIME_LIMIT < CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]:
    refuse(
        "SOZIALRAUM_REPORT_TIME_LIMIT",
        "muss mindestens 10 Sekunden und kürzer als CELERY_VISIBILITY_TIMEOUT sein",
        "900",
    )
CELERY_BEAT_SCHEDULE = {
    "reports-check": {"task": "reports.check", "schedule": 60.0},
    # Letter batches that never reached the broker, or whose worker was killed (documents).
    "documents-letter-batches-check": {"task": "documents.letter_batches_check", "schedule": 60.0},
    # Anonymise or delete what the released retention classes make due (privacy app); at night,
    # when nobody works on the cases it locks one at a time.
    "privacy-retention": {
        "task": "privacy.retention_run_scheduled",
        "schedule": crontab(hour=2, minute=30),
    },
    # Files of documents whose row was rolled back: removed a day later (documents.orphans).
    "documents-orphans": {
        "task": "documents.orphans_remove",
        "schedule": crontab(hour=2, minute=45),
    },
    # Combined PDFs of letter batches, once printed: deleted after LETTER_BATCH_COMBINED_DAYS.
    "documents-combined-expire": {
        "task": "documents.combined_expire",
        "schedule": crontab(hour=2, minute=50),
    },
    # The month's claims of the cost contributions (idempotent; a new contribution is claimed
    # the night after it was set).
    "contributions-claims": {
        "task": "contributions.claims_for_current_month",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Logs carry ids and events, never names or case contents (see docs/datenschutz.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In-process, Celery's "Task … succeeded" would repeat what the task's service just
        # logged; a worker logs it (with the task id and run time) as usual.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Shown in the page header and on reports.
OFFICE_NAME = env_str("SOZIALRAUM_OFFICE_NAME", "Jugendamt Lindenau")

# Erklärung zur Barrierefreiheit (BITV 2.0): where people report barriers, and the body that
# settles a complaint the office leaves unanswered (a Land's own body for municipal offices).
ACCESSIBILITY_CONTACT_EMAIL = env_str(
    "SOZIALRAUM_A11Y_CONTACT_EMAIL", "barrierefreiheit@lindenau.example" if DEMO_MODE else ""
)
ACCESSIBILITY_CONTACT_PHONE = env_str(
    "SOZIALRAUM_A11Y_CONTACT_PHONE", "04101 123-456" if DEMO_MODE else ""
)
ACCESSIBILITY_ENFORCEMENT_NAME = env_str(
    "SOZIALRAUM_A11Y_ENFORCEMENT_NAME",
    "Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz (BGG)",
)
ACCESSIBILITY_ENFORCEMENT_URL = env_str(
    "SOZIALRAUM_A11Y_ENFORCEMENT_URL", "https://www.schlichtungsstelle-bgg.de"
)

# § 36 SGB VIII: a help plan is reviewed at least this many months after its start or last review.
HELP_PLAN_REVIEW_MONTHS = env_int("SOZIALRAUM_HELP_PLAN_REVIEW_MONTHS", 6)

# The demo town's everyday individual cases besides its showcase cases (`manage.py demo`): a few
# hundred, so that the committee report and the Sozialraum pages show real figures. The test
# suite sets 0 (tests/conftest.py) and builds the full town once where it is the subject.
DEMO_TOWN_CASES = env_int("SOZIALRAUM_DEMO_TOWN_CASES", 320)

# Days in which the author of a case record may correct it; after them only the team lead.
CORRECTION_DAYS = env_int("SOZIALRAUM_CORRECTION_DAYS", 14)
# Days after a Sozialraumteam meeting by which its minutes should be closed (team week warns).
SOZIALRAUM_MINUTES_DUE_DAYS = env_int("SOZIALRAUM_MINUTES_DUE_DAYS", 7)

# How many days back a note may date the contact it records (never into the future).
NOTE_BACKDATE_DAYS = env_int("SOZIALRAUM_NOTE_BACKDATE_DAYS", 30)

# Fachleistungsstunden per week of a help: above the warning the caseworker confirms that the
# figure is right ("Trotzdem speichern"); above the maximum the office refuses it.
HOURS_PER_WEEK_MAX = env_int("SOZIALRAUM_MAX_HOURS_PER_WEEK", 40)
HOURS_PER_WEEK_WARNING = env_int("SOZIALRAUM_HOURS_PER_WEEK_WARNING", 20)

# Leistungsnachweise: an approval above this many euros needs a second person (four eyes).
FOUR_EYES_THRESHOLD = env_int("SOZIALRAUM_FOUR_EYES_THRESHOLD", 5000)

# Rows per page of the case and assignment lists.
CASE_LIST_PAGE_SIZE = env_int("SOZIALRAUM_CASE_LIST_PAGE_SIZE", 50)
