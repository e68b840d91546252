"""Demo data of the reports app: one committee report on the current year, made like any other.

Without Redis it is rendered in-process when the demo's transaction commits, so the demo town
shows a finished report under "Berichte"; with Redis a worker renders it.
"""

import datetime

from django.utils import timezone

from reports.models import ReportRequest
from reports.services import report_request
from sozialraum.models import Region, User

DEMO_TITLE = "Bericht an den Jugendhilfeausschuss (Demo)"


def demo_build() -> None:
    if ReportRequest.objects.filter(title=DEMO_TITLE).exists():
        return
    today = timezone.localdate()
    report_request(
        user=User.objects.get(username="planung"),
        period_start=datetime.date(today.year, 1, 1),
        period_end=today,
        regions=Region.objects.all(),
        title=DEMO_TITLE,
    )
