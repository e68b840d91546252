"""Each person carries the region of its case (for the name search's index), filled here for
the people that exist, in one statement."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def region_fill(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    Case = apps.get_model("cases", "Case")
    Person.objects.update(
        region_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("region_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0029_case_review_due_on"),
        ("sozialraum", "0005_kjh_statistics_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sozialraum.region",
                verbose_name="Region",
            ),
        ),
        migrations.RunPython(region_fill, migrations.RunPython.noop),
    ]
