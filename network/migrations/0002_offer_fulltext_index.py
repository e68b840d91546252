"""A GIN index for the German full-text search over offers (PostgreSQL only).

The expression matches what `network.selectors.offer_search_vector()` compiles to, so the planner
can use the index; other databases (SQLite in development) search without it.
"""

from django.db import migrations

INDEX = "network_offer_fulltext_german"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON network_offer USING gin ("
    "to_tsvector('german'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
