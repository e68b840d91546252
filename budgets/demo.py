"""Budgets of the demo town Lindenau: 2025 and 2026, projects, payments, an open request.

Idempotent: nothing is booked when the 2025 fiscal year already exists. Every booking goes
through the services, as a person would make it, so the ledger is complete.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from budgets.models import Budget, FiscalYear, SplitMethod
from budgets.selectors import split_proposals
from budgets.services import (
    budget_split_decide,
    commitment_book,
    fiscal_year_create,
    fiscal_year_distributable,
    payment_book,
    reserve_transfer_decide,
    reserve_transfer_request,
    year_end_carry_over,
)
from cases.models import CaseKind
from sozialraum.models import Provider, Region, Sozialraum, User

D = datetime.date

# year → (title, kind, region, Sozialraum code, provider short name, amount, start, end, paid)
# (title, kind of work, region, Sozialraum, provider, amount, start, end, paid or None)
Project = tuple[str, str, str, str, str, str, datetime.date, datetime.date, str | None]
PROJECTS: dict[int, list[Project]] = {
    2025: [
        (
            "Elterncafé Lindenau-Heide",
            CaseKind.CROSS_CASE,
            "N",
            "N1",
            "KJH Lindenau",
            "16800.00",
            D(2025, 2, 1),
            D(2025, 12, 31),
            "16800.00",
        ),
        (
            "Offener Treff Am Mühlenteich",
            CaseKind.CASE_INDEPENDENT,
            "N",
            "N2",
            "AWO Lindenau",
            "39500.00",
            D(2025, 1, 1),
            D(2025, 12, 31),
            "39500.00",
        ),
        (
            "Gruppe für Alleinerziehende Altstadt",
            CaseKind.CROSS_CASE,
            "S",
            "S1",
            "Diakonie Süd",
            "14200.00",
            D(2025, 3, 1),
            D(2025, 12, 31),
            "14200.00",
        ),
        (
            "Spielplatzprojekt Bahnhofsviertel",
            CaseKind.CASE_INDEPENDENT,
            "S",
            "S2",
            "Sprungbrett",
            "8900.00",
            D(2025, 5, 1),
            D(2025, 9, 30),
            "8900.00",
        ),
    ],
    2026: [
        (
            "Elterncafé Lindenau-Heide",
            CaseKind.CROSS_CASE,
            "N",
            "N1",
            "KJH Lindenau",
            "18400.00",
            D(2026, 1, 1),
            D(2026, 12, 31),
            "12266.67",
        ),
        (
            "Offener Treff Am Mühlenteich",
            CaseKind.CASE_INDEPENDENT,
            "N",
            "N2",
            "AWO Lindenau",
            "42000.00",
            D(2026, 1, 1),
            D(2026, 12, 31),
            "31500.00",
        ),
        (
            "Väterfrühstück Am Mühlenteich",
            CaseKind.CROSS_CASE,
            "N",
            "N2",
            "Familienhilfe Am Teich",
            "4800.00",
            D(2026, 4, 1),
            D(2026, 11, 30),
            None,
        ),
        (
            "Gruppe für Alleinerziehende Altstadt",
            CaseKind.CROSS_CASE,
            "S",
            "S1",
            "Diakonie Süd",
            "15600.00",
            D(2026, 1, 1),
            D(2026, 12, 31),
            "9100.00",
        ),
        (
            "Stadtteilfest Bahnhofsviertel",
            CaseKind.CASE_INDEPENDENT,
            "S",
            "S2",
            "Sprungbrett",
            "6500.00",
            D(2026, 6, 1),
            D(2026, 6, 30),
            "6500.00",
        ),
        (
            "Hausaufgabenhilfe Altstadt",
            CaseKind.CASE_INDEPENDENT,
            "S",
            "S1",
            "Caritas",
            "11200.00",
            D(2026, 2, 1),
            D(2026, 12, 31),
            "7000.00",
        ),
    ],
}
BOOKERS = {"N": "asd-nord", "S": "asd-sued"}


@transaction.atomic
def demo_build() -> None:
    if FiscalYear.objects.filter(year=2025).exists():
        return
    planner = User.objects.get(username="planung")
    lead = User.objects.get(username="leitung-nord")

    # 2025: 5 % Vorwegabzug, split by minors.
    year_2025 = fiscal_year_create(
        year=2025, total=Decimal("9800000.00"), reserve_percentage=Decimal("5"), by=planner
    )
    proposal = split_proposals(year_2025, fiscal_year_distributable(year_2025))[0]
    budget_split_decide(
        fiscal_year=year_2025,
        method=SplitMethod.MINORS,
        shares=proposal.shares,
        rationale=(
            "Erstes Jahr des Sozialraumbudgets: Aufteilung nach der Zahl der Minderjährigen je "
            "Region, wie im Jugendhilfeausschuss vereinbart."
        ),
        by=planner,
    )
    _book_projects(2025)
    granted = reserve_transfer_request(
        budget=_budget(2025, "N"),
        amount=Decimal("60000.00"),
        justification="Zwei kurzfristige Inobhutnahmen mit anschließender Unterbringung.",
        by=lead,
    )
    reserve_transfer_decide(request=granted, approve=True, by=planner, note="Genehmigt.")

    # 2026: a fixed Vorwegabzug, the split set by the planners with their own figures.
    year_2026 = fiscal_year_create(
        year=2026, total=Decimal("10200000.00"), reserve_amount=Decimal("500000.00"), by=planner
    )
    distributable = fiscal_year_distributable(year_2026)
    north = Decimal("4850000.00")
    budget_split_decide(
        fiscal_year=year_2026,
        method=SplitMethod.MANUAL,
        shares={
            _region(2026, "N"): north,
            _region(2026, "S"): distributable - north,
        },
        rationale=(
            "Vorschlag nach Minderjährigen, Nord um 50.000 € angehoben für den neuen Offenen "
            "Treff; Beschluss der Planungsgruppe vom 12.11.2025."
        ),
        by=planner,
    )
    year_end_carry_over(
        budget=_budget(2025, "N"),
        amount=Decimal("35000.00"),
        reason="Rest 2025 für das Sozialraumprojekt „Spielmobil“ in Lindenau-Heide.",
        by=planner,
    )
    _book_projects(2026)
    # Open for the demo: `planung` approves it.
    reserve_transfer_request(
        budget=_budget(2026, "N"),
        amount=Decimal("25000.00"),
        justification="Zuzug von drei Familien mit hohem Hilfebedarf in Lindenau-Heide.",
        by=lead,
    )


def _budget(year: int, region_code: str) -> Budget:
    return Budget.objects.select_related("region", "fiscal_year").get(
        fiscal_year__year=year, region__code=region_code
    )


def _region(year: int, region_code: str) -> Region:
    region = _budget(year, region_code).region
    assert region is not None  # the budget was found by its region's code
    return region


def _book_projects(year: int) -> None:
    for title, kind, region, sozialraum, provider, amount, start, end, paid in PROJECTS[year]:
        booker = User.objects.get(username=BOOKERS[region])
        commitment = commitment_book(
            budget=_budget(year, region),
            kind=kind,
            title=title,
            amount=Decimal(amount),
            starts_on=start,
            ends_on=end,
            sozialraum=Sozialraum.objects.valid_on(start).get(code=sozialraum),
            provider=Provider.objects.get(short_name=provider),
            by=booker,
        )
        if paid:
            payment_book(
                commitment=commitment,
                amount=Decimal(paid),
                paid_on=min(end, D(year, 10, 31)),
                note="Abschlag",
                by=booker,
            )
