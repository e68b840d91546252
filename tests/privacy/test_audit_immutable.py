"""The audit log cannot be changed from the database side either (PostgreSQL).

- The table's owner (here the test connection) is refused UPDATE and DELETE by a trigger, with
  the trigger's own message; without the trigger the same UPDATE goes through.
- The portal's runtime role, with exactly the grants `db_app_role_sql` prints, is refused UPDATE,
  DELETE and TRUNCATE by the privilege check ("permission denied"), and may still read and
  append. (A superuser passes the TRUNCATE trigger: it could drop any trigger anyway, and the
  test runner empties databases as one; the portal must never connect as one, see
  docs/datenschutz.md.)
"""

import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from cases.audit import audit_record
from cases.models import AuditAction, AuditEntry
from privacy.db_roles import app_role_grants
from tests.cases import db_refusal
from tests.cases.db_refusal import (
    AUDIT_TRIGGER,
    AUDIT_TRIGGER_FUNCTION,
    TRUNCATE_TRIGGER,
    TRUNCATE_TRIGGER_FUNCTION,
    audit_trigger_message,
    permission_denied,
)
from tests.cases.factories import CaseFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers and roles: PostgreSQL only"
)


@pytest.fixture
def entry(users, sozialraum_nord):
    case = CaseFactory(sozialraum=sozialraum_nord, steering_caseworker=users["caseworker"])
    audit_record(user=users["caseworker"], action=AuditAction.VIEW, obj=case)
    return AuditEntry.objects.get()


def refused(sql: str, params=(), *, role: str | None = None, message: str, by: str | None) -> None:
    """The statement fails with insufficient_privilege and exactly `message`, raised by the
    trigger function `by` (None: by the privilege check); its savepoint is rolled back."""
    with db_refusal.refused(message=message, by=by), connection.cursor() as cursor:
        if role:
            cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute(sql, params)


@pytest.fixture
def app_role(db):
    """A probe role with the portal's runtime grants; created and dropped inside the test's
    transaction, so it never exists for anyone else."""
    name = f"sr_app_probe_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER NOINHERIT")
        for statement in app_role_grants(name):
            cursor.execute(statement)
    return name


@postgres_only
@pytest.mark.parametrize(
    ("sql", "operation"),
    [
        ("UPDATE cases_auditentry SET detail = 'geändert' WHERE id = %s", "UPDATE"),
        ("UPDATE cases_auditentry SET case_number = '' WHERE id = %s", "UPDATE"),
        ("DELETE FROM cases_auditentry WHERE id = %s", "DELETE"),
    ],
)
def test_owner_cannot_update_or_delete_entries(entry, sql, operation):
    refused(sql, [entry.pk], message=audit_trigger_message(operation), by=AUDIT_TRIGGER_FUNCTION)
    assert AuditEntry.objects.get(pk=entry.pk).detail == entry.detail


@postgres_only
def test_the_owners_refusal_is_the_triggers_doing(entry):
    """Dropped (inside a savepoint, rolled back at once), the trigger no longer stands between
    the owner and the row: the refusals above depend on it, not on some other error."""
    update = "UPDATE cases_auditentry SET detail = 'geändert' WHERE id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {AUDIT_TRIGGER} ON cases_auditentry")
        cursor.execute(update, [entry.pk])
        assert cursor.rowcount == 1
        transaction.set_rollback(True)
    refused(update, [entry.pk], message=audit_trigger_message("UPDATE"), by=AUDIT_TRIGGER_FUNCTION)
    assert AuditEntry.objects.get(pk=entry.pk).detail == entry.detail


@postgres_only
def test_the_append_only_triggers_are_installed_and_enabled(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = ANY(%s) ORDER BY t.tgname",
            [[AUDIT_TRIGGER, TRUNCATE_TRIGGER, "budgets_ledgerentry_append_only"]],
        )
        # "O": fires in the normal (origin) replication role, i.e. always in the portal.
        assert cursor.fetchall() == [
            ("budgets_ledgerentry", "budgets_ledgerentry_append_only", "O"),
            ("cases_auditentry", AUDIT_TRIGGER, "O"),
            ("cases_auditentry", TRUNCATE_TRIGGER, "O"),
        ]


@postgres_only
@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("UPDATE cases_auditentry SET detail = 'geändert' WHERE id = %s", "cases_auditentry"),
        ("DELETE FROM cases_auditentry WHERE id = %s", "cases_auditentry"),
        ("TRUNCATE cases_auditentry", "cases_auditentry"),
        ("TRUNCATE cases_auditentry CASCADE", "cases_auditentry"),
        ("UPDATE budgets_ledgerentry SET amount = 0 WHERE id = %s", "budgets_ledgerentry"),
        ("TRUNCATE budgets_ledgerentry CASCADE", "budgets_ledgerentry"),
    ],
)
def test_application_role_cannot_change_the_audit_log_or_the_ledger(entry, app_role, sql, table):
    params = [entry.pk] if "%s" in sql else []
    refused(sql, params, role=app_role, message=permission_denied(table), by=None)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@postgres_only
def test_application_role_reads_and_appends(entry, app_role):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {app_role}")
        cursor.execute("SELECT count(*) FROM cases_auditentry")
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            "INSERT INTO cases_auditentry (at, user_id, action, object_type, object_id, "
            "case_number, detail) SELECT now(), user_id, 'view', 'case', object_id, case_number, "
            "'' FROM cases_auditentry WHERE id = %s",
            [entry.pk],
        )
    assert AuditEntry.objects.count() == 2


@postgres_only
def test_truncate_is_refused_for_a_table_owner_who_is_no_superuser(entry):
    """The trigger covers owners too: a managed database often makes the portal's user the owner
    of its tables without superuser rights."""
    name = f"sr_owner_probe_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before ALTER
        cursor.execute(f"ALTER TABLE cases_auditentry OWNER TO {name}")
    refused(
        "TRUNCATE cases_auditentry CASCADE",
        role=name,
        message=audit_trigger_message("TRUNCATE"),
        by=TRUNCATE_TRIGGER_FUNCTION,
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_grants_command_prints_the_statements(capsys):
    call_command("db_app_role_sql", rolle="portal_app")
    out = capsys.readouterr().out
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON cases_auditentry FROM portal_app;" in out
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON budgets_ledgerentry FROM portal_app;" in out
