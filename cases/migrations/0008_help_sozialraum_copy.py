"""Help.sozialraum: the case's Sozialraum, copied onto each help (step 1 of 2: add and fill).

The Sozialraum and region pages count running helps per Sozialraum on every view; joining every
help of the city to its case made that grow with the city. Filled from the cases here; the
column becomes required, with its index, in 0009 (a separate transaction: PostgreSQL will not
alter a table with pending foreign-key checks from this UPDATE).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_cases(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Help = apps.get_model("cases", "Help")
    Help.objects.update(
        sozialraum_id=Subquery(
            Case.objects.filter(pk=OuterRef("case_id")).values("sozialraum_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_search_indexes"),
        ("sozialraum", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="help",
            name="sozialraum",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sozialraum.sozialraum",
            ),
        ),
        migrations.RunPython(copy_from_cases, migrations.RunPython.noop),
    ]
