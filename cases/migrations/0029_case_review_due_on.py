"""The case carries the due day of its earliest open Hilfeplangespräch (the case list's
"HPG überfällig" filter), filled here for the cases that exist, in one statement."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def review_due_fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    HelpPlanReview = apps.get_model("cases", "HelpPlanReview")
    earliest = (
        HelpPlanReview.objects.filter(
            case=OuterRef("pk"), held_on__isnull=True, cancelled_on__isnull=True
        )
        .order_by("due_on")
        .values("due_on")[:1]
    )
    Case.objects.update(review_due_on=Subquery(earliest))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0028_review_due_index_replaced"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="review_due_on",
            field=models.DateField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="nächstes Hilfeplangespräch fällig am",
            ),
        ),
        migrations.RunPython(review_due_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("review_due_on__isnull", False), ("withdrawn_at__isnull", True)
                ),
                fields=["region", "-id", "review_due_on"],
                name="case_region_review_due",
            ),
        ),
    ]
