"""Reads of the KJH statistics pages: the surveys, one survey's year (tables, record count,
plausibility report) and the delivery files."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

import kjhstat.surveys  # noqa: F401  registers the surveys
from kjhstat.models import Delivery
from kjhstat.survey import SURVEYS, Finding, Survey, Table, survey_walk
from sozialraum.models import Role, User
from sozialraum.suppression import ProtectedTable, Shown, protect_table

READERS = (Role.PLANNER, Role.ADMIN)
FIRST_YEAR = 2000
# The order of the official programme; surveys registered later (or unknown here) follow.
ORDER = ["teil1", "8a", "42", "teil4"]


def surveys_all() -> list[Survey]:
    known = [SURVEYS[key] for key in ORDER if key in SURVEYS]
    return known + [survey for key, survey in SURVEYS.items() if key not in ORDER]


def survey_get(key: str) -> Survey:
    try:
        return SURVEYS[key]
    except KeyError:
        raise Http404("Diese Erhebung gibt es nicht.") from None


def years_offered(today: datetime.date | None = None) -> list[int]:
    """The current year (preview) and the four before it, newest first."""
    year = (today or timezone.localdate()).year
    return list(range(year, year - 5, -1))


def year_is_open(year: int, today: datetime.date | None = None) -> bool:
    """A year that has not ended yet: its figures are a preview."""
    return year >= (today or timezone.localdate()).year


@dataclass(frozen=True)
class ShownTable:
    table: Table
    protected: ProtectedTable | None  # the committee version (small counts hidden)

    @property
    def lines(self) -> list[tuple[str, list[Shown], Shown]]:
        """Row label, cells and row total, as printed."""
        table, protected = self.table, self.protected
        if protected is not None:
            totals = protected.row_totals or [""] * len(table.row_labels)
            return list(zip(table.row_labels, protected.cells, totals, strict=True))
        return [
            (label, list(cells), sum(cells))
            for label, cells in zip(table.row_labels, table.cells, strict=True)
        ]

    @property
    def footer(self) -> tuple[list[Shown], Shown]:
        """Column totals and the grand total, as printed."""
        if self.protected is not None:
            return list(self.protected.column_totals or []), self.protected.grand_total or ""
        columns = [sum(column) for column in zip(*self.table.cells, strict=True)]
        return columns, sum(columns)


@dataclass(frozen=True)
class SurveyYear:
    survey: Survey
    year: int
    is_preview: bool
    tables: list[ShownTable]
    record_count: int
    findings: list[Finding]  # sorted by caseworker, then record


def survey_year(*, survey: Survey, year: int, committee: bool = False) -> SurveyYear:
    """Everything the statistics page shows for one survey and year. With `committee` the
    counts of a per-case survey are protected as in the committee report. One read of the
    year's records gives the tables, the record count and the findings."""
    result = survey_walk(survey=survey, year=year)
    tables = [
        ShownTable(
            table,
            protect_table(table.cells, row_totals=True)
            if committee and survey.per_case and table.cells
            else None,
        )
        for table in result.tables
    ]
    findings = sorted(
        result.findings,
        key=lambda f: (f.caseworker.casefold(), f.record_label, f.problem),
    )
    return SurveyYear(survey, year, year_is_open(year), tables, result.count, findings)


def deliveries_of(*, survey_key: str, year: int) -> QuerySet[Delivery]:
    return Delivery.objects.filter(survey=survey_key, year=year).order_by("-requested_at", "-id")


def delivery_for_user(user: User, public_id) -> Delivery:
    """A delivery file for a reader of the statistics; 404 for everyone else."""
    if user.role not in READERS:
        raise Http404
    try:
        return Delivery.objects.get(public_id=public_id)
    except Delivery.DoesNotExist:
        raise Http404("Diese Lieferdatei gibt es nicht.") from None
