"""PostgreSQL refuses TRUNCATE of the audit log for everyone but a superuser (see db_roles)."""

from django.db import migrations

from privacy.db_roles import truncate_guard_install, truncate_guard_remove


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_retention_class_defaults"),
        ("cases", "0003_audit_append_only"),
    ]

    operations = [migrations.RunPython(truncate_guard_install, truncate_guard_remove)]
