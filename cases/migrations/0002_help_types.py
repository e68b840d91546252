"""Seed the help catalogue: SGB VIII §§ 27–35a, 41, 42 and the office's own Sozialraum offers."""

from django.db import migrations

from cases.catalogue import HELP_TYPES


def seed(apps, schema_editor):
    HelpType = apps.get_model("cases", "HelpType")
    for order, (code, paragraph, name, placement, own) in enumerate(HELP_TYPES, start=1):
        HelpType.objects.update_or_create(
            code=code,
            defaults={
                "paragraph": paragraph,
                "name": name,
                "is_placement": placement,
                "is_sozialraum_offer": own,
                "sort_order": order,
            },
        )


def unseed(apps, schema_editor):
    HelpType = apps.get_model("cases", "HelpType")
    HelpType.objects.filter(code__in=[row[0] for row in HELP_TYPES], helps__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
