"""Fill `Budget.cached_projection` and `CommitmentPlaceTotal` from the existing commitments.

From then on the booking services move them with every change (`budgets.services`).
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import F, Sum


def fill(apps, schema_editor):
    Budget = apps.get_model("budgets", "Budget")
    Commitment = apps.get_model("budgets", "Commitment")
    CommitmentPlaceTotal = apps.get_model("budgets", "CommitmentPlaceTotal")
    cent = Decimal("0.01")
    projections = (
        Commitment.objects.filter(ended_on__isnull=True, is_cancelled=False)
        .values("budget_id")
        .annotate(extra=Sum(F("year_end_amount") - F("cached_bound")))
        .order_by()
        .values_list("budget_id", "extra")
    )
    for budget_id, extra in projections:
        Budget.objects.filter(pk=budget_id).update(
            cached_projection=Decimal(extra or 0).quantize(cent)
        )
    rows = (
        Commitment.objects.values("budget_id", "provider_id", "sozialraum_id")
        .annotate(bound=Sum("cached_bound"), paid=Sum("cached_paid"))
        .order_by()
    )
    CommitmentPlaceTotal.objects.bulk_create(
        (
            CommitmentPlaceTotal(
                budget_id=row["budget_id"],
                provider_id=row["provider_id"],
                sozialraum_id=row["sozialraum_id"],
                bound=Decimal(row["bound"] or 0).quantize(cent),
                paid=Decimal(row["paid"] or 0).quantize(cent),
            )
            for row in rows.iterator()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0017_summary_totals")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
