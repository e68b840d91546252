"""Seed the help catalogue: SGB VIII §§ 27–35a, 41, 42 and the office's own Sozialraum offers."""

from django.db import migrations

# code, legal basis, name, is placement, is the office's own Sozialraum offer
HELP_TYPES = [
    ("27-2", "§ 27 Abs. 2 SGB VIII", "Flexible Hilfe zur Erziehung", False, False),
    ("28", "§ 28 SGB VIII", "Erziehungsberatung", False, False),
    ("29", "§ 29 SGB VIII", "Soziale Gruppenarbeit", False, False),
    ("30", "§ 30 SGB VIII", "Erziehungsbeistand, Betreuungshelfer", False, False),
    ("31", "§ 31 SGB VIII", "Sozialpädagogische Familienhilfe", False, False),
    ("32", "§ 32 SGB VIII", "Erziehung in einer Tagesgruppe", False, False),
    ("33", "§ 33 SGB VIII", "Vollzeitpflege", True, False),
    ("34", "§ 34 SGB VIII", "Heimerziehung, sonstige betreute Wohnform", True, False),
    ("35", "§ 35 SGB VIII", "Intensive sozialpädagogische Einzelbetreuung", False, False),
    ("35a-amb", "§ 35a SGB VIII", "Eingliederungshilfe, ambulant", False, False),
    ("35a-stat", "§ 35a SGB VIII", "Eingliederungshilfe, stationär", True, False),
    ("41", "§ 41 SGB VIII", "Hilfe für junge Volljährige, ambulant", False, False),
    ("41-stat", "§ 41 SGB VIII", "Hilfe für junge Volljährige, stationär", True, False),
    ("42", "§ 42 SGB VIII", "Inobhutnahme", True, False),
    ("SR-flex", "", "Flexible Unterstützung im Sozialraum", False, True),
    ("SR-gruppe", "", "Gruppenangebot im Sozialraum", False, True),
    ("SR-beratung", "", "Offene Beratung im Sozialraum", False, True),
]


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
