"""Reads of the budgets app: who sees which budget, and every figure derived from the ledger.

Figures are sums over the ledger in a fixed number of grouped queries, however many entries there
are. Objects outside a person's scope raise Http404.
"""

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict

from django.db.models import F, Q, QuerySet, Sum
from django.http import Http404

from budgets.calculations import split_proportionally
from budgets.models import (
    Budget,
    Commitment,
    CommitmentPlaceTotal,
    CommitmentTotal,
    EntryKind,
    Figure,
    FiscalYear,
    LedgerEntry,
    LedgerText,
    ReserveTransferRequest,
    SplitMethod,
    TransferStatus,
    erased_note,
)
from cases.models import CaseKind
from sozialraum.access import has_role
from sozialraum.models import ASD_ROLES, Population, Region, Role, User, person_name
from sozialraum.money import money_round

ZERO = Decimal("0.00")
PLANNING = (Role.PLANNER, Role.ADMIN)


@dataclass
class Figures:
    """The figures of one budget (or of a group of them)."""

    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    # Running commitments projected to 31 December, beyond (or, where invoiced months cost less
    # than planned, below) what they bind: facts for invoiced months, plan for the rest.
    projection: Decimal = ZERO
    carried_in: Decimal = ZERO
    # Income (cost contributions, reimbursements): shown beside the spending, never part of
    # `free` — income does not add to what a region may bind (`budgets.income`).
    received: Decimal = ZERO

    @property
    def free(self) -> Decimal:
        return self.allocated - self.committed

    @property
    def net_paid(self) -> Decimal:
        """What the year's spending cost after the income received on it."""
        return self.paid - self.received

    @property
    def open(self) -> Decimal:
        return self.committed - self.paid

    @property
    def forecast(self) -> Decimal:
        return self.committed + self.projection

    @property
    def forecast_left(self) -> Decimal:
        return self.allocated - self.forecast

    @property
    def used_percent(self) -> Decimal | None:
        if self.allocated <= 0:
            return None
        return (self.committed * 100 / self.allocated).quantize(Decimal("0.1"))

    @property
    def forecast_exceeds(self) -> bool:
        return self.forecast > self.allocated

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(
            self.allocated + other.allocated,
            self.committed + other.committed,
            self.paid + other.paid,
            self.projection + other.projection,
            self.carried_in + other.carried_in,
            self.received + other.received,
        )


def _sum(figure: str) -> Sum:
    return Sum("amount", filter=Q(figure=figure), default=ZERO)


def budget_figures(budgets: list[Budget]) -> dict[int, Figures]:
    """Figures per budget id from the ledger: two grouped queries for any number of budgets."""
    ids = [b.pk for b in budgets]
    result = {pk: Figures() for pk in ids}
    rows = (
        LedgerEntry.objects.filter(budget_id__in=ids)
        .values("budget_id")
        .annotate(
            allocated=_sum(Figure.ALLOCATED),
            committed=_sum(Figure.COMMITTED),
            paid=_sum(Figure.PAID),
            received=_sum(Figure.RECEIVED),
            carried_in=Sum(
                "amount", filter=Q(kind=EntryKind.CARRY_OVER, amount__gt=0), default=ZERO
            ),
        )
        .order_by()
    )
    for row in rows:
        figures = result[row["budget_id"]]
        # SQLite sums decimals with extra places; figures are always cents.
        figures.allocated = money_round(row["allocated"])
        figures.committed = money_round(row["committed"])
        figures.paid = money_round(row["paid"])
        figures.received = money_round(row["received"])
        figures.carried_in = money_round(row["carried_in"])
    # Running commitments (not ended, not cancelled) projected to 31 December: what they would
    # cost to the year's end minus what they bind now.
    running = Q(commitment__ended_on__isnull=True, commitment__is_cancelled=False)
    projections = (
        Commitment.objects.filter(budget_id__in=ids, ended_on__isnull=True, is_cancelled=False)
        .values("budget_id")
        .annotate(to_year_end=Sum("year_end_amount"))
        .order_by()
    )
    bound_running = dict(
        LedgerEntry.objects.filter(running, budget_id__in=ids, figure=Figure.COMMITTED)
        .values("budget_id")
        .annotate(s=Sum("amount"))
        .order_by()
        .values_list("budget_id", "s")
    )
    for row in projections:
        extra = row["to_year_end"] - bound_running.get(row["budget_id"], ZERO)
        # Negative when invoiced months cost less than planned (`budgets.forecast`).
        result[row["budget_id"]].projection = money_round(extra)
    return result


