"""The person's region becomes required (in a migration of its own: PostgreSQL refuses to alter
a table in the transaction that filled it while its foreign key checks are still pending), and
the name search gets its index: the region and the name's trigrams in one GIN index
(btree_gin and pg_trgm, both trusted extensions; PostgreSQL only, SQLite searches without)."""

import django.db.models.deletion
from django.db import migrations, models

NAME = "person_region_name_key_trigram"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_person USING gin (region_id, name_key gin_trgm_ops)",
]
DROP = [f"DROP INDEX IF EXISTS {NAME}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_person_region")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="region",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sozialraum.region",
                verbose_name="Region",
            ),
        ),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
