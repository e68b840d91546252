"""The database side of "the application cannot change the audit log" (PostgreSQL).

Two layers:

1. Triggers refuse UPDATE and DELETE of audit entries for every database user
   (cases/migrations/0003) and TRUNCATE for every user but a superuser (privacy/migrations/0003).
   Superusers pass the TRUNCATE trigger because they can disable any trigger anyway, and because
   the test runner empties the database with one TRUNCATE of all tables as one.
2. In production the portal connects as a role that neither owns the tables nor is a superuser
   and holds no UPDATE, DELETE or TRUNCATE right on the audit log (and the ledger). Migrations run
   as the owner. `python manage.py db_app_role_sql` prints the grants for that role; the test
   `tests/privacy/test_audit_immutable.py` applies the same grants to a probe role and shows that
   UPDATE, DELETE and TRUNCATE fail while SELECT and INSERT work.

Retention of audit entries therefore never runs through the portal: see docs/datenschutz.md.
"""

import re

AUDIT_TABLE = "cases_auditentry"
LEDGER_TABLE = "budgets_ledgerentry"
APPEND_ONLY_TABLES = (AUDIT_TABLE, LEDGER_TABLE)

TRUNCATE_GUARD_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION cases_auditentry_no_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING
            MESSAGE = 'audit entries are append-only: TRUNCATE refused',
            ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER cases_auditentry_no_truncate
    BEFORE TRUNCATE ON cases_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION cases_auditentry_no_truncate()
    """,
]
TRUNCATE_GUARD_REMOVE = [
    "DROP TRIGGER IF EXISTS cases_auditentry_no_truncate ON cases_auditentry",
    "DROP FUNCTION IF EXISTS cases_auditentry_no_truncate()",
]

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_role_grants(role: str) -> list[str]:
    """GRANT/REVOKE statements for the portal's restricted runtime role, to run as the owner
    after every migration (new tables need their grants)."""
    if not _ROLE_NAME.match(role):
        raise ValueError("Rollenname: nur Kleinbuchstaben, Ziffern und _, höchstens 63 Zeichen.")
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    statements += [
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}" for table in APPEND_ONLY_TABLES
    ]
    return statements


def truncate_guard_install(apps, schema_editor) -> None:
    _run(schema_editor, TRUNCATE_GUARD_INSTALL)


def truncate_guard_remove(apps, schema_editor) -> None:
    _run(schema_editor, TRUNCATE_GUARD_REMOVE)


def _run(schema_editor, statements: list[str]) -> None:
    # SQLite keeps the model-level protection only (see cases/migrations/0003).
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
