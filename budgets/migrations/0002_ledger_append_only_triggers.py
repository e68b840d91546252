"""The database refuses UPDATE and DELETE on ledger entries (a trigger per vendor)."""

from django.db import migrations

from budgets.ledger_guard import triggers_install, triggers_remove


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_ledger")]

    operations = [migrations.RunPython(triggers_install, triggers_remove)]
