"""A planner follows a report in a real browser: the status card changes while the report is
being made, without the page reloading; once it is finished, the downloads appear."""

import datetime

import pytest
from django.utils import timezone

from reports.models import ReportRequest, ReportState
from sozialraum.demo import DEMO_PASSWORD, demo_town_build
from sozialraum.models import Region, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _state_is(page, label: str) -> None:
    page.wait_for_function(
        "label => document.querySelector('[data-field=state_label]').textContent === label",
        arg=label,
        timeout=20_000,
    )


def test_the_status_card_follows_the_report_without_reloading(live_server, page):
    demo_town_build()  # the ground floor: regions and the demo accounts
    planner = User.objects.get(username="planung")
    # Stored but not handed to a broker: the worker's part is played by the test below.
    report = ReportRequest.objects.create(
        title="Bericht 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        requested_by=planner,
    )
    report.regions.set(Region.objects.all())

    page.goto(f"{live_server.url}/anmelden/")
    page.get_by_label("Benutzername").fill("planung")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Berichte").click()
    page.get_by_role("link", name="Bericht 2025").click()
    assert "wartend" in page.locator("main").inner_text()
    page.evaluate("window.sameDocument = true")

    ReportRequest.objects.filter(pk=report.pk).update(
        state=ReportState.RUNNING, progress=40, step="Fallzahlen werden berechnet"
    )
    _state_is(page, "läuft")
    assert page.evaluate("document.querySelector('progress').value") == 40
    assert "Fallzahlen werden berechnet" in page.locator("main").inner_text()
    assert page.evaluate("window.sameDocument === true")  # updated in place, not reloaded

    ReportRequest.objects.filter(pk=report.pk).update(
        state=ReportState.DONE,
        progress=100,
        step="",
        pdf=f"{report.public_id}.pdf",
        content={"sections": []},
        page_count=11,
        pdf_size=120_000,
        data_as_of=timezone.now(),
        finished_at=timezone.now(),
    )
    page.get_by_role("link", name="Bericht als PDF herunterladen").wait_for(timeout=20_000)
    assert "fertig" in page.locator("main").inner_text()
