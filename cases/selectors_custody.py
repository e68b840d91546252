"""Reads of § 42 Inobhutnahmen and of the § 8a / § 42 statistics records.

`custody_for_user` loads one Inobhutnahme through the cases the user may see (404 otherwise);
the year reads serve the KJH statistics (`kjhstat`), which count by the questionnaires' rules:
a § 8a assessment in the year its result was recorded, an Inobhutnahme in the year it ended.
"""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cases.models import ProtectionMeasure, RiskAssessment
from cases.permissions import of_visible_case_for_user
from sozialraum.models import User


def custody_for_user(user: User, pk: int, *, for_change: bool = False) -> ProtectionMeasure:
    """The Inobhutnahme of a case the user may see (404 otherwise); with `for_change` 403
    unless the user may change the case (steering caseworker, deputy or team lead)."""
    return of_visible_case_for_user(
        ProtectionMeasure.objects.select_related(
            "case__sozialraum", "child", "assessment", "recorded_by"
        ),
        user,
        pk,
        missing="Inobhutnahme nicht gefunden.",
        for_change=for_change,
        read_only="Eine Inobhutnahme erfassen und ändern die fallsteuernde Fachkraft und die "
        "Teamleitung.",
    )


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


# What the statistics read of a record's case and child, as `values()` names them: the records
# are read as plain values in one query each (at 100,000 cases thousands per year).
CASE_VALUES = (
    "case__number",
    "case__steering_caseworker__username",
    "case__steering_caseworker__first_name",
    "case__steering_caseworker__last_name",
)
CHILD_VALUES = (
    "child_id",
    "child__sex",
    "child__birth_date",
    "child__parent_foreign_origin",
    "child__german_at_home",
)
RISK_VALUES = (
    "id",
    "concluded_at",
    "level",
    "source",
    "family_situation",
    "usual_residence",
    "prior_help",
    "family_court_on",
    "endangerment_neglect",
    "endangerment_physical",
    "endangerment_psychological",
    "endangerment_sexual",
    "consequence_new_help",
    "consequence_continued_help",
    "consequence_other_service",
    "consequence_none",
    "kjh_has_custody",
    *CASE_VALUES,
    *CHILD_VALUES,
)
CUSTODY_VALUES = (
    "id",
    "kind",
    "started_on",
    "ended_on",
    "initiator",
    "reasons",
    "residence_before",
    "placement",
    "parents_object",
    "family_court_on",
    "outcome",
    *CASE_VALUES,
    *CHILD_VALUES,
)


def risks_concluded_in(year: int) -> QuerySet[Any]:
    """Completed § 8a assessments of the year (result recorded in it), one per child, in a
    stable order, as `RISK_VALUES` dicts; `kjh_has_custody`: an Inobhutnahme followed it."""
    start, end = _year_bounds(year)
    return (
        RiskAssessment.objects.filter(concluded_at__gte=start, concluded_at__lt=end)
        .exclude(level="")
        .annotate(
            kjh_has_custody=Exists(ProtectionMeasure.objects.filter(assessment=OuterRef("pk")))
        )
        .order_by("concluded_at", "pk")
        .values(*RISK_VALUES)
    )


def custodies_ended_in(year: int) -> QuerySet[Any]:
    """Inobhutnahmen that ended in the year, as `CUSTODY_VALUES` dicts: the § 42 survey counts
    a measure in the year of its end, so one over New Year belongs to the year it ended."""
    return (
        ProtectionMeasure.objects.filter(
            ended_on__gte=datetime.date(year, 1, 1), ended_on__lte=datetime.date(year, 12, 31)
        )
        .order_by("ended_on", "pk")
        .values(*CUSTODY_VALUES)
    )


def custodies_open_on(day: datetime.date) -> QuerySet[Any]:
    """Inobhutnahmen begun by `day` and not ended (`CUSTODY_VALUES` dicts): the plausibility
    report's "still open"."""
    return (
        ProtectionMeasure.objects.filter(started_on__lte=day, ended_on__isnull=True)
        .order_by("started_on", "pk")
        .values(*CUSTODY_VALUES)
    )
