"""The case list's search words (`SearchWord`), filled from every person's normalised name and
every project's title."""

import re
import unicodedata

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _words(text: str) -> list[str]:
    """cases.names.name_part_key's words, copied: a migration keeps its own code."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return sorted(set(re.sub(r"[^a-z0-9]+", " ", text).split()))


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("cases", "Person")
    SearchWord = apps.get_model("cases", "SearchWord")
    batch = []

    def add(**fields):
        batch.append(SearchWord(**fields))
        if len(batch) >= BATCH:
            SearchWord.objects.bulk_create(batch)
            batch.clear()

    persons = Person.objects.values_list("pk", "case_id", "case__region_id", "name_key")
    for pk, case_id, region_id, key in persons.order_by("pk").iterator(chunk_size=BATCH):
        # A name key is normalised already ("mueller|lea"): its words are its parts.
        for word in sorted(set(key.replace("|", " ").split())):
            add(case_id=case_id, person_id=pk, region_id=region_id, word=word)
    titled = Case.objects.exclude(title="").values_list("pk", "region_id", "title")
    for case_id, region_id, title in titled.order_by("pk").iterator(chunk_size=BATCH):
        for word in _words(title):
            add(case_id=case_id, region_id=region_id, word=word)
    SearchWord.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0034_audit_user_single_index"),
        ("sozialraum", "0005_kjh_statistics_items"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=170)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.person",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="sozialraum.region",
                    ),
                ),
            ],
            options={
                "verbose_name": "Suchwort",
                "verbose_name_plural": "Suchwörter",
                "indexes": [
                    models.Index(
                        fields=["region", "word", "case", "person"],
                        name="search_word_region",
                        opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops", "int8_ops"],
                    ),
                    models.Index(
                        fields=["word", "case", "person"],
                        name="search_word",
                        opclasses=["varchar_pattern_ops", "int8_ops", "int8_ops"],
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
