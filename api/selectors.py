"""What the read API answers: aggregates and the public directory only, never a person.

Every figure about children and families passes the committee report's small-count rule
(`reports.suppression`): a count of 1 or 2 is given as "< 3", as in the printed papers.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from budgets.models import Budget, FiscalYear
from budgets.selectors import breakdown_by_kind, budget_figures
from cases.figures import case_figures_by_sozialraum, sozialraeume_in_period
from kjhstat.survey import SURVEYS, Survey
from network.models import Offer, Partner
from reports.suppression import Shown, protect_table, suppress


class NotFound(Exception):
    """The year or survey asked for does not exist; the API answers 404 with this text."""


@dataclass(frozen=True)
class RegionMoney:
    budget: str
    region: str | None
    allocated: Decimal
    committed: Decimal
    paid: Decimal
    available: Decimal
    forecast: Decimal


@dataclass(frozen=True)
class KindMoney:
    kind: str
    committed: Decimal
    paid: Decimal


@dataclass(frozen=True)
class YearMoney:
    year: int
    total: Decimal
    budgets: list[RegionMoney]
    by_kind: list[KindMoney]


def budget_year(*, year: int) -> YearMoney:
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        raise NotFound(f"Für {year} ist kein Haushaltsjahr angelegt.")
    budgets: QuerySet[Budget] = Budget.objects.filter(fiscal_year=fiscal_year).select_related(
        "region"
    )
    listed = sorted(
        budgets, key=lambda b: (b.region_id is not None, b.region.name if b.region else "")
    )
    figures = budget_figures(listed)
    return YearMoney(
        year=year,
        total=fiscal_year.total,
        budgets=[
            RegionMoney(
                budget=budget.label,
                region=budget.region.name if budget.region else None,
                allocated=figures[budget.pk].allocated,
                committed=figures[budget.pk].committed,
                paid=figures[budget.pk].paid,
                available=figures[budget.pk].allocated - figures[budget.pk].committed,
                forecast=figures[budget.pk].forecast,
            )
            for budget in listed
        ],
        by_kind=[
            KindMoney(kind=row.label, committed=row.committed, paid=row.paid)
            for row in breakdown_by_kind(budgets.filter(region__isnull=False))
        ],
    )


@dataclass(frozen=True)
class AreaFigures:
    sozialraum: str
    region: str
    intakes: Shown
    helps_running: Shown
    helps_started: Shown
    helps_ended: Shown
    placements_running: Shown
    risk_assessments: Shown
    cross_case_running: Shown
    case_independent_running: Shown


def _year_period(year: int) -> tuple[datetime.date, datetime.date]:
    if not 2000 <= year <= 2100:
        raise NotFound("Das Jahr liegt außerhalb von 2000 bis 2100.")
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), timezone.localdate())
    if end < start:
        raise NotFound(f"Das Jahr {year} hat noch nicht begonnen.")
    return start, end


def area_figures(*, year: int) -> list[AreaFigures]:
    """Case figures of the year (up to today) per Sozialraum, small counts suppressed."""
    start, end = _year_period(year)
    figures = case_figures_by_sozialraum(start, end)
    areas = {area.pk: area for area in sozialraeume_in_period(start, end).select_related("region")}
    rows = []
    for pk, item in sorted(
        figures.items(), key=lambda pair: areas[pair[0]].name if pair[0] in areas else ""
    ):
        area = areas.get(pk)
        if area is None:
            continue
        rows.append(
            AreaFigures(
                sozialraum=area.name,
                region=area.region.name,
                intakes=suppress(item.intakes),
                helps_running=suppress(item.helps_running),
                helps_started=suppress(item.helps_started),
                helps_ended=suppress(item.helps_ended),
                placements_running=suppress(item.placements_running),
                risk_assessments=suppress(item.risk_assessments_total),
                cross_case_running=item.cross_case_running,
                case_independent_running=item.case_independent_running,
            )
        )
    return rows


def surveys_listed() -> list[Survey]:
    import kjhstat.surveys  # noqa: F401  (registers the surveys)

    return list(SURVEYS.values())


@dataclass(frozen=True)
class ShownTable:
    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[Shown]]


def statistics_tables(*, survey_key: str, year: int) -> list[ShownTable]:
    """The survey's results tables for a year, protected like the committee report."""
    _year_period(year)
    surveys = {survey.key: survey for survey in surveys_listed()}
    survey = surveys.get(survey_key)
    if survey is None:
        raise NotFound(f"Eine Erhebung „{survey_key}“ gibt es nicht.")
    shown = []
    for table in survey.tables(year):
        protected = protect_table(table.cells, column_totals=False) if table.cells else None
        shown.append(
            ShownTable(
                title=table.title,
                row_labels=list(table.row_labels),
                column_labels=list(table.column_labels),
                cells=[list(row) for row in protected.cells] if protected else [],
            )
        )
    return shown


def directory_partners(*, sozialraum_id: int | None, partner_type: str | None) -> QuerySet[Partner]:
    partners = Partner.objects.filter(is_active=True).select_related("sozialraum")
    if sozialraum_id is not None:
        partners = partners.filter(sozialraum_id=sozialraum_id)
    if partner_type:
        partners = partners.filter(partner_type=partner_type)
    return partners.order_by("name", "pk")


def directory_offers(
    *, sozialraum_id: int | None, target_group: str | None, age: int | None
) -> QuerySet[Offer]:
    offers = Offer.objects.valid_on(timezone.localdate()).select_related("partner", "sozialraum")
    if sozialraum_id is not None:
        offers = offers.filter(sozialraum_id=sozialraum_id)
    if target_group:
        offers = offers.filter(target_group=target_group)
    if age is not None:
        offers = offers.exclude(age_min__gt=age).exclude(age_max__lt=age)
    return offers.order_by("title", "pk")
