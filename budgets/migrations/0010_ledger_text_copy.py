"""Move the free text of every ledger entry (booking text, a reversal's reason) into
`LedgerText`, one row per entry. Reads the ledger only: the append-only trigger stays."""

from django.db import migrations


def texts_copy(apps, schema_editor):
    LedgerEntry = apps.get_model("budgets", "LedgerEntry")
    LedgerText = apps.get_model("budgets", "LedgerText")
    rows = LedgerEntry.objects.order_by("pk").values_list("pk", "text", "reason")
    batch = []
    for pk, text, reason in rows.iterator(chunk_size=2000):
        batch.append(LedgerText(entry_id=pk, text=text, reason=reason))
        if len(batch) == 2000:
            LedgerText.objects.bulk_create(batch)
            batch = []
    LedgerText.objects.bulk_create(batch)


def texts_back(apps, schema_editor):
    # The texts stay on the entries until the next migration removes them; going back, the
    # copies are simply dropped.
    apps.get_model("budgets", "LedgerText").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0009_ledger_text"),
    ]

    operations = [
        migrations.RunPython(texts_copy, texts_back),
    ]