# Within a service the rows are locked first; the same sums then cannot change underneath.
budget_figures_locked = budget_figures


def budget_figures_from_balances(budgets: list[Budget]) -> dict[int, Figures]:
    """The figures pages show, from the balances every booking moves on budgets and commitments
    (their `cached_*` columns, kept by the booking service in the same transaction).

    The balances move with every entry and `reconcile_budgets` proves them equal to the ledger
    (`budget_figures`), so pages read a few rows instead of summing a million entries: one small
    query for any number of budgets (the projection is kept on the budget row too).
    """
    ids = [b.pk for b in budgets]
    result = {
        b.pk: Figures(
            allocated=b.cached_allocated,
            committed=b.cached_committed,
            paid=b.cached_paid,
            received=b.cached_received,
        )
        for b in budgets
    }
    carried = (
        LedgerEntry.objects.filter(
            budget_id__in=ids, figure=Figure.ALLOCATED, kind=EntryKind.CARRY_OVER, amount__gt=0
        )
        .values("budget_id")
        .annotate(s=Sum("amount"))
        .order_by()
        .values_list("budget_id", "s")
    )
    for budget_id, amount in carried:
        result[budget_id].carried_in = money_round(amount)
    for b in budgets:
        # The running commitments' `year_end_amount - cached_bound`, kept on the budget row.
        result[b.pk].projection = b.cached_projection
    return result


def commitment_figures(commitment: Commitment | None) -> Figures:
    """Bound and paid of one commitment, from its ledger entries."""
    if commitment is None:
        return Figures()
    row = LedgerEntry.objects.filter(commitment=commitment).aggregate(
        committed=_sum(Figure.COMMITTED), paid=_sum(Figure.PAID), received=_sum(Figure.RECEIVED)
    )
    return Figures(
        committed=money_round(row["committed"]),
        paid=money_round(row["paid"]),
        received=money_round(row["received"]),
    )


