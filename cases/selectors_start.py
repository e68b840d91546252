"""The ASD start page's lists: § 8a alerts, overdue Schutzplan reviews, overdue and coming
Hilfeplangespräche, and the caseload figures.

Which records each list holds, and in which order, is said once by the selectors it reads
(`reviews_overdue_for`, `risks_open_for`, …); here they are read as rows of plain values. A team
lead's page shows four lists of up to twenty rows. As model instances with their case, help and
help type joined, each row cost some 270 Python calls to build; a `values()` row costs 20, and
the page no longer grows with the rows the office has (benchmarks/README.md, session 16).
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import QuerySet

from cases.models import HelpType
from cases.selectors import cases_steered_figures, reviews_overdue_for, reviews_upcoming_for
from cases.selectors_protection import risks_open_for, safety_reviews_overdue_for
from sozialraum.models import User, person_name

# Rows per list; all of them are one click away in the filtered case list.
ALERTS_ON_START_PAGE = 20


class RiskRow(TypedDict):
    pk: int
    level: str
    case_number: str
    sozialraum: str
    assessed_at: datetime.datetime
    assessed_by: str
    lead_acknowledged_at: datetime.datetime | None


class SafetyReviewRow(TypedDict):
    assessment_id: int
    case_number: str
    review_on: datetime.date


class ReviewRow(TypedDict):
    case_id: int
    case_number: str
    help_type: str
    due_on: datetime.date
    time: datetime.time | None
    place: str


@dataclass
class StartAlerts:
    risks: list[RiskRow]
    more_risks: bool
    safety_reviews: list[SafetyReviewRow]
    more_safety_reviews: bool
    reviews: list[ReviewRow]
    more_reviews: bool
    upcoming_reviews: list[ReviewRow]
    steered: dict[str, int]


def _first(rows: QuerySet, columns: tuple[str, ...]) -> tuple[list[dict], bool]:
    """The first `ALERTS_ON_START_PAGE` rows, and whether more follow (one row more is read
    instead of counting a region)."""
    found = list(rows.values(*columns)[: ALERTS_ON_START_PAGE + 1])
    return found[:ALERTS_ON_START_PAGE], len(found) > ALERTS_ON_START_PAGE


REVIEW_COLUMNS = (
    "case_id",
    "case__number",
    "help_plan__help__help_type__paragraph",
    "help_plan__help__help_type__name",
    "due_on",
    "time",
    "place",
)


def _review_rows(rows: list[dict]) -> list[ReviewRow]:
    return [
        ReviewRow(
            case_id=row["case_id"],
            case_number=row["case__number"],
            help_type=HelpType.label_of(
                row["help_plan__help__help_type__paragraph"],
                row["help_plan__help__help_type__name"],
            ),
            due_on=row["due_on"],
            time=row["time"],
            place=row["place"],
        )
        for row in rows
    ]


def start_alerts(user: User, *, covering: Collection[int]) -> StartAlerts:
    """The lists of the ASD start page for `user`: for a team lead her region's, for a
    caseworker her own cases' and those of the people she covers (`covering`: their ids, read
    once for all the lists)."""
    risks, more_risks = _first(
        risks_open_for(user, covering=covering),
        (
            "pk",
            "level",
            "case__number",
            "case__sozialraum__name",
            "assessed_at",
            "assessed_by__first_name",
            "assessed_by__last_name",
            "assessed_by__username",
            "lead_acknowledged_at",
        ),
    )
    safety, more_safety = _first(
        safety_reviews_overdue_for(user, covering=covering),
        ("assessment_id", "case__number", "review_on"),
    )
    overdue, more_overdue = _first(reviews_overdue_for(user, covering=covering), REVIEW_COLUMNS)
    upcoming = list(
        reviews_upcoming_for(user, covering=covering).values(*REVIEW_COLUMNS)[:ALERTS_ON_START_PAGE]
    )
    return StartAlerts(
        risks=[
            RiskRow(
                pk=row["pk"],
                level=row["level"],
                case_number=row["case__number"],
                sozialraum=row["case__sozialraum__name"] or "",
                assessed_at=row["assessed_at"],
                assessed_by=person_name(
                    row["assessed_by__first_name"],
                    row["assessed_by__last_name"],
                    row["assessed_by__username"],
                ),
                lead_acknowledged_at=row["lead_acknowledged_at"],
            )
            for row in risks
        ],
        more_risks=more_risks,
        safety_reviews=[
            SafetyReviewRow(
                assessment_id=row["assessment_id"],
                case_number=row["case__number"],
                review_on=row["review_on"],
            )
            for row in safety
        ],
        more_safety_reviews=more_safety,
        reviews=_review_rows(overdue),
        more_reviews=more_overdue,
        upcoming_reviews=_review_rows(upcoming),
        steered=cases_steered_figures(user),
    )
