"""Teil IV: the year's payments from the ledger by position, the administrator's mapping."""

import datetime
from decimal import Decimal

from django.urls import reverse

from budgets.services import payment_book
from kjhstat.surveys import spending
from tests.budgets.factories import fiscal_year_build, project_book, region_budget


def test_payments_of_the_year_by_position_and_the_mapping(client, users):
    fiscal_year = fiscal_year_build(planner=users["planner"], year=2025)
    budget = region_budget(fiscal_year, "N")
    group = project_book(budget=budget, by=users["caseworker"], amount="1000.00")
    payment_book(
        commitment=group,
        amount=Decimal("400.00"),
        paid_on=datetime.date(2025, 5, 1),
        by=users["caseworker"],
    )
    rows = list(spending.SURVEY.rows(2025))
    youth_work = next(row for row in rows if row["position"] == "11")
    assert (youth_work["ausgaben_eur"], youth_work["davon_vorwegabzug_eur"]) == ("400,00", "0,00")
    assert {row["position"] for row in rows} == {"11", "E1", "E2"}
    assert next(iter(spending.SURVEY.rows(2024)))["ausgaben_eur"] == "0,00"  # only income lines
    assert list(spending.SURVEY.plausibility(2025)) == []

    client.force_login(users["planner"])
    assert client.post(reverse("kjhstat:mapping"), {}).status_code == 404  # planners only read
    client.force_login(users["admin"])
    page = client.get(reverse("kjhstat:mapping")).content.decode()
    assert "kind:cross_case" in page
    response = client.post(
        reverse("kjhstat:mapping"),
        {"source": "kind:cross_case", "position": "13", "note": "Gruppen sind Jugendsozialarbeit"},
    )
    assert response.status_code == 302
    assert {row["position"] for row in spending.SURVEY.rows(2025)} == {"13", "E1", "E2"}
    refused = client.post(
        reverse("kjhstat:mapping"), {"source": "kind:cross_case", "position": "X"}
    )
    assert refused.status_code == 422
