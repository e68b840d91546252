"""The database itself refuses to change or delete audit entries (PostgreSQL).

SQLite, the embedded default for trying the portal out, keeps the model-level protection only:
its test flush deletes rows one by one, which such a trigger would block.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION cases_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_auditentry_append_only
    BEFORE UPDATE OR DELETE ON cases_auditentry
    FOR EACH ROW EXECUTE FUNCTION cases_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS cases_auditentry_append_only ON cases_auditentry;
DROP FUNCTION IF EXISTS cases_auditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_help_types")]

    operations = [migrations.RunPython(forwards, backwards)]
