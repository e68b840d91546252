"""A region's budget page shows the newest commitments and entries and pages back by key."""

from django.urls import reverse

from budgets.selectors import budget_figures
from tests.budgets.factories import project_book


def test_budget_page_shows_newest_first_and_pages_back(client, users, budget_nord, settings):
    settings.CASE_LIST_PAGE_SIZE = 2
    for number in (1, 2, 3):
        project_book(budget=budget_nord, by=users["caseworker"], title=f"Projekt {number}")
    client.force_login(users["caseworker"])
    url = reverse("budgets:budget_detail", args=[budget_nord.pk])

    first = client.get(url)
    titles = [c["title"] for c in first.context["commitments"]]
    texts = [e["text"] for e in first.context["entries"]]
    assert titles == ["Projekt 3", "Projekt 2"]
    assert texts == ["Bewilligung: Projekt 3", "Bewilligung: Projekt 2"]
    assert "Ältere Bewilligungen" in first.content.decode()
    assert "Ältere Buchungen" in first.content.decode()

    older = client.get(url, {"bewilligungen_nach": first.context["commitments_next"]})
    assert [c["title"] for c in older.context["commitments"]] == ["Projekt 1"]
    assert "Ältere Bewilligungen" not in older.content.decode()

    older = client.get(url, {"buchungen_nach": first.context["entries_next"]})
    texts = [e["text"] for e in older.context["entries"]]
    assert texts[0] == "Bewilligung: Projekt 1"
    assert texts[1].startswith("Zuweisung")
    assert "Zu den neuesten" in older.content.decode()


def test_figures_on_the_budget_page_equal_the_ledger(client, users, budget_nord):
    project_book(budget=budget_nord, by=users["caseworker"], amount="1234.56")
    client.force_login(users["planner"])
    response = client.get(reverse("budgets:budget_detail", args=[budget_nord.pk]))
    figures = response.context["figures"]
    assert figures == budget_figures([budget_nord])[budget_nord.pk]
    assert "1.234,56" in response.content.decode()


def test_a_year_or_page_written_with_other_digits_is_refused_not_a_500(client, users, budget_nord):
    client.force_login(users["planner"])
    assert client.get(reverse("budgets:overview"), {"jahr": "²"}).status_code == 200
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:list"), {"nach": "٣"}).status_code == 200
