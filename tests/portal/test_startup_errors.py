"""Production refuses a wrong configuration with one German line, for every way the portal starts.

Each case starts a real process (manage.py, a Celery worker, gunicorn) with production settings and
one bad value, and reads what an administrator would see: the line names the variable and shows an
example value, the exit status is not 0, and there is no traceback.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

GOOD = {
    "SOZIALRAUM_MODE": "production",
    "DJANGO_SECRET_KEY": "3f9c0a7b12e45d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
    "DJANGO_ALLOWED_HOSTS": "portal.jugendamt.example.de",
    "DATABASE_URL": "postgres://portal:passwort@127.0.0.1:5432/sozialraum",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SOZIALRAUM_NO_BOOTSTRAP": "1",
}

DATABASE_EXAMPLE = "Beispiel: DATABASE_URL=postgres://portal:passwort@db:5432/sozialraum"
REDIS_EXAMPLE = "Beispiel: REDIS_URL=redis://redis:6379/0"
KEY_EXAMPLE = 'Beispiel: DJANGO_SECRET_KEY=<64 Zeichen von python3 -c "import secrets;'
HOSTS_EXAMPLE = "Beispiel: DJANGO_ALLOWED_HOSTS=portal.jugendamt.example.de"

PLACEHOLDER = "DJANGO_SECRET_KEY ist ein bekannter Vorgabe- oder Platzhalterwert"

# Each case: the changed variables (None: unset), the start of the line, the example it shows.
BAD = [
    pytest.param(
        {"DATABASE_URL": "sqlite:////tmp/portal.sqlite3"},
        "DATABASE_URL muss im Betrieb auf PostgreSQL zeigen, nicht auf SQLite",
        DATABASE_EXAMPLE,
        id="sqlite",
    ),
    pytest.param(
        {"DATABASE_URL": None}, "DATABASE_URL fehlt", DATABASE_EXAMPLE, id="database missing"
    ),
    pytest.param({"DATABASE_URL": ""}, "DATABASE_URL fehlt", DATABASE_EXAMPLE, id="database empty"),
    pytest.param(
        {"DATABASE_URL": "db:5432/sozialraum"},
        "DATABASE_URL ist keine gültige Datenbank-URL",
        DATABASE_EXAMPLE,
        id="database no scheme",
    ),
    pytest.param(
        {"DATABASE_URL": "postgres://portal@db:port/sozialraum"},
        "DATABASE_URL ist keine gültige Datenbank-URL",
        DATABASE_EXAMPLE,
        id="database bad port",
    ),
    pytest.param(
        {"DATABASE_URL": "postgres://portal@db:5432/"},
        "DATABASE_URL nennt keine Datenbank",
        DATABASE_EXAMPLE,
        id="database no name",
    ),
    pytest.param({"REDIS_URL": None}, "REDIS_URL fehlt", REDIS_EXAMPLE, id="redis missing"),
    pytest.param(
        {"REDIS_URL": "http://redis:6379/0"},
        "REDIS_URL muss mit redis:// oder rediss:// beginnen",
        REDIS_EXAMPLE,
        id="redis scheme",
    ),
    pytest.param(
        {"REDIS_URL": "redis://redis:port/0"},
        "REDIS_URL ist keine gültige URL",
        REDIS_EXAMPLE,
        id="redis bad port",
    ),
    pytest.param(
        {"REDIS_URL": "redis:///0"},
        "REDIS_URL nennt keinen Rechner",
        REDIS_EXAMPLE,
        id="redis no host",
    ),
    pytest.param(
        {"REDIS_URL": "redis://redis:6379/zero"},
        "REDIS_URL nennt nach dem / keine Datenbanknummer",
        REDIS_EXAMPLE,
        id="redis bad db",
    ),
    pytest.param(
        {"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY fehlt", KEY_EXAMPLE, id="key missing"
    ),
    pytest.param(
        {"DJANGO_SECRET_KEY": "3f9c0a7b12e45d6f"},
        "DJANGO_SECRET_KEY ist zu kurz (mindestens 50 Zeichen)",
        KEY_EXAMPLE,
        id="key short",
    ),
    pytest.param(
        {"DJANGO_SECRET_KEY": "demo-only-" + "x" * 50},
        PLACEHOLDER,
        KEY_EXAMPLE,
        id="key demo default",
    ),
    pytest.param(
        {"DJANGO_SECRET_KEY": "bitte-aendern-" + "0123456789abcdef" * 3},
        PLACEHOLDER,
        KEY_EXAMPLE,
        id="key placeholder",
    ),
    pytest.param(
        {"DJANGO_SECRET_KEY": "django-insecure-" + "0123456789abcdef" * 3},
        PLACEHOLDER,
        KEY_EXAMPLE,
        id="key django-insecure",
    ),
    pytest.param({"DJANGO_SECRET_KEY": "k" * 64}, PLACEHOLDER, KEY_EXAMPLE, id="key one character"),
    pytest.param(
        {"DJANGO_ALLOWED_HOSTS": None},
        "DJANGO_ALLOWED_HOSTS ist leer",
        HOSTS_EXAMPLE,
        id="hosts missing",
    ),
    pytest.param(
        {"DJANGO_ALLOWED_HOSTS": " , "},
        "DJANGO_ALLOWED_HOSTS ist leer",
        HOSTS_EXAMPLE,
        id="hosts only commas",
    ),
]


def _start(command: list[str], changes: dict[str, str | None]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SOZIALRAUM_", "CELERY_"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(GOOD)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        command,
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _manage(*args: str, changes: dict[str, str | None]) -> subprocess.CompletedProcess:
    return _start([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args], changes)


def _assert_one_german_line(result: subprocess.CompletedProcess, named: str, example: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Konfigurationsfehler")]
    assert len(lines) == 1, output
    assert lines[0].startswith(f"Konfigurationsfehler: {named}"), lines[0]
    assert example in lines[0], lines[0]


@pytest.mark.parametrize(("changes", "named", "example"), BAD)
def test_manage_py_refuses_a_wrong_production_setting_with_one_german_line(changes, named, example):
    result = _manage("check", changes=changes)
    _assert_one_german_line(result, named, example)
    assert result.returncode == 2
    # manage.py prints the line and nothing else.
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stdout == ""


def test_the_line_does_not_show_the_password_of_a_refused_database_url():
    result = _manage("check", changes={"DATABASE_URL": "postgres://portal:geheim@db:port/x"})
    _assert_one_german_line(result, "DATABASE_URL", DATABASE_EXAMPLE)
    assert "geheim" not in result.stderr


def test_a_good_production_configuration_passes_the_check():
    result = _manage("check", changes={})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "Konfigurationsfehler" not in result.stderr


def test_any_manage_py_command_is_refused_the_same_way():
    result = _manage("migrate", "--plan", changes={"DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    _assert_one_german_line(result, "DATABASE_URL", DATABASE_EXAMPLE)


def test_a_celery_worker_is_refused_with_the_same_line():
    result = _start(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo"],
        {"DJANGO_ALLOWED_HOSTS": None},
    )
    _assert_one_german_line(result, "DJANGO_ALLOWED_HOSTS ist leer", HOSTS_EXAMPLE)
    assert result.returncode == 2


def test_celery_beat_is_refused_with_the_same_line():
    result = _start([sys.executable, "-m", "celery", "-A", "portal", "beat"], {"REDIS_URL": None})
    _assert_one_german_line(result, "REDIS_URL fehlt", REDIS_EXAMPLE)


def test_gunicorn_stops_with_the_same_line_instead_of_restarting_its_worker():
    # Port 0 and no control socket: nothing shared with a gunicorn that runs beside the tests.
    result = _start(
        [
            *(sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--no-control-socket"),
            "portal.wsgi",
        ],
        {"DJANGO_SECRET_KEY": "short"},
    )
    _assert_one_german_line(result, "DJANGO_SECRET_KEY ist zu kurz", KEY_EXAMPLE)
    assert "App failed to load" in result.stderr
