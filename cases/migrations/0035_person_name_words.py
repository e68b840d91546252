"""The name search's words (`PersonNameWord`), filled from every person's normalised name."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000


def fill(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    PersonNameWord = apps.get_model("cases", "PersonNameWord")
    rows = Person.objects.values_list("pk", "case_id", "case__region_id", "name_key")
    batch = []
    for pk, case_id, region_id, key in rows.order_by("pk").iterator(chunk_size=BATCH):
        # The words of the key as cases.names.name_words splits them (copied: a migration
        # keeps its own code).
        for word in sorted(set(key.replace("|", " ").split())):
            batch.append(
                PersonNameWord(person_id=pk, case_id=case_id, region_id=region_id, word=word)
            )
        if len(batch) >= BATCH:
            PersonNameWord.objects.bulk_create(batch)
            batch = []
    PersonNameWord.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0034_audit_user_single_index"),
        ("sozialraum", "0005_kjh_statistics_items"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonNameWord",
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
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="name_words",
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
                "verbose_name": "Namenswort (Suche)",
                "verbose_name_plural": "Namenswörter (Suche)",
                "indexes": [
                    models.Index(
                        fields=["region", "word", "case"],
                        name="person_word_region",
                        opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
                    ),
                    models.Index(
                        fields=["word", "case"],
                        name="person_word",
                        opclasses=["varchar_pattern_ops", "int8_ops"],
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
