from django.apps import AppConfig
from django.db.backends.signals import connection_created


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self) -> None:
        from budgets.ledger_guard import sqlite_function_register

        # SQLite needs the ledger guard's function on every connection (PostgreSQL has a trigger).
        connection_created.connect(sqlite_function_register, dispatch_uid="budgets_ledger_guard")
