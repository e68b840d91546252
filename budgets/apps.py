from django.apps import AppConfig
from django.db.backends.signals import connection_created


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self) -> None:
        from budgets.assignments import on_assignment_commissioned, on_assignment_ended
        from budgets.ledger_guard import sqlite_function_register
        from cases.signals import assignment_commissioned, assignment_ended

        connection_created.connect(sqlite_function_register, dispatch_uid="budgets_ledger_guard")
        assignment_commissioned.connect(on_assignment_commissioned, dispatch_uid="budgets_commit")
        assignment_ended.connect(on_assignment_ended, dispatch_uid="budgets_release")
