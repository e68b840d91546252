"""Demo data of the reports app: one finished committee report on the current year.

It is requested like any other, and rendered right here in the demo's process, so the demo town
shows a finished report under "Berichte" with or without a Celery worker; the message queued when
the demo's transaction commits then finds it done and leaves it alone.
"""

import datetime

from django.utils import timezone

from reports.models import ReportRequest
from reports.services import report_render, report_request
from sozialraum.models import Region, User

DEMO_TITLE = "Bericht an den Jugendhilfeausschuss (Demo)"


def demo_build() -> None:
    if ReportRequest.objects.filter(title=DEMO_TITLE).exists():
        return
    today = timezone.localdate()
    report = report_request(
        user=User.objects.get(username="planung"),
        period_start=datetime.date(today.year, 1, 1),
        period_end=today,
        regions=Region.objects.all(),
        title=DEMO_TITLE,
    )
    report_render(report_id=report.pk, task_id="demo")
