"""Budgets of the demo town Lindenau: last year and this, projects, payments, an open request,
and the town's everyday cases with their money (`budgets.demo_town`).

Idempotent: nothing is booked when a fiscal year already exists. Every booking goes
through the services, as a person would make it, so the ledger is complete.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from budgets.demo_provider_budgets import demo_build as provider_budgets_demo_build
from budgets.demo_town import town_build
from budgets.models import (
    Budget,
    EntryKind,
    ErasureGround,
    FiscalYear,
    LedgerEntry,
    SplitMethod,
)
from budgets.selectors import split_proposals
from budgets.services import (
    budget_split_decide,
    commitment_book,
    fiscal_year_create,
    fiscal_year_distributable,
    ledger_texts_erase,
    payment_book,
    reserve_transfer_decide,
    reserve_transfer_request,
    year_end_carry_over,
)
from cases.models import CaseKind
from sozialraum.models import Provider, Region, Sozialraum, User

D = datetime.date

# year (0: the last, 1: this) → (title, kind of work, region, Sozialraum, provider, amount,
# start and end as (month, day), paid or None)
Day = tuple[int, int]
Project = tuple[str, str, str, str, str, str, Day, Day, str | None]
PROJECTS: dict[int, list[Project]] = {
    0: [
        (
            "Elterncafé Lindenau-Heide",
            CaseKind.CROSS_CASE,
            "N",
            "N1",
            "KJH Lindenau",
            "16800.00",
            (2, 1),
            (12, 31),
            "16800.00",
        ),
        (
            "Offener Treff Am Mühlenteich",
            CaseKind.CASE_INDEPENDENT,
            "N",
            "N2",
            "AWO Lindenau",
            "39500.00",
            (1, 1),
            (12, 31),
            "39500.00",
        ),
        (
            "Gruppe für Alleinerziehende Altstadt",
            CaseKind.CROSS_CASE,
            "S",
            "S1",
            "Diakonie Süd",
            "14200.00",
            (3, 1),
            (12, 31),
            "14200.00",
        ),
        (
            "Spielplatzprojekt Bahnhofsviertel",
            CaseKind.CASE_INDEPENDENT,
            "S",
            "S2",
            "Sprungbrett",
            "8900.00",
            (5, 1),
            (9, 30),
            "8900.00",
        ),
    ],
    1: [
        (
            "Elterncafé Lindenau-Heide",
            CaseKind.CROSS_CASE,
            "N",
            "N1",
            "KJH Lindenau",
            "18400.00",
            (1, 1),
            (12, 31),
            "12266.67",
        ),
        (
            "Offener Treff Am Mühlenteich",
            CaseKind.CASE_INDEPENDENT,
            "N",
            "N2",
            "AWO Lindenau",
            "42000.00",
            (1, 1),
            (12, 31),
            "31500.00",
        ),
        (
            "Väterfrühstück Am Mühlenteich",
            CaseKind.CROSS_CASE,
            "N",
            "N2",
            "Familienhilfe Am Teich",
            "4800.00",
            (4, 1),
            (11, 30),
            None,
        ),
        (
            "Gruppe für Alleinerziehende Altstadt",
            CaseKind.CROSS_CASE,
            "S",
            "S1",
            "Diakonie Süd",
            "15600.00",
            (1, 1),
            (12, 31),
            "9100.00",
        ),
        (
            "Stadtteilfest Bahnhofsviertel",
            CaseKind.CASE_INDEPENDENT,
            "S",
            "S2",
            "Sprungbrett",
            "6500.00",
            (6, 1),
            (6, 30),
            "6500.00",
        ),
        (
            "Hausaufgabenhilfe Altstadt",
            CaseKind.CASE_INDEPENDENT,
            "S",
            "S1",
            "Caritas",
            "11200.00",
            (2, 1),
            (12, 31),
            "7000.00",
        ),
    ],
}
BOOKERS = {"N": "asd-nord", "S": "asd-sued"}


@transaction.atomic
def demo_build() -> None:
    if FiscalYear.objects.exists():
        return
    planner = User.objects.get(username="planung")
    lead = User.objects.get(username="leitung-nord")
    today = timezone.localdate()
    this, last = today.year, today.year - 1

    # Last year: 5 % Vorwegabzug, split by minors.
    year_last = fiscal_year_create(
        year=last, total=Decimal("3600000.00"), reserve_percentage=Decimal("5"), by=planner
    )
    proposal = split_proposals(year_last, fiscal_year_distributable(year_last))[0]
    budget_split_decide(
        fiscal_year=year_last,
        method=SplitMethod.MINORS,
        shares=proposal.shares,
        rationale=(
            "Erstes Jahr des Sozialraumbudgets: Aufteilung nach der Zahl der Minderjährigen je "
            "Region, wie im Jugendhilfeausschuss vereinbart."
        ),
        by=planner,
    )
    # This year: a fixed Vorwegabzug, the split set by the planners with their own figures.
    year_this = fiscal_year_create(
        year=this, total=Decimal("4600000.00"), reserve_amount=Decimal("300000.00"), by=planner
    )
    distributable = fiscal_year_distributable(year_this)
    by_minors = split_proposals(year_this, distributable)[0].shares
    north = by_minors[_region(this, "N")] + Decimal("50000.00")
    budget_split_decide(
        fiscal_year=year_this,
        method=SplitMethod.MANUAL,
        shares={
            _region(this, "N"): north,
            _region(this, "S"): distributable - north,
        },
        rationale=(
            "Vorschlag nach Minderjährigen, Nord um 50.000 € angehoben für den neuen Offenen "
            f"Treff; Beschluss der Planungsgruppe vom 12.11.{last}."
        ),
        by=planner,
    )
    # The town's everyday cases of both years, commissioned and paid as in the portal.
    town_build(today=today, cases=settings.DEMO_TOWN_CASES)

    _book_projects(last, 0, today)
    granted = reserve_transfer_request(
        budget=_budget(last, "N"),
        amount=Decimal("60000.00"),
        justification="Zwei kurzfristige Inobhutnahmen mit anschließender Unterbringung.",
        by=lead,
    )
    reserve_transfer_decide(request=granted, approve=True, by=planner, note="Genehmigt.")
    year_end_carry_over(
        budget=_budget(last, "N"),
        amount=Decimal("35000.00"),
        reason=f"Rest {last} für das Sozialraumprojekt „Spielmobil“ in Lindenau-Heide.",
        by=planner,
    )
    _book_projects(this, 1, today)
    # Open for the demo: `planung` approves it.
    reserve_transfer_request(
        budget=_budget(this, "N"),
        amount=Decimal("25000.00"),
        justification="Zuzug von drei Familien mit hohem Hilfebedarf in Lindenau-Heide.",
        by=lead,
    )
    # One erased text: last year's first payment shows "Text gelöscht am …
    # (Aufbewahrungsfrist)" in the budget's entries, its amount and the sums unchanged.
    first_payment = (
        LedgerEntry.objects.filter(budget__fiscal_year__year=last, kind=EntryKind.PAYMENT)
        .order_by("pk")
        .first()
    )
    if first_payment is not None:
        ledger_texts_erase(
            entries=LedgerEntry.objects.filter(pk=first_payment.pk),
            ground=ErasureGround.RETENTION,
        )
    provider_budgets_demo_build()  # the Schwerpunktträger's Trägerbudgets (issue 20)


def _budget(year: int, region_code: str) -> Budget:
    return Budget.objects.select_related("region", "fiscal_year").get(
        fiscal_year__year=year, region__code=region_code
    )


def _region(year: int, region_code: str) -> Region:
    region = _budget(year, region_code).region
    assert region is not None  # the budget was found by its region's code
    return region


def _book_projects(year: int, offset: int, today: datetime.date) -> None:
    for title, kind, region, sozialraum, provider, amount, start, end, paid in PROJECTS[offset]:
        booker = User.objects.get(username=BOOKERS[region])
        starts_on, ends_on = D(year, *start), D(year, *end)
        commitment = commitment_book(
            budget=_budget(year, region),
            kind=kind,
            title=title,
            amount=Decimal(amount),
            starts_on=starts_on,
            ends_on=ends_on,
            sozialraum=Sozialraum.objects.valid_on(starts_on).get(code=sozialraum),
            provider=Provider.objects.get(short_name=provider),
            by=booker,
        )
        paid_on = min(ends_on, D(year, 10, 31), today)
        if paid and paid_on >= starts_on:
            payment_book(
                commitment=commitment,
                amount=Decimal(paid),
                paid_on=paid_on,
                note="Abschlag",
                by=booker,
            )
