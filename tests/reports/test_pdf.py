"""The report as a reader gets it: requested through the page, rendered in-process (the demo's
embedded mode), read back from the PDF with a text extractor."""

import re

import pytest
from django.urls import reverse

from reports.models import ReportRequest, ReportState
from tests.reports.conftest import post_report
from tests.reports.pdf_text import assert_report_reads_right


@pytest.fixture
def in_process(settings):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("a broker is configured; tests/reports/test_broker.py covers that way")


@pytest.mark.usefixtures("in_process", "committing")
def test_requested_report_reads_right(client, users, year_2025):
    client.force_login(users["planner"])
    response = post_report(
        client,
        [year_2025["N1"].region_id, year_2025["S1"].region_id],
        title="Bericht an den Jugendhilfeausschuss 2025",
        follow=True,
    )
    assert "Der Bericht ist fertig." in response.content.decode()
    report = ReportRequest.objects.get()
    assert report.state == ReportState.DONE
    pdf = b"".join(
        client.get(reverse("reports:download", args=[report.public_id])).streaming_content
    )
    pages = assert_report_reads_right(pdf, title="Bericht an den Jugendhilfeausschuss 2025")
    text = " ".join(pages)
    assert report.page_count == len(pages)
    # Figures counted independently in tests/reports/conftest.py: S1 took in 7, Nord's
    # Sozialräume 4 and 2 (printed x and < 3), 13 in all; S1 runs 9 helps, 4,5 per 1.000.
    assert re.search(r"Quartier S1 \(S1\) Süd 2\.000 7 9 9 0 3,5 4,5", text)
    assert re.search(r"Quartier N2 \(N2\) Nord 2\.000 < 3 < 3 < 3 0 – –", text)
    assert re.search(r"Quartier N1 \(N1\) Nord 2\.000 x x x 0 – –", text)
    assert re.search(r"Summe 8\.000 13 15 15 0 1,6 1,9", text)
    assert "Nord 500.000,00 € 12.345,67 €" in text
    assert "Vorwegabzug (zentral) 100.000,00 €" in text
    assert re.search(r"fallübergreifend 12\.345,67 € 0,00 € 10\.000,00 € \+23,5 100,0", text)
    assert re.search(r"Quartier S1 \(S1\) Süd 0 0 0 3 3", text)  # § 8a: three acute
    # No names, no case numbers.
    for case in year_2025["S1"].cases.all():
        assert case.number not in text
        assert all(p.last_name not in text for p in case.persons.all())
