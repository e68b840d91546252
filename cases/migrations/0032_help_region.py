"""Each help carries the region of its case (for the case list's help type filter), filled
here for the helps that exist, in one statement."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def region_fill(apps, schema_editor):
    Help = apps.get_model("cases", "Help")
    Case = apps.get_model("cases", "Case")
    Help.objects.update(
        region_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("region_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0031_person_region_required"),
        ("sozialraum", "0005_kjh_statistics_items"),
    ]

    operations = [
        migrations.AddField(
            model_name="help",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sozialraum.region",
            ),
        ),
        migrations.RunPython(region_fill, migrations.RunPython.noop),
    ]
