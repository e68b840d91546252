"""§ 8a as a process (issue 25): the single acknowledgement of an assessment becomes one per
role, and an assessment recorded before has its result recorded by its author at its time."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    RiskAssessment = apps.get_model("cases", "RiskAssessment")
    RiskAcknowledgement = apps.get_model("cases", "RiskAcknowledgement")
    RiskAssessment.objects.exclude(level="").filter(concluded_at__isnull=True).update(
        concluded_at=F("assessed_at"), concluded_by=F("assessed_by")
    )
    acknowledged = RiskAssessment.objects.filter(acknowledged_at__isnull=False).select_related(
        "acknowledged_by"
    )
    RiskAcknowledgement.objects.bulk_create(
        [
            RiskAcknowledgement(
                assessment=assessment,
                role="team_lead" if assessment.acknowledged_by.role == "team_lead" else "steering",
                user=assessment.acknowledged_by,
                at=assessment.acknowledged_at,
            )
            for assessment in acknowledged.iterator()
        ]
    )


def backwards(apps, schema_editor):
    RiskAssessment = apps.get_model("cases", "RiskAssessment")
    RiskAcknowledgement = apps.get_model("cases", "RiskAcknowledgement")
    for ack in RiskAcknowledgement.objects.order_by("at", "id").iterator():
        RiskAssessment.objects.filter(pk=ack.assessment_id, acknowledged_at__isnull=True).update(
            acknowledged_by=ack.user_id, acknowledged_at=ack.at
        )
    RiskAcknowledgement.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_risk_assessment_process"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
