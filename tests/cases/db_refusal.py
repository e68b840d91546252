"""Assert that PostgreSQL refused a statement, and for which reason (audit log, ledger).

Catching any `DatabaseError` would let a broken guard pass as a refusal: a trigger function with
a typo, a missing table or a lost connection fail as well. `refused()` checks the exact error
classes (Django's wrapper and psycopg's), the primary message, and who raised it: the trigger
function named in `by`, or the privilege check itself (`by=None`: no function in the context).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import DatabaseError, transaction
from django.db.utils import ProgrammingError

AUDIT_TABLE = "cases_auditentry"
# The triggers and their functions (cases/migrations/0003, privacy/db_roles.py).
AUDIT_TRIGGER = "cases_auditentry_append_only"
AUDIT_TRIGGER_FUNCTION = "cases_auditentry_append_only()"
TRUNCATE_TRIGGER = "cases_auditentry_no_truncate"
TRUNCATE_TRIGGER_FUNCTION = "cases_auditentry_no_truncate()"


def audit_trigger_message(operation: str) -> str:
    """The message of the audit log's triggers for UPDATE, DELETE or TRUNCATE."""
    return f"audit entries are append-only: {operation} refused"


def permission_denied(table: str) -> str:
    """PostgreSQL's message when a role lacks the privilege on the table."""
    return f"permission denied for table {table}"


def assert_refusal(error: BaseException, *, message: str, by: str | None) -> None:
    """`error` is PostgreSQL's insufficient_privilege (42501) with exactly `message`, raised by
    the PL/pgSQL function `by`, or by the privilege check when `by` is None."""
    assert type(error) is ProgrammingError, repr(error)
    cause = error.__cause__
    assert type(cause) is psycopg.errors.InsufficientPrivilege, repr(cause)
    assert cause.diag.message_primary == message
    if by is None:
        assert cause.diag.context is None, cause.diag.context
    else:
        assert (cause.diag.context or "").startswith(f"PL/pgSQL function {by} "), cause.diag.context


@contextmanager
def refused(*, message: str, by: str | None) -> Iterator[None]:
    """The block's statement is refused as `assert_refusal` describes; its savepoint is rolled
    back, so the test can go on using the connection."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        yield
    assert_refusal(caught.value, message=message, by=by)
