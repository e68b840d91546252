"""KJH statistics in a real browser: a caseworker ends a help with its reason for ending; the
planner sees the count of ended helps change and downloads the delivery file."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import CaseStatus, Sozialraum
from sozialraum.demo import DEMO_PASSWORD, demo_town_build
from sozialraum.models import User
from tests.browser.conftest import log_in
from tests.cases.factories import CaseFactory, HelpPlanFactory
from tests.kjhstat.conftest import help_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ended_30(page) -> str:
    """The cell "beendet" of § 30 in the first table."""
    row = page.locator("table").first.locator("tr", has_text="§ 30 Erziehungsbeistand")
    return row.locator("td").nth(1).inner_text()


def test_caseworker_ends_a_help_and_planner_sees_it_and_downloads(
    live_server, page, tasks_in_process
):
    from cases.services import help_types_ensure

    demo_town_build()
    help_types_ensure()
    caseworker = User.objects.get(username="asd-nord")
    sozialraum = Sozialraum.objects.filter(region__code="N").order_by("code").first()
    year = datetime.date.today().year
    case = CaseFactory(
        sozialraum=sozialraum,
        steering_caseworker=caseworker,
        status=CaseStatus.RUNNING,
        opened_on=datetime.date(year, 1, 5),
    )
    help_ = help_build(
        code="30",
        starts_on=datetime.date(year, 1, 10),
        case=case,
        hours_per_week=Decimal("4.00"),
    )
    HelpPlanFactory(help=help_, case=case)  # every decided help has its plan

    log_in(page, live_server.url, "planung", DEMO_PASSWORD)
    page.get_by_role("link", name="KJH-Statistik").click()
    page.goto(live_server.url + reverse("kjhstat:survey", kwargs={"key": "teil1", "year": year}))
    assert _ended_30(page) == "0"
    page.context.clear_cookies()

    log_in(page, live_server.url, "asd-nord", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("budgets:help_end", args=[case.pk, help_.pk]))
    page.get_by_label("Hilfe beendet am").fill(datetime.date.today().isoformat())
    page.get_by_label("Begründung").fill("Die Ziele sind erreicht.")
    page.get_by_label("Grund der Beendigung (Statistik)").select_option(
        label="Beendigung gemäß Hilfeplan / den Hilfeplanzielen"
    )
    page.get_by_role("button", name="Weiter: Folgen prüfen").click()
    page.get_by_role("button", name="Ja, so entscheiden").click()
    page.wait_for_load_state()
    help_.refresh_from_db()
    assert help_.ended_on is not None and help_.end_reason == "1"
    page.context.clear_cookies()

    log_in(page, live_server.url, "planung", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("kjhstat:survey", kwargs={"key": "teil1", "year": year}))
    assert _ended_30(page) == "1"
    page.get_by_role("button", name="Vorschau-Lieferdatei erstellen").click()
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.get_by_role("link", name=f"kjh_teil1_{year}_VORSCHAU.csv herunterladen").click()
    download = info.value
    assert download.suggested_filename == f"kjh_teil1_{year}_VORSCHAU.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("kennnummer;berichtsjahr;art_der_hilfe;status")
    mine = next(line for line in lines[1:] if line.startswith(f"{help_.pk};"))
    assert mine.split(";")[3] == "1"  # ended in the year
    assert mine.split(";")[-2:] == ["1", "1"]  # as planned
