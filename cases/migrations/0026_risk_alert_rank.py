from django.conf import settings
from django.db import migrations, models
from django.db.models import Case, Value, When


def alert_rank_fill(apps, schema_editor):
    """`alert_rank` of the existing assessments, by the rule of
    `cases.protection.alert_rank_of_level` (written out here: a migration keeps the rule of its
    day): acute 0, not yet assessed 1, every other result 2."""
    RiskAssessment = apps.get_model("cases", "RiskAssessment")
    RiskAssessment.objects.update(
        alert_rank=Case(
            When(level="acute", then=Value(0)), When(level="", then=Value(1)), default=Value(2)
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_steering_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="riskassessment",
            name="alert_rank",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(alert_rank_fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="riskassessment",
            index=models.Index(
                condition=models.Q(("is_open", True)),
                fields=["alert_rank", "assessed_at", "id"],
                name="risk_open_by_rank",
            ),
        ),
    ]
