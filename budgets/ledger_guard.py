"""The database itself refuses to change or delete ledger entries: a trigger per vendor.

PostgreSQL: a plpgsql trigger raises on every UPDATE or DELETE of a row. SQLite: triggers abort
with RAISE(ABORT) unless `budgets_ledger_frozen()` returns 0. Django registers that function on
each SQLite connection and lets it return 0 only inside `ledger_flush_allowed()`, which the
`flush` command (wiping the whole database, as the test runner does between transactional
tests) uses. Any other client has no such function, so its statement fails as well.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

TABLE = "budgets_ledgerentry"
_state = threading.local()

POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'Buchungen sind unveränderlich: % auf {TABLE} abgelehnt', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse_change()
    """,
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse_change()",
]
SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'Buchungen sind unveränderlich: UPDATE auf {TABLE} abgelehnt');
    END
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
    WHEN budgets_ledger_frozen()
    BEGIN SELECT RAISE(ABORT, 'Buchungen sind unveränderlich: DELETE auf {TABLE} abgelehnt');
    END
    """,
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]


def _frozen() -> int:
    return 0 if getattr(_state, "flushing", False) else 1


@contextmanager
def ledger_flush_allowed() -> Iterator[None]:
    """Only for wiping the whole database (`manage.py flush`)."""
    _state.flushing = True
    try:
        yield
    finally:
        _state.flushing = False


def sqlite_function_register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give SQLite connections the trigger's guard function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("budgets_ledger_frozen", 0, _frozen)


def triggers_install(apps, schema_editor) -> None:
    _run(schema_editor, POSTGRES_INSTALL, SQLITE_INSTALL)


def triggers_remove(apps, schema_editor) -> None:
    _run(schema_editor, POSTGRES_REMOVE, SQLITE_REMOVE)


def _run(schema_editor, postgres: list[str], sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": postgres, "sqlite": sqlite}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No ledger guard for the database vendor {vendor!r}.")
    # A plain cursor: the schema editor would read the "%" of RAISE as a query placeholder.
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
