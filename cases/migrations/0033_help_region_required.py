"""The help's region becomes required (in a migration of its own: PostgreSQL refuses to alter a
table in the transaction that filled it while its foreign key checks are still pending), with
the index the help type filter reads: region, help type, case."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0032_help_region")]

    operations = [
        migrations.AlterField(
            model_name="help",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sozialraum.region",
            ),
        ),
        migrations.AddIndex(
            model_name="help",
            index=models.Index(
                fields=["region", "help_type", "case"], name="help_region_type_case"
            ),
        ),
    ]
