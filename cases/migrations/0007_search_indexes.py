"""Indexes for the case list's search (PostgreSQL only; SQLite in development searches without).

- Case numbers: the search matches `UPPER(number) LIKE 'N-2026-00%'` (`istartswith`); a
  text_pattern_ops index on that expression answers the prefix instead of reading the region.
- Names: a person's `name_key` is searched for parts ("mueller" in "mueller|anna"); a trigram
  index (pg_trgm, a trusted extension) finds those rows instead of probing every case.
"""

from django.db import migrations

NUMBER = "case_number_upper_prefix"
NAME = "person_name_key_trigram"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {NUMBER} ON cases_case (UPPER(number::text) text_pattern_ops)",
    f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_person USING gin (name_key gin_trgm_ops)",
]
DROP = [f"DROP INDEX IF EXISTS {NUMBER}", f"DROP INDEX IF EXISTS {NAME}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_anonymised_at")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
