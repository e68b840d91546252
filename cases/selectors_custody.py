"""Reads of § 42 Inobhutnahmen and of the § 8a / § 42 statistics records.

`custody_for_user` loads one Inobhutnahme through the cases the user may see (404 otherwise);
the year reads serve the KJH statistics (`kjhstat`), which count by the questionnaires' rules:
a § 8a assessment in the year its result was recorded, an Inobhutnahme in the year it ended.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import ProtectionMeasure, RiskAssessment
from cases.permissions import can_change_case, cases_visible_to
from sozialraum.models import User


def custody_for_user(user: User, pk: int, *, for_change: bool = False) -> ProtectionMeasure:
    """The Inobhutnahme of a case the user may see (404 otherwise); with `for_change` 403
    unless the user may change the case (steering caseworker, deputy or team lead)."""
    try:
        measure = ProtectionMeasure.objects.select_related(
            "case__sozialraum", "child", "assessment", "recorded_by"
        ).get(pk=pk, case__in=cases_visible_to(user))
    except ProtectionMeasure.DoesNotExist:
        raise Http404("Inobhutnahme nicht gefunden.") from None
    if for_change and not can_change_case(user, measure.case):
        raise PermissionDenied(
            "Eine Inobhutnahme erfassen und ändern die fallsteuernde Fachkraft und die Teamleitung."
        )
    return measure


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def risks_concluded_in(year: int) -> QuerySet[RiskAssessment]:
    """Completed § 8a assessments of the year (result recorded in it), one per child, in a
    stable order, with what the survey reads."""
    start, end = _year_bounds(year)
    return (
        RiskAssessment.objects.filter(concluded_at__gte=start, concluded_at__lt=end)
        .exclude(level="")
        .select_related("case__steering_caseworker", "child")
        .prefetch_related("protection_measures")
        .order_by("concluded_at", "pk")
    )


def custodies_ended_in(year: int) -> QuerySet[ProtectionMeasure]:
    """Inobhutnahmen that ended in the year: the § 42 survey counts a measure in the year of
    its end, so one over New Year belongs to the year it ended."""
    return (
        ProtectionMeasure.objects.filter(ended_on__year=year)
        .select_related("case__steering_caseworker", "child")
        .order_by("ended_on", "pk")
    )


def custodies_open_on(day: datetime.date) -> QuerySet[ProtectionMeasure]:
    """Inobhutnahmen begun by `day` and not ended: the plausibility report's "still open"."""
    return (
        ProtectionMeasure.objects.filter(started_on__lte=day, ended_on__isnull=True)
        .select_related("case__steering_caseworker", "child")
        .order_by("started_on", "pk")
    )
