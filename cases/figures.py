"""Aggregate case figures per Sozialraum over a period: counts only, never a name or case number.

Used by the Sozialraum page (a single day: start = end) and by the committee report (a period).
Every figure is a GROUP BY over the whole set of Sozialräume, so the number of queries is the same
for ten cases or a hundred thousand.

Which case or help counts where: a case belongs to the Sozialraum recorded on the case (the
address's Sozialraum when it was taken in, or the documented exception); a help and a § 8a
assessment count where their case belongs.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases.models import Case, CaseKind, Help, PlacementLocation, RiskAssessment, RiskLevel
from sozialraum.models import Population, Sozialraum

# A placement counts as near home when the child lives in its own Sozialraum or region.
NEAR_HOME = (PlacementLocation.SOZIALRAUM, PlacementLocation.REGION)


@dataclass(frozen=True)
class HelpTypeCount:
    code: str
    label: str  # "§ 31 SGB VIII Sozialpädagogische Familienhilfe"
    count: int
    sort_order: int = field(default=0, compare=False)


@dataclass
class SozialraumCaseFigures:
    """The case figures of one Sozialraum in one period (all counts, all >= 0)."""

    sozialraum_id: int
    intakes: int = 0  # individual cases taken in (opened) in the period
    helps_running: int = 0  # helps running on at least one day of the period
    helps_started: int = 0
    helps_ended: int = 0
    # Running helps by help type, in catalogue order; types with no running help are left out.
    running_by_help_type: list[HelpTypeCount] = field(default_factory=list)
    placements_running: int = 0
    placements_near_home: int = 0
    # § 8a assessments recorded in the period, by RiskLevel value; every level present (0 if none).
    risk_assessments: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(RiskLevel.values, 0)
    )
    cross_case_running: int = 0
    cross_case_opened: int = 0
    case_independent_running: int = 0
    case_independent_opened: int = 0

    @property
    def risk_assessments_total(self) -> int:
        return sum(self.risk_assessments.values())

    @property
    def near_home_percent(self) -> Decimal | None:
        """Share of running placements that are near home, in per cent; None without any."""
        return percent(self.placements_near_home, self.placements_running)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """`part` of `whole` in per cent with one decimal place; None where `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _running(start: datetime.date, end: datetime.date, *, begin: str, finish: str) -> Q:
    """Rows whose [begin, finish] interval touches the period; an empty finish is open-ended."""
    return Q(**{f"{begin}__lte": end}) & (
        Q(**{f"{finish}__isnull": True}) | Q(**{f"{finish}__gte": start})
    )


def _between(name: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**{f"{name}__gte": start, f"{name}__lte": end})


def sozialraeume_in_period(start: datetime.date, end: datetime.date) -> QuerySet[Sozialraum]:
    """Sozialräume valid on at least one day of the period."""
    return Sozialraum.objects.filter(_running(start, end, begin="valid_from", finish="valid_until"))


def case_figures_by_sozialraum(
    start: datetime.date,
    end: datetime.date,
    sozialraum_ids: Iterable[int] | None = None,
) -> dict[int, SozialraumCaseFigures]:
    """Case figures per Sozialraum for the period [start, end] (both days included).

    Without `sozialraum_ids`: every Sozialraum valid in the period, plus any former one that still
    has figures in it (cases keep the Sozialraum valid when they were taken in). With ids: exactly
    those, with zeros where nothing happened. Four queries at most, whatever the data size.
    """
    if end < start:
        raise ValueError("The period ends before it starts.")
    if sozialraum_ids is None:
        ids = list(sozialraeume_in_period(start, end).values_list("pk", flat=True))
        only: list[int] | None = None
    else:
        ids = only = list(sozialraum_ids)
    figures = {pk: SozialraumCaseFigures(sozialraum_id=pk) for pk in ids}

    def row(pk: int) -> SozialraumCaseFigures:
        if pk not in figures:
            figures[pk] = SozialraumCaseFigures(sozialraum_id=pk)
        return figures[pk]

    _add_case_counts(row, start, end, _scope("sozialraum_id", only))
    _add_help_counts(row, start, end, _scope("sozialraum_id", only))
    _add_risk_counts(row, start, end, _scope("case__sozialraum_id", only))
    return figures


def _scope(path: str, ids: list[int] | None) -> Q:
    return Q() if ids is None else Q(**{f"{path}__in": ids})


_Row = Callable[[int], SozialraumCaseFigures]


def _withdrawn_case_ids() -> QuerySet[Case, int]:
    """Cases withdrawn as created by mistake: few, so a small NOT IN keeps helps and
    assessments free of a join to their case (cases themselves leave through the manager)."""
    return Case.all_objects.filter(withdrawn_at__isnull=False).values_list("pk", flat=True)


def _add_case_counts(row: "_Row", start: datetime.date, end: datetime.date, scope: Q) -> None:
    running = _running(start, end, begin="opened_on", finish="closed_on")
    opened = _between("opened_on", start, end)
    rows = (
        # Only rows that can count: individual cases opened in the period (intakes) and
        # projects; both are ranges of the index (sozialraum, kind, opened_on).
        Case.objects.filter(scope, opened_on__lte=end)
        .filter(
            Q(kind=CaseKind.INDIVIDUAL, opened_on__gte=start)
            | Q(kind__in=[CaseKind.CROSS_CASE, CaseKind.CASE_INDEPENDENT])
        )
        .order_by()
        .values("sozialraum_id")
        .annotate(
            intakes=Count("pk", filter=opened & Q(kind=CaseKind.INDIVIDUAL)),
            cross_case_running=Count("pk", filter=running & Q(kind=CaseKind.CROSS_CASE)),
            cross_case_opened=Count("pk", filter=opened & Q(kind=CaseKind.CROSS_CASE)),
            case_independent_running=Count(
                "pk", filter=running & Q(kind=CaseKind.CASE_INDEPENDENT)
            ),
            case_independent_opened=Count("pk", filter=opened & Q(kind=CaseKind.CASE_INDEPENDENT)),
        )
    )
    for values in rows:
        figures = row(values.pop("sozialraum_id"))
        for name, count in values.items():
            setattr(figures, name, count)


def _add_help_counts(row: "_Row", start: datetime.date, end: datetime.date, scope: Q) -> None:
    """The help counts and the running helps by help type, from one GROUP BY over Sozialraum
    and help type: the totals are the sums over the types.

    Every help counted touches the period (started, ended or running in it), so only those are
    read; a help counts in its case's Sozialraum, copied onto the help (`Help.sozialraum`).
    """
    running = _running(start, end, begin="starts_on", finish="ended_on")
    placement = running & Q(help_type__is_placement=True)
    rows = (
        Help.objects.filter(scope, running)
        .exclude(case_id__in=_withdrawn_case_ids())
        .order_by()
        .values(
            "sozialraum_id",
            "help_type__code",
            "help_type__paragraph",
            "help_type__name",
            "help_type__sort_order",
        )
        .annotate(
            helps_running=Count("pk", filter=running),
            helps_started=Count("pk", filter=_between("starts_on", start, end)),
            helps_ended=Count("pk", filter=_between("ended_on", start, end)),
            placements_running=Count("pk", filter=placement),
            placements_near_home=Count(
                "pk", filter=placement & Q(placement_location__in=NEAR_HOME)
            ),
        )
        .order_by("help_type__sort_order", "help_type__code")
    )
    for values in rows:
        figures = row(values.pop("sozialraum_id"))
        code, paragraph, name, order = (
            values.pop("help_type__code"),
            values.pop("help_type__paragraph"),
            values.pop("help_type__name"),
            values.pop("help_type__sort_order"),
        )
        for figure, count in values.items():
            setattr(figures, figure, getattr(figures, figure) + count)
        if values["helps_running"]:
            label = f"{paragraph} {name}".strip()
            figures.running_by_help_type.append(
                HelpTypeCount(code, label, values["helps_running"], order)
            )


def _add_risk_counts(row: "_Row", start: datetime.date, end: datetime.date, scope: Q) -> None:
    # The period's local days as a range of instants, so the index on assessed_at serves.
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = (
        # Only assessments with a result count; a concern not yet assessed has none.
        RiskAssessment.objects.filter(scope, assessed_at__gte=first, assessed_at__lt=after)
        .exclude(case_id__in=_withdrawn_case_ids())
        .exclude(level="")
        .order_by()
        .values_list("case__sozialraum_id", "level")
        .annotate(n=Count("pk"))
    )
    for sozialraum_id, level, n in rows:
        row(sozialraum_id).risk_assessments[level] = n


def case_figures_sum(
    figures: Iterable[SozialraumCaseFigures], *, sozialraum_id: int = 0
) -> SozialraumCaseFigures:
    """The figures of several Sozialräume added up (a region's or the town's total)."""
    total = SozialraumCaseFigures(sozialraum_id=sozialraum_id)
    by_type: dict[str, HelpTypeCount] = {}
    for figure in figures:
        for name in _COUNTS:
            setattr(total, name, getattr(total, name) + getattr(figure, name))
        for level, n in figure.risk_assessments.items():
            total.risk_assessments[level] = total.risk_assessments.get(level, 0) + n
        for item in figure.running_by_help_type:
            known = by_type.get(item.code)
            by_type[item.code] = replace(item, count=item.count + (known.count if known else 0))
    total.running_by_help_type = sorted(by_type.values(), key=lambda t: (t.sort_order, t.code))
    return total


_COUNTS = (
    "intakes",
    "helps_running",
    "helps_started",
    "helps_ended",
    "placements_running",
    "placements_near_home",
    "cross_case_running",
    "cross_case_opened",
    "case_independent_running",
    "case_independent_opened",
)


def populations_latest(sozialraum_ids: Iterable[int], year: int) -> dict[int, Population]:
    """Per Sozialraum, the population figures of `year` or, where missing, the latest before it.

    The base of every per-1,000-minors figure (see `Population.per_1000_minors`); one query.
    """
    latest: dict[int, Population] = {}
    for population in Population.objects.filter(
        sozialraum__in=list(sozialraum_ids), year__lte=year
    ).order_by("sozialraum", "-year"):
        latest.setdefault(population.sozialraum_id, population)
    return latest
