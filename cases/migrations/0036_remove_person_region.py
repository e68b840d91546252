"""The person's copied region goes (in a migration of its own, after the words are filled:
PostgreSQL refuses to alter a table in the transaction that filled another one pointing at it
while its foreign key checks are pending). The search words carry the region now (`SearchWord`), and the
region and trigram index of migration 0031 goes with the column."""

from django.db import migrations


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_region_name_key_trigram")


class Migration(migrations.Migration):
    dependencies = [("cases", "0035_search_words")]

    operations = [
        migrations.RunPython(drop_trigram_index, migrations.RunPython.noop),
        migrations.RemoveField(model_name="person", name="region"),
    ]
