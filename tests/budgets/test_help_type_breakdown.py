"""The overview's table by help type: group and project work is not a help type (issue 24)."""

from decimal import Decimal

from django.urls import reverse

from budgets.models import Budget, CommitmentTotal
from budgets.selectors import WITHOUT_HELP_TYPE, breakdown_by_help_type
from cases.models import CaseKind


def test_money_without_a_help_type_is_labelled_by_kind_of_work(client, users, budget_nord):
    CommitmentTotal.objects.create(
        budget=budget_nord, kind=CaseKind.CROSS_CASE, bound=Decimal("610.00")
    )
    CommitmentTotal.objects.create(
        budget=budget_nord, kind=CaseKind.CASE_INDEPENDENT, bound=Decimal("390.00")
    )
    rows = {row.label: row for row in breakdown_by_help_type(Budget.objects.all())}
    assert "ohne Hilfeart" not in rows
    cross_case = rows[WITHOUT_HELP_TYPE[CaseKind.CROSS_CASE]]
    assert cross_case.committed == Decimal("610.00")
    assert cross_case.share == Decimal("61.0")
    assert rows[WITHOUT_HELP_TYPE[CaseKind.CASE_INDEPENDENT]].committed == Decimal("390.00")

    client.force_login(users["planner"])
    page = client.get(reverse("budgets:overview") + "?jahr=2026").content.decode()
    assert "Gruppen- und Projektarbeit hat keine Hilfeart" in page
    assert "fallübergreifende Arbeit: Gruppen und Projekte (keine Hilfeart)" in page
    assert "(Einzelfallhilfen)" not in page
