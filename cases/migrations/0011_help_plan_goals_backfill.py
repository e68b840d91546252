"""Help plans opened before plans had goals: give each the Grobziele its case had when the
help was decided (goals added later belong to later plans or none)."""

from django.db import migrations


def plans_take_case_goals(apps, schema_editor):
    HelpPlan = apps.get_model("cases", "HelpPlan")
    Goal = apps.get_model("cases", "Goal")
    Through = HelpPlan.goals.through
    rows = []
    for plan in HelpPlan.objects.select_related("help").iterator():
        goals = Goal.objects.filter(case_id=plan.case_id, created_at__lte=plan.help.decided_at)
        rows.extend(
            Through(helpplan_id=plan.pk, goal_id=goal_id)
            for goal_id in goals.values_list("pk", flat=True)
        )
        if len(rows) >= 5000:
            Through.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Through.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_help_plan_appointments"),
    ]

    operations = [
        migrations.RunPython(plans_take_case_goals, migrations.RunPython.noop),
    ]
