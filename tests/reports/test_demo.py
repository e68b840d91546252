"""The demo town comes with a finished committee report, with or without a Celery worker."""

from django.core.management import call_command
from django.urls import reverse

from reports.demo import DEMO_TITLE
from reports.models import ReportRequest, ReportState
from sozialraum.models import User
from tests.reports.pdf_text import pdf_pages


def test_demo_has_one_finished_report_that_leitung_nord_can_read(client, db, report_files):
    call_command("demo_town", verbosity=0)
    call_command("demo_town", verbosity=0)
    report = ReportRequest.objects.get()
    assert (report.title, report.state) == (DEMO_TITLE, ReportState.DONE)
    assert [p.name for p in report_files.iterdir()] == [f"{report.public_id}.pdf"]

    client.force_login(User.objects.get(username="leitung-nord"))
    assert DEMO_TITLE in client.get(reverse("reports:list")).content.decode()
    response = client.get(reverse("reports:download", args=[report.public_id]))
    pages = pdf_pages(b"".join(response.streaming_content))
    assert DEMO_TITLE in pages[0] and len(pages) == report.page_count
