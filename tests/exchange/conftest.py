"""A second, empty, migrated database for the round trips: on PostgreSQL when the suite runs
there (created from a migrated template and dropped after each test), else an SQLite file.

The template is migrated by `manage.py migrate` in a child process that sees it as its only
database — the way an administrator prepares a target — because some data migrations read
through the default connection and could not migrate a second alias in this process.

The test database runner blocks connections to aliases a test did not declare; the target is
registered after that check was installed, and its connection is opened with `connect()`, which
is what the runner's check lets through.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from exchange.databases import database_alias, database_alias_drop

PASSPHRASE = "Lindenau exportiert sicher 2026"


def _postgres_url(name: str) -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    port = config.get("PORT") or 5432
    return f"postgres://{config['USER']}{password}@{config['HOST']}:{port}/{name}"


def _open(url: str) -> str:
    alias = database_alias(url)
    connections[alias].connect()
    return alias


def _maintenance(sql: str) -> None:
    """CREATE or DROP DATABASE on the server, outside Django's connections: the test runner
    forbids aliases a test did not declare, and these statements need autocommit anyway."""
    import psycopg

    with psycopg.connect(_postgres_url("postgres"), autocommit=True) as maintenance:
        maintenance.execute(sql)  # type: ignore[arg-type]


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "migrate", "-v0"],
        env={**os.environ, "SOZIALRAUM_NO_BOOTSTRAP": "1", **env},
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def target_template(tmp_path_factory, django_db_setup, django_db_blocker):
    """A migrated, empty database (PostgreSQL: its name; SQLite: its file)."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = f"{connection.settings_dict['NAME']}_vorlage_{uuid.uuid4().hex[:6]}"
            _maintenance(f'CREATE DATABASE "{name}"')
            _migrate({"DATABASE_URL": _postgres_url(name)})
            yield name
            _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            path = tmp_path_factory.mktemp("vorlage") / "vorlage.sqlite3"
            _migrate({"DATABASE_URL": "", "SOZIALRAUM_SQLITE_PATH": str(path)})
            yield str(path)


@pytest.fixture
def target(target_template, tmp_path, django_db_blocker):
    """The alias of a fresh copy of the template."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = f"{connection.settings_dict['NAME']}_ziel_{uuid.uuid4().hex[:6]}"
            _maintenance(f'CREATE DATABASE "{name}" TEMPLATE "{target_template}"')
            alias = _open(_postgres_url(name))
            yield alias
            database_alias_drop(alias)
            _maintenance(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            path = tmp_path / "ziel.sqlite3"
            shutil.copyfile(target_template, path)
            alias = _open(f"sqlite:///{path}")
            yield alias
            database_alias_drop(alias)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
