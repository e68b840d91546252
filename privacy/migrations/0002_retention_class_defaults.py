"""Seed one retention class per record type, not yet released (is_active=False).

The periods and their legal bases are in `privacy.rules.DEFAULTS` (§ 9b SGB VIII, § 84 SGB X,
Art. 17 DSGVO …), each marked as to be checked by the office's data-protection officer. From here
on they are data: administrators change and release them in the portal.
"""

from django.db import migrations

from privacy.rules import DEFAULTS


def seed(apps, schema_editor):
    RetentionClass = apps.get_model("privacy", "RetentionClass")
    for record_type, years, months, anchor, action, legal_basis in DEFAULTS:
        RetentionClass.objects.get_or_create(
            record_type=str(record_type),
            defaults={
                "period_years": years,
                "period_months": months,
                "anchor": str(anchor),
                "action": str(action),
                "legal_basis": legal_basis,
                "is_active": False,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("privacy", "RetentionClass").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention_holds_runs")]

    operations = [migrations.RunPython(seed, unseed)]