def commitments_with_figures(queryset: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return queryset.select_related("provider", "sozialraum", "budget__region").annotate(
        bound=F("cached_bound"), paid=F("cached_paid")
    )


# Access -----------------------------------------------------------------------------------------


def budgets_visible_to(user: User) -> QuerySet[Budget]:
    """Planners and administrators see every budget; the ASD only its own region's budgets."""
    budgets = Budget.objects.select_related("fiscal_year", "region")
    if has_role(user, *PLANNING):
        return budgets
    if has_role(user, *ASD_ROLES) and user.asd_team is not None:
        return budgets.filter(region_id=user.asd_team.region_id)
    return budgets.none()


def budget_for_user(user: User, pk: int) -> Budget:
    """One of the budgets the user sees (`budgets_visible_to`); 404 for any other."""
    try:
        return budgets_visible_to(user).get(pk=pk)
    except Budget.DoesNotExist:
        raise Http404("Budget nicht gefunden.") from None


def commitment_for_user(user: User, pk: int) -> Commitment:
    """A commitment of a budget the user sees; 404 for any other."""
    try:
        return Commitment.objects.select_related("budget__fiscal_year", "budget__region").get(
            pk=pk, budget__in=budgets_visible_to(user)
        )
    except Commitment.DoesNotExist:
        raise Http404("Bewilligung nicht gefunden.") from None


def ledger_entry_for_user(user: User, pk: int) -> LedgerEntry:
    """An entry of a budget the user sees; 404 for any other."""
    try:
        return LedgerEntry.objects.select_related(
            "budget__region", "budget__fiscal_year", "free_text"
        ).get(pk=pk, budget__in=budgets_visible_to(user))
    except LedgerEntry.DoesNotExist:
        raise Http404("Buchung nicht gefunden.") from None


def case_ledger_entries(case_id: int) -> QuerySet[LedgerEntry]:
    """The ledger entries of a case's helps: the bookings of the commitments of its assignments,
    their payments and reversals (a reversal is booked on the same commitment). For retention,
    erasure and the subject-access export, not for a page: no access check."""
    return LedgerEntry.objects.filter(
        Q(commitment__assignment__case_id=case_id)
        | Q(payment__commitment__assignment__case_id=case_id)
    )


def ledger_texts_naming(*, case_id: int, names: Sequence[str]) -> list[LedgerText]:
    """The not yet erased free texts of the case's ledger entries that contain one of `names`
    (case-insensitive, whole names of at least three letters): what the subject-access export
    shows of the ledger. A name match is what the portal can do; a nickname or a misspelling
    is not found."""
    names = [name for name in {n.strip() for n in names} if len(name) >= 3]
    if not names:
        return []
    mentions = Q()
    for name in names:
        mentions |= Q(text__icontains=name) | Q(reason__icontains=name)
    texts = (
        LedgerText.objects.filter(
            mentions, entry__in=case_ledger_entries(case_id).values("pk"), erased_on__isnull=True
        )
        .select_related("entry")
        .order_by("entry__booked_on", "entry_id")
    )
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    return [t for t in texts if pattern.search(t.text) or pattern.search(t.reason)]


def transfer_requests_visible_to(user: User) -> QuerySet[ReserveTransferRequest]:
    requests = ReserveTransferRequest.objects.select_related(
        "budget__region", "budget__fiscal_year", "requested_by", "decided_by"
    )
    return requests.filter(budget__in=budgets_visible_to(user))


def transfer_request_for_user(user: User, pk: int) -> ReserveTransferRequest:
    try:
        return transfer_requests_visible_to(user).get(pk=pk)
    except ReserveTransferRequest.DoesNotExist:
        raise Http404("Antrag nicht gefunden.") from None


def fiscal_year_get(year: int) -> FiscalYear:
    try:
        return FiscalYear.objects.select_related("reserve").get(year=year)
    except FiscalYear.DoesNotExist:
        raise Http404("Haushaltsjahr nicht gefunden.") from None


def ledger_entries_visible_to(user: User, *, fiscal_year: FiscalYear | None = None):
    entries = LedgerEntry.objects.select_related(
        "budget__region",
        "budget__fiscal_year",
        "created_by",
        "commitment",
        "reverses",
        "free_text",
    ).filter(budget__in=budgets_visible_to(user))
    if fiscal_year is not None:
        entries = entries.filter(budget__fiscal_year=fiscal_year)
    return entries.order_by("created_at", "pk")


@dataclass
class KeysetPage:
    rows: list
    next_after: int | None  # id to continue after (older rows), None on the last page


class CommitmentRow(TypedDict):
    """One row of a budget's commitments (templates/budgets/budget_detail.html), a dict of
    values: fifty model instances with their provider, Sozialraum and region cost the page
    some 15,000 Python calls more than the values it shows."""

    pk: int
    title: str
    kind_label: str
    starts_on: datetime.date
    ends_on: datetime.date | None  # the day it ended, else the day it is to end
    ended: bool
    is_cancelled: bool
    override: bool
    provider: str
    bound: Decimal
    paid: Decimal


COMMITMENT_KIND_LABELS = dict(CaseKind.choices)


def budget_commitments_page(budget: Budget, *, after: int | None, size: int) -> KeysetPage:
    """The budget's commitments with their cached figures, newest first."""
    commitments = Commitment.objects.filter(budget=budget)
    if after is not None:
        commitments = commitments.filter(pk__lt=after)
    found = list(
        commitments.order_by("-pk").values(
            "pk",
            "title",
            "kind",
            "starts_on",
            "ends_on",
            "ended_on",
            "is_cancelled",
            "override_by_id",
            "provider__short_name",
            "cached_bound",
            "cached_paid",
        )[: size + 1]
    )
    rows = [
        CommitmentRow(
            pk=row["pk"],
            title=row["title"],
            kind_label=COMMITMENT_KIND_LABELS.get(row["kind"], row["kind"]),
            starts_on=row["starts_on"],
            ends_on=row["ended_on"] or row["ends_on"],
            ended=row["ended_on"] is not None,
            is_cancelled=row["is_cancelled"],
            override=row["override_by_id"] is not None,
            provider=row["provider__short_name"] or "",
            bound=row["cached_bound"],
            paid=row["cached_paid"],
        )
        for row in found[:size]
    ]
    return KeysetPage(rows, rows[-1]["pk"] if len(found) > size else None)


class EntryRow(TypedDict):
    """One row of a ledger table (templates/budgets/partials/entries.html), a dict of values as
    the commitments' rows."""

    pk: int
    booked_on: datetime.date
    kind: str
    kind_label: str
    figure_label: str
    text: str
    reason: str
    reverses_id: int | None
    amount: Decimal
    created_by: str


ENTRY_KIND_LABELS = dict(EntryKind.choices)
FIGURE_LABELS = dict(Figure.choices)


def entry_rows(entries: QuerySet[LedgerEntry]) -> list[EntryRow]:
    """The entries as the ledger tables show them, in the queryset's order."""
    found = entries.values(
        "pk",
        "booked_on",
        "kind",
        "figure",
        "reverses_id",
        "amount",
        "free_text__text",
        "free_text__reason",
        "free_text__erased_on",
        "free_text__erased_because",
        "created_by__first_name",
        "created_by__last_name",
        "created_by__username",
    )
    return [
        EntryRow(
            pk=row["pk"],
            booked_on=row["booked_on"],
            kind=row["kind"],
            kind_label=ENTRY_KIND_LABELS.get(row["kind"], row["kind"]),
            figure_label=FIGURE_LABELS.get(row["figure"], row["figure"]),
            # As `LedgerEntry.text` and `.reason`: what became of an erased text, else the text.
            text=erased_note(row["free_text__erased_on"], row["free_text__erased_because"] or "")
            or row["free_text__text"]
            or "",
            reason=row["free_text__reason"] or "",
            reverses_id=row["reverses_id"],
            amount=row["amount"],
            created_by=person_name(
                row["created_by__first_name"],
                row["created_by__last_name"],
                row["created_by__username"],
            ),
        )
        for row in found
    ]


def budget_entries_page(user: User, budget: Budget, *, after: int | None, size: int) -> KeysetPage:
    """The budget's ledger entries, newest first (the whole ledger goes to the exports); a deep
    page, reached by key (`after`), costs what the first does."""
    entries = LedgerEntry.objects.filter(budget__in=budgets_visible_to(user), budget=budget)
    if after is not None:
        entries = entries.filter(pk__lt=after)
    rows = entry_rows(entries.order_by("-pk")[: size + 1])
    return KeysetPage(rows[:size], rows[size - 1]["pk"] if len(rows) > size else None)


# Overviews --------------------------------------------------------------------------------------


@dataclass
class BudgetRow:
    budget: Budget
    figures: Figures

    @property
    def label(self) -> str:
        return self.budget.label


@dataclass
class YearOverview:
    fiscal_year: FiscalYear
    rows: list[BudgetRow]
    total: Figures = field(default_factory=Figures)

    @property
    def warnings(self) -> list[str]:
        return [
            f"{row.label}: Die Hochrechnung zum 31.12. übersteigt das Budget."
            for row in self.rows
            if row.figures.forecast_exceeds
        ]


def year_overview(user: User, fiscal_year: FiscalYear) -> YearOverview:
    """Per budget of the year (regions the user may see, and the reserve for planners)."""
    budgets = list(
        budgets_visible_to(user).filter(fiscal_year=fiscal_year).order_by("region__name")
    )
    # The reserve (no region) first, then the regions by name.
    budgets.sort(key=lambda b: (b.region_id is not None, b.region.name if b.region else ""))
    figures = budget_figures_from_balances(budgets)
    rows = [BudgetRow(b, figures[b.pk]) for b in budgets]
    total = Figures()
    for row in rows:
        if not row.budget.is_reserve:
            total = total + row.figures
    return YearOverview(fiscal_year, rows, total)


@dataclass
class BreakdownRow:
    label: str
    committed: Decimal
    paid: Decimal
    share: Decimal | None = None  # percent of all committed


def _with_shares(rows: list[BreakdownRow]) -> list[BreakdownRow]:
    total = sum((r.committed for r in rows), ZERO)
    for row in rows:
        row.share = (row.committed * 100 / total).quantize(Decimal("0.1")) if total else None
    return rows


def _breakdown(
    budgets: QuerySet[Budget], key: str, labels: dict | None = None, empty="–", *, totals=False
):
    # Every bound or paid entry belongs to a commitment, so the commitments' cached sums give
    # the same figures as the ledger; the budgets' totals keep those sums, so a breakdown reads
    # a few dozen (by kind and help type) or a few hundred rows instead of every commitment:
    # by provider and Sozialraum the budgets' place totals do.
    summary = CommitmentTotal if totals else CommitmentPlaceTotal
    rows = summary.objects.filter(budget__in=budgets).values(key)
    rows = rows.annotate(committed=Sum("bound", default=ZERO), paid=Sum("paid", default=ZERO))
    rows = rows.order_by(key)
    result = [
        BreakdownRow(
            (labels or {}).get(row[key], row[key]) if row[key] is not None else empty,
            money_round(row["committed"]),
            money_round(row["paid"]),
        )
        for row in rows
    ]
    return _with_shares(result)


def breakdown_by_kind(budgets: QuerySet[Budget]) -> list[BreakdownRow]:
    """Committed and paid by kind of work, every kind listed (also when nothing is bound)."""
    found = {
        row.label: row for row in _breakdown(budgets, "kind", dict(CaseKind.choices), totals=True)
    }
    rows = [found.get(label, BreakdownRow(label, ZERO, ZERO)) for label in CaseKind.labels]
    return _with_shares(rows)


def breakdown_by_provider(budgets: QuerySet[Budget]) -> list[BreakdownRow]:
    return _breakdown(budgets, "provider__name", empty="ohne Träger")


def breakdown_by_sozialraum(budgets: QuerySet[Budget]) -> list[BreakdownRow]:
    return _breakdown(budgets, "sozialraum__name", empty="ohne Sozialraum")


# Money bound without a help type, by kind of work: said for what it is, so that group and
# project work does not read as the largest "help type" of the individual cases.
WITHOUT_HELP_TYPE = {
    CaseKind.INDIVIDUAL: "Einzelfälle ohne Hilfeart (von Hand gebunden)",
    CaseKind.CROSS_CASE: "fallübergreifende Arbeit: Gruppen und Projekte (keine Hilfeart)",
    CaseKind.CASE_INDEPENDENT: "fallunabhängige Arbeit (keine Hilfeart)",
}


def breakdown_by_help_type(budgets: QuerySet[Budget]) -> list[BreakdownRow]:
    """Individual helps by their type, then the money bound without a help type by kind of
    work (group and project work, individual commitments booked by hand), each labelled as
    what it is; the shares are of all money bound."""
    rows = (
        CommitmentTotal.objects.filter(budget__in=budgets)
        .values("kind", "help_type__name")
        .annotate(committed=Sum("bound", default=ZERO), paid=Sum("paid", default=ZERO))
        .order_by("help_type__name", "kind")
    )
    by_type: dict[str, BreakdownRow] = {}
    without: dict[str, BreakdownRow] = {}
    for row in rows:
        name = row["help_type__name"]
        if name is None:
            item = without.setdefault(
                row["kind"], BreakdownRow(WITHOUT_HELP_TYPE[row["kind"]], ZERO, ZERO)
            )
        else:
            item = by_type.setdefault(name, BreakdownRow(name, ZERO, ZERO))
        item.committed += money_round(row["committed"])
        item.paid += money_round(row["paid"])
    kinds_without = [without[kind] for kind in CaseKind.values if kind in without]
    return _with_shares([*by_type.values(), *kinds_without])


def year_overview_figures(user: User, fiscal_year: FiscalYear) -> dict:
    """The budget overview's figures of a year for the budgets the user sees.

    Read from the balances and totals the booking service keeps in the same transaction as each
    entry (`budget_figures_from_balances`, `CommitmentTotal`), a few small queries however long
    the ledger: no cache, so a booking shows on the next page.
    """
    regions = budgets_visible_to(user).filter(fiscal_year=fiscal_year, region__isnull=False)
    return {
        "overview": year_overview(user, fiscal_year),
        "by_kind": breakdown_by_kind(regions),
        "by_help_type": breakdown_by_help_type(regions),
        "net_by_help_type": [
            row for row in net_cost_by_help_type(budgets=regions) if row.paid or row.received
        ],
        "kind_trend": kind_shares_over_years(user),
        "pending_requests": transfer_requests_visible_to(user)
        .filter(status=TransferStatus.PENDING, budget__fiscal_year=fiscal_year)
        .count(),
    }


@dataclass
class KindTrendRow:
    year: int
    shares: list[tuple[str, Decimal, Decimal | None, Decimal | None]]  # kind, amount, %, change


def kind_shares_over_years(user: User) -> list[KindTrendRow]:
    """Share of each kind of work in what was committed, per year, with the change in points."""
    rows = (
        CommitmentTotal.objects.filter(
            budget__in=budgets_visible_to(user).filter(region__isnull=False)
        )
        .values("budget__fiscal_year__year", "kind")
        .annotate(committed=Sum("bound"))
        .order_by("budget__fiscal_year__year")
    )
    by_year: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        by_year.setdefault(row["budget__fiscal_year__year"], {})[row["kind"]] = money_round(
            row["committed"]
        )
    result = []
    previous: dict[str, Decimal | None] = {}
    for year in sorted(by_year):
        amounts = by_year[year]
        total = sum(amounts.values(), ZERO)
        shares = []
        for kind, label in CaseKind.choices:
            amount = amounts.get(kind, ZERO)
            share = (amount * 100 / total).quantize(Decimal("0.1")) if total else None
            before = previous.get(kind)
            change = share - before if share is not None and before is not None else None
            shares.append((label, amount, share, change))
            previous[kind] = share
        result.append(KindTrendRow(year, shares))
    return result


# Split proposals --------------------------------------------------------------------------------


def minors_per_region(year: int) -> dict[Region, int]:
    """Minors per region from the population figures of the year (or the latest year before)."""
    latest = (
        Population.objects.filter(year__lte=year).order_by("-year").values_list("year", flat=True)
    ).first()
    regions = list(Region.objects.order_by("name"))
    if latest is None:
        return dict.fromkeys(regions, 0)
    sums = dict(
        Population.objects.filter(year=latest)
        .values("sozialraum__region_id")
        .annotate(m=Sum("minors"))
        .order_by()
        .values_list("sozialraum__region_id", "m")
    )
    return {region: sums.get(region.pk, 0) for region in regions}


def use_per_region(year: int) -> dict[Region, Decimal]:
    """What each region bound (net of releases and reversals) in a year (cached ledger sums)."""
    sums = dict(
        Budget.objects.filter(fiscal_year__year=year, region__isnull=False).values_list(
            "region_id", "cached_committed"
        )
    )
    return {
        region: money_round(sums.get(region.pk, ZERO)) for region in Region.objects.order_by("name")
    }


@dataclass
class SplitProposal:
    method: str
    label: str
    basis: Mapping[Region, Decimal | int]
    shares: dict[Region, Decimal]
    available: bool
    note: str = ""


def split_proposals(fiscal_year: FiscalYear, distributable: Decimal) -> list[SplitProposal]:
    """The portal's proposals; the planners decide and may change every figure."""
    minors = minors_per_region(fiscal_year.year)
    use = use_per_region(fiscal_year.year - 1)
    return [
        SplitProposal(
            SplitMethod.MINORS,
            SplitMethod.MINORS.label,
            minors,
            split_proportionally(total=distributable, weights=minors),
            available=any(minors.values()),
            note="Keine Bevölkerungszahlen vorhanden." if not any(minors.values()) else "",
        ),
        SplitProposal(
            SplitMethod.LAST_YEAR,
            SplitMethod.LAST_YEAR.label,
            use,
            split_proportionally(total=distributable, weights=use),
            available=any(v > 0 for v in use.values()),
            note=(
                f"Für {fiscal_year.year - 1} ist nichts gebunden."
                if not any(v > 0 for v in use.values())
                else ""
            ),
        ),
    ]


# Net cost: spending after income ------------------------------------------------------------


@dataclass
class NetCostRow:
    """Paid and received for one help, help type or region; `net` is what the office bore."""

    label: str
    paid: Decimal
    received: Decimal
    help_id: int | None = None
    region_id: int | None = None

    @property
    def net(self) -> Decimal:
        return self.paid - self.received


def net_cost_per_help(*, budgets: Sequence[Budget] | QuerySet[Budget]) -> list[NetCostRow]:
    """Paid, received and net per help (its commitments' cached sums in the budgets), for the
    helps that had payments or income. No access check: callers pass budgets the user sees."""
    rows = (
        Commitment.objects.filter(budget__in=budgets, assignment__isnull=False)
        .values("assignment__help_id", "assignment__help__help_type__name")
        .annotate(paid=Sum("cached_paid"), received=Sum("cached_received"))
        .exclude(paid=0, received=0)
        .order_by("assignment__help_id")
    )
    return [
        NetCostRow(
            label=row["assignment__help__help_type__name"] or "–",
            paid=money_round(row["paid"]),
            received=money_round(row["received"]),
            help_id=row["assignment__help_id"],
        )
        for row in rows
    ]


def net_cost_by_help_type(*, budgets: Sequence[Budget] | QuerySet[Budget]) -> list[NetCostRow]:
    """Paid, received and net by help type (from the budgets' totals), the money without a help
    type by kind of work, as `breakdown_by_help_type` labels it."""
    rows = (
        CommitmentTotal.objects.filter(budget__in=budgets)
        .values("kind", "help_type__name")
        .annotate(paid=Sum("paid", default=ZERO), received=Sum("received", default=ZERO))
        .order_by("help_type__name", "kind")
    )
    result: dict[str, NetCostRow] = {}
    for row in rows:
        label = row["help_type__name"] or WITHOUT_HELP_TYPE[row["kind"]]
        item = result.setdefault(label, NetCostRow(label, ZERO, ZERO))
        item.paid += money_round(row["paid"])
        item.received += money_round(row["received"])
    return list(result.values())


def net_cost_by_region(*, fiscal_year: FiscalYear) -> list[NetCostRow]:
    """Paid, received and net per region of a year (the budgets' balances; the Vorwegabzug
    last, labelled as such)."""
    budgets = Budget.objects.filter(fiscal_year=fiscal_year).select_related("region")
    rows = [
        NetCostRow(
            label=budget.region.name if budget.region else "Vorwegabzug",
            paid=budget.cached_paid,
            received=budget.cached_received,
            region_id=budget.region_id,
        )
        for budget in budgets
    ]
    return sorted(rows, key=lambda row: (row.region_id is None, row.label))
