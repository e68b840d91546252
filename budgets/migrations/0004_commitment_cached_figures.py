"""Cached bound and paid sums on each commitment, filled from the ledger once.

From here on `budgets.services._entry_book` moves them with every entry (as it moves the budget's
caches), and `reconcile_budgets` checks them against the ledger.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Q, Sum


def caches_fill(apps, schema_editor):
    Commitment = apps.get_model("budgets", "Commitment")
    LedgerEntry = apps.get_model("budgets", "LedgerEntry")
    sums = (
        LedgerEntry.objects.filter(commitment__isnull=False)
        .values("commitment_id")
        .annotate(
            bound=Sum("amount", filter=Q(figure="committed"), default=Decimal("0.00")),
            paid=Sum("amount", filter=Q(figure="paid"), default=Decimal("0.00")),
        )
        .order_by()
    )
    for row in sums:
        Commitment.objects.filter(pk=row["commitment_id"]).update(
            cached_bound=row["bound"], cached_paid=row["paid"]
        )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0003_commitment_assignment")]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="cached_bound",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), editable=False, max_digits=14
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="cached_paid",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0.00"), editable=False, max_digits=14
            ),
        ),
        migrations.RunPython(caches_fill, migrations.RunPython.noop),
    ]
