"""Seed one retention class per record type, not yet released (is_active=False).

The periods and their legal bases are in `privacy.rules.DEFAULTS` (§ 9b SGB VIII, § 84 SGB X,
Art. 17 DSGVO …), each marked as to be checked by the office's data-protection officer. From here
on they are data: administrators change and release them in the portal.
"""

from django.db import migrations

from privacy.rules import retention_defaults_seed


def unseed(apps, schema_editor):
    apps.get_model("privacy", "RetentionClass").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention_holds_runs")]

    operations = [migrations.RunPython(retention_defaults_seed, unseed)]
