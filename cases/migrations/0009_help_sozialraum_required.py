"""Help.sozialraum (step 2 of 2): required, with the index the Sozialraum figures read; and the
indexes for the same figures' intakes and projects and their § 8a assessments of a period."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_help_sozialraum_copy")]

    operations = [
        migrations.AlterField(
            model_name="help",
            name="sozialraum",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="sozialraum.sozialraum",
            ),
        ),
        migrations.AddIndex(
            model_name="help",
            index=models.Index(fields=["sozialraum", "starts_on"], name="help_sozialraum_start"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["sozialraum", "kind", "opened_on"], name="case_sozialraum_kind_opened"
            ),
        ),
        migrations.AddIndex(
            model_name="riskassessment",
            index=models.Index(fields=["assessed_at"], name="risk_assessed_at"),
        ),
    ]
