"""`manage.py db_roles_setup`: the owner and the runtime role of a production database.

Everything happens inside the test's transaction (PostgreSQL creates roles transactionally), so
the probe roles and the ownership changes vanish with its rollback and nobody else sees them.
"""

import io
import os

import psycopg.errors
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles: PostgreSQL only"
)

OWNER = f"sr_owner_t{os.getpid()}"
APP = f"sr_app_t{os.getpid()}"


def setup(**options) -> str:
    out = io.StringIO()
    call_command("db_roles_setup", eigentuemer=OWNER, app_rolle=APP, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def passwords(monkeypatch):
    monkeypatch.setenv("SOZIALRAUM_DB_OWNER_PASSWORD", "owner-probe-0123456789")
    monkeypatch.setenv("SOZIALRAUM_DB_APP_PASSWORD", "app-probe-0123456789")


@pytest.fixture
def roles(db, passwords) -> str:
    return setup()


def fails_with(sql: str, error_class: type[Exception], message: str, *, role: str = APP) -> None:
    """The statement fails with exactly this PostgreSQL error; its savepoint is rolled back."""
    with (
        pytest.raises(DatabaseError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql)
    cause = raised.value.__cause__
    assert isinstance(cause, error_class), repr(cause)
    assert message in str(cause), str(cause)


def has_right(role: str, table: str, right: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, right])
        return cursor.fetchone()[0]


def test_setup_creates_both_roles_and_says_what_it_changed(roles):
    assert f"geändert: Rolle {OWNER} angelegt" in roles
    assert f"geändert: Rolle {APP} angelegt" in roles
    assert "Tabellen und Sichten an" in roles  # the test database belonged to the test user
    assert f"Rolle {APP}: INSERT erteilt auf" in roles
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname IN (%s, %s) ORDER BY rolname",
            [APP, OWNER],
        )
        assert cursor.fetchall() == [
            (APP, True, False, False, False),
            (OWNER, True, False, False, False),
        ]
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'cases_auditentry'"
        )
        assert cursor.fetchone()[0] == OWNER


def test_a_second_run_changes_nothing(roles):
    again = setup()
    assert again == f"Nichts zu ändern: {OWNER} und {APP} sind wie vorgesehen eingerichtet.\n"
    assert "Nichts zu ändern" in setup(nur_rechte=True)


def test_a_lost_grant_is_restored_and_reported(roles):
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE INSERT ON cases_case FROM {APP}")
        cursor.execute(f"GRANT UPDATE ON budgets_ledgerentry TO {APP}")
    out = setup(nur_rechte=True)
    assert f"geändert: Rolle {APP}: INSERT erteilt auf cases_case." in out
    assert f"geändert: Rolle {APP}: UPDATE entzogen auf budgets_ledgerentry." in out


def test_tables_of_later_migrations_are_granted_by_default(roles):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {OWNER}")
        cursor.execute("CREATE TABLE public.probe_later (id bigint)")
        cursor.execute("RESET ROLE")
    assert has_right(APP, "probe_later", "INSERT")
    assert has_right(APP, "probe_later", "DELETE")
    assert not has_right(APP, "probe_later", "TRUNCATE")


def test_new_roles_need_their_passwords(db, monkeypatch):
    monkeypatch.delenv("SOZIALRAUM_DB_APP_PASSWORD", raising=False)
    monkeypatch.setenv("SOZIALRAUM_DB_OWNER_PASSWORD", "owner-probe-0123456789")
    with pytest.raises(CommandError, match=f"Für die neue Rolle {APP} fehlt das Passwort"):
        setup()


def test_grants_only_needs_the_app_role(db):
    with pytest.raises(CommandError, match=f"Die Rolle {APP} gibt es nicht"):
        setup(nur_rechte=True)


def test_special_attributes_of_an_existing_role_are_taken_away(db, passwords):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {APP} NOLOGIN CREATEDB CREATEROLE")
    out = setup()
    assert f"geändert: Rolle {APP}: CREATEDB, CREATEROLE entzogen." in out
    assert f"geändert: Rolle {APP}: Anmeldung erlaubt." in out


PERMISSION = psycopg.errors.InsufficientPrivilege


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE budgets_ledgerentry SET amount = 0 WHERE id = 0", "permission denied for table"),
        ("DELETE FROM budgets_ledgerentry WHERE id = 0", "permission denied for table"),
        ("TRUNCATE budgets_ledgerentry CASCADE", "permission denied for table"),
        ("UPDATE cases_auditentry SET detail = '' WHERE id = 0", "permission denied for table"),
        ("DELETE FROM cases_auditentry WHERE id = 0", "permission denied for table"),
        ("ALTER TABLE cases_case ADD COLUMN probe integer", "must be owner of table cases_case"),
        ("DROP TABLE cases_case CASCADE", "must be owner of table cases_case"),
        (
            "DROP TRIGGER cases_auditentry_append_only ON cases_auditentry",
            "must be owner of relation cases_auditentry",
        ),
        (
            "ALTER TABLE cases_auditentry DISABLE TRIGGER ALL",
            "must be owner of table cases_auditentry",
        ),
        (
            "SET session_replication_role = replica",
            'permission denied to set parameter "session_replication_role"',
        ),
        ("CREATE TABLE probe_own (id integer)", "permission denied for schema public"),
    ],
)
def test_app_role_is_refused(roles, sql, message):
    fails_with(sql, PERMISSION, message)


def insert_audit_row(cursor, user) -> None:
    cursor.execute(
        "INSERT INTO cases_auditentry (at, user_id, action, object_type, object_id, "
        "case_number, detail) VALUES (now(), %s, 'view', 'case', 1, '', '')",
        [user.pk],
    )


@pytest.mark.parametrize("operation", ["UPDATE", "DELETE"])
def test_the_owner_passes_the_grants_but_not_the_trigger(roles, users, operation):
    with connection.cursor() as cursor:
        insert_audit_row(cursor, users["caseworker"])
    sql = {
        "UPDATE": "UPDATE cases_auditentry SET detail = 'geändert'",
        "DELETE": "DELETE FROM cases_auditentry",
    }[operation]
    fails_with(sql, PERMISSION, f"audit entries are append-only: {operation} refused", role=OWNER)


def test_app_role_reads_and_writes(roles, users):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP}")
        cursor.execute("SELECT count(*) FROM budgets_ledgerentry")
        insert_audit_row(cursor, users["caseworker"])
        cursor.execute(
            "UPDATE sozialraum_user SET first_name = first_name WHERE id = %s",
            [users["caseworker"].pk],
        )
        cursor.execute("SELECT count(*) FROM cases_auditentry")
        assert cursor.fetchone()[0] == 1
