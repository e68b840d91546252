"""`flush` wipes the whole database; only then may the SQLite ledger trigger let rows go.

(PostgreSQL flushes with TRUNCATE, which the row triggers do not see.)
"""

from django.core.management.commands.flush import Command as FlushCommand

from budgets.ledger_guard import ledger_flush_allowed


class Command(FlushCommand):
    def handle(self, **options):
        with ledger_flush_allowed():
            return super().handle(**options)
