"""Reads for committee reports: who sees which report, and the report's figures.

`report_content()` gathers every figure of a report through the selectors of the apps below
(budgets, cases, network) in a fixed number of aggregate queries, protects every count per
Sozialraum against small numbers (`reports.suppression`) and returns plain JSON-able data: the
PDF and the exports are both made from it, so they always show the same figures.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.loader import render_to_string

from budgets.models import Budget, FiscalYear
from budgets.provider_budgets import provider_budget_projects_of_year, provider_budgets_of_year
from budgets.selectors import (
    ZERO,
    BreakdownRow,
    breakdown_by_help_type,
    breakdown_by_kind,
    budget_figures,
)
from cases.figures import (
    SozialraumCaseFigures,
    case_figures_by_sozialraum,
    percent,
    populations_latest,
)
from cases.models import RiskLevel
from network.maps import MapFigure, map_build
from network.models import Conference, Partner, PartnerType, RegionBoundary
from network.selectors import boundaries_valid_on, offers_search
from reports.models import ReportRequest, ReportState
from reports.suppression import NOTE, derived, protect_table
from sozialraum.access import has_role
from sozialraum.models import Population, Region, Role, Sozialraum, User

# Who may do what with reports (see docs in the README): planners and administrators request,
# follow and export them; ASD team leads may read finished reports (aggregate figures only).
REQUESTERS = (Role.PLANNER, Role.ADMIN)
READERS = (*REQUESTERS, Role.TEAM_LEAD)

TEXT, COUNT, NUMBER, MONEY, PERCENT, RATE, CHANGE = (
    "text",
    "count",
    "number",
    "money",
    "percent",
    "rate",
    "change",
)

# The sections of every report, in order: key → heading (the table of contents lists them).
SECTIONS = {
    "haushalt": "Budget je Region und Vorwegabzug",
    "ausgaben": "Ausgaben nach Hilfeart und Art der Arbeit",
    "traegerbudgets": "Trägerbudgets und Übertrag in Sozialraumprojekte",
    "fallzahlen": "Fallzahlen je Sozialraum",
    "unterbringungen": "Wohnortnahe Unterbringungen",
    "kinderschutz": "Gefährdungseinschätzungen nach § 8a SGB VIII",
    "projekte": "Fallübergreifende und fallunabhängige Arbeit",
    "netzwerk": "Netzwerkpartner und Sozialraumkonferenzen",
    "erlaeuterungen": "Erläuterungen",
}


# Access -----------------------------------------------------------------------------------------


def reports_visible_to(user: User) -> QuerySet[ReportRequest]:
    """Planners and administrators see every request; team leads the finished reports."""
    reports = ReportRequest.objects.select_related("requested_by").prefetch_related("regions")
    if has_role(user, *REQUESTERS):
        return reports
    if has_role(user, Role.TEAM_LEAD):
        return reports.filter(state=ReportState.DONE)
    return reports.none()


def report_get_for_user(user: User, public_id: Any) -> ReportRequest:
    try:
        return reports_visible_to(user).get(public_id=public_id)
    except ReportRequest.DoesNotExist:
        raise Http404("Diesen Bericht gibt es nicht.") from None


# Content ----------------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _dec(value: Decimal | str | None) -> str | None:
    return None if value is None else str(value)


def _change(now: Decimal, before: Decimal) -> str | None:
    """Change against the previous year in per cent; None where there was nothing before."""
    if before <= 0:
        return None
    return str(((now - before) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _section(key: str, tables: list[dict] | None = None, text: list[str] | None = None) -> dict:
    return {"key": key, "title": SECTIONS[key], "tables": tables or [], "text": text or []}


def _table(
    key: str,
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: list[list],
    foot: list[list] | None = None,
) -> dict:
    return {
        "key": key,
        "title": title,
        "columns": [{"label": label, "kind": kind} for label, kind in columns],
        "rows": rows,
        "foot": foot or [],
    }


@dataclass
class _Area:
    """The Sozialräume of the report in print order, with their region and population."""

    sozialraeume: list[Sozialraum]
    minors: dict[int, int]
    regions: list[Region]

    @property
    def ids(self) -> list[int]:
        return [s.pk for s in self.sozialraeume]

    def label(self, sozialraum: Sozialraum) -> str:
        return f"{sozialraum.name} ({sozialraum.code})"


def _area(start: datetime.date, end: datetime.date, regions: list[Region], figures) -> _Area:
    """Sozialräume valid in the period, plus former ones that still carry figures in it."""
    ids = {pk for pk in figures}
    sozialraeume = list(
        Sozialraum.objects.filter(
            Q(pk__in=ids)
            | Q(valid_from__lte=end) & (Q(valid_until__isnull=True) | Q(valid_until__gte=start)),
            region__in=regions,
        )
        .select_related("region")
        .order_by("region__name", "code", "valid_from")
    )
    populations: dict[int, Population] = populations_latest([s.pk for s in sozialraeume], end.year)
    return _Area(
        sozialraeume=sozialraeume,
        minors={pk: p.minors for pk, p in populations.items()},
        regions=regions,
    )


def _protected(
    area: _Area, values: Mapping[int, Sequence[int]], width: int, *, row_totals: bool = False
):
    """The counts per Sozialraum (in print order) protected as one table with a total row."""
    counts = [list(values.get(s.pk, [0] * width)) for s in area.sozialraeume]
    return protect_table(counts or [[0] * width], row_totals=row_totals)


def _count_table(
    key: str,
    title: str,
    area: _Area,
    columns: Sequence[str],
    values: Mapping[int, Sequence[int]],
    *,
    row_totals: str = "",
) -> dict:
    """A table of counts per Sozialraum with a total row (and a total column)."""
    protected = _protected(area, values, len(columns), row_totals=bool(row_totals))
    head = [("Sozialraum", TEXT), ("Region", TEXT), *((c, COUNT) for c in columns)]
    rows = [
        [area.label(s), s.region.name, *protected.cells[i]]
        + ([protected.row_totals[i]] if row_totals else [])
        for i, s in enumerate(area.sozialraeume)
    ]
    foot = ["Summe", "", *protected.column_totals]
    if row_totals:
        head.append((row_totals, COUNT))
        foot.append(protected.grand_total)
    return _table(key, title, head, rows, [foot])


def _budget_section(fiscal_year: FiscalYear | None, regions: list[Region]) -> dict:
    section = _section("haushalt")
    if fiscal_year is None:
        section["text"] = ["Für dieses Jahr ist im Portal kein Haushaltsjahr angelegt."]
        return section
    budgets = list(
        Budget.objects.filter(fiscal_year=fiscal_year)
        .filter(Q(region__in=regions) | Q(region__isnull=True))
        .select_related("region", "fiscal_year")
    )
    figures = budget_figures(budgets)

    def region_name(budget: Budget) -> str:
        # Every budget but the Vorwegabzug (the reserve, filtered out below) has a region.
        assert budget.region is not None
        return budget.region.name

    region_budgets = sorted((b for b in budgets if not b.is_reserve), key=region_name)
    reserve = next((b for b in budgets if b.is_reserve), None)

    def row(label: str, f) -> list:
        return [label, *(_money(v) for v in (f.allocated, f.committed, f.paid, f.free, f.forecast))]

    rows = [row(region_name(b), figures[b.pk]) for b in region_budgets]
    total = (
        sum((figures[b.pk] for b in region_budgets[1:]), figures[region_budgets[0].pk])
        if (region_budgets)
        else None
    )
    foot = [row("Summe der Regionen", total)] if total is not None else []
    if reserve is not None:
        foot.append(row("Vorwegabzug (zentral)", figures[reserve.pk]))
    section["tables"].append(
        _table(
            "budget",
            f"Budgets {fiscal_year.year}: zugewiesen, gebunden, gezahlt, frei und Hochrechnung",
            [
                ("Budget", TEXT),
                ("zugewiesen", MONEY),
                ("gebunden", MONEY),
                ("gezahlt", MONEY),
                ("frei", MONEY),
                ("Hochrechnung 31.12.", MONEY),
            ],
            rows,
            foot,
        )
    )
    if any(figures[b.pk].received for b in budgets):
        # Net cost beside spending: income (cost contributions, reimbursements) off the payments.
        def net_row(label: str, f) -> list:
            return [label, *(_money(v) for v in (f.paid, f.received, f.net_paid))]

        net_foot = [net_row("Summe der Regionen", total)] if total is not None else []
        section["tables"].append(
            _table(
                "budget_net",
                f"Ausgaben, Einnahmen und Nettokosten {fiscal_year.year}",
                [
                    ("Budget", TEXT),
                    ("gezahlt", MONEY),
                    ("eingenommen", MONEY),
                    ("Nettokosten", MONEY),
                ],
                [net_row(region_name(b), figures[b.pk]) for b in region_budgets],
                net_foot,
            )
        )
    section["text"] = [
        f"Haushaltsjahr {fiscal_year.year}. Gebunden: bewilligte Mittel; frei: zugewiesen "
        "abzüglich gebunden; Hochrechnung: gebundene Mittel zuzüglich der laufenden "
        "Bewilligungen bis zum 31. Dezember fortgeschrieben. Nettokosten: gezahlt abzüglich "
        "der Einnahmen (Kostenbeiträge, Kostenerstattungen)."
    ]
    return section


def _compare(
    now: list[BreakdownRow], before: list[BreakdownRow]
) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """(label, committed this year, paid this year, committed the year before), this year's
    order first, then what only the year before had."""
    current = {row.label: row for row in now}
    earlier = {row.label: row.committed for row in before}
    labels = list(current) + [label for label in earlier if label not in current]
    return [
        (
            label,
            current[label].committed if label in current else ZERO,
            current[label].paid if label in current else ZERO,
            earlier.get(label, ZERO),
        )
        for label in labels
    ]


def _spending_table(key: str, title: str, label: str, year: int, compared, *, shares: bool) -> dict:
    total = [sum((row[i] for row in compared), ZERO) for i in (1, 2, 3)]
    columns = [
        (label, TEXT),
        (f"gebunden {year}", MONEY),
        (f"gezahlt {year}", MONEY),
        (f"gebunden {year - 1}", MONEY),
        ("Veränderung zum Vorjahr (%)", CHANGE),
    ]
    rows = [
        [name, _money(committed), _money(paid), _money(before), _change(committed, before)]
        for name, committed, paid, before in compared
    ]
    foot = ["Summe", *(_money(t) for t in total), _change(total[0], total[2])]
    if shares:
        columns.append(("Anteil (%)", PERCENT))
        for row, (_, committed, _, _) in zip(rows, compared, strict=True):
            row.append(_dec(percent(committed, total[0])))
        foot.append("100.0" if total[0] else None)
    return _table(key, title, columns, rows, [foot])


def _spending_section(fiscal_year: FiscalYear | None, regions: list[Region]) -> dict:
    section = _section("ausgaben")
    if fiscal_year is None:
        section["text"] = ["Ohne Haushaltsjahr gibt es keine Ausgaben auszuweisen."]
        return section
    year = fiscal_year.year
    this_year = Budget.objects.filter(fiscal_year=fiscal_year, region__in=regions)
    last_year = Budget.objects.filter(fiscal_year__year=year - 1, region__in=regions)
    section["tables"] = [
        _spending_table(
            "hilfearten",
            f"Gebundene und gezahlte Mittel nach Hilfeart, {year} im Vergleich zu {year - 1}",
            "Hilfeart",
            year,
            _compare(breakdown_by_help_type(this_year), breakdown_by_help_type(last_year)),
            shares=False,
        ),
        _spending_table(
            "arten",
            f"Gebundene und gezahlte Mittel nach Art der Arbeit, {year} im Vergleich zu {year - 1}",
            "Art der Arbeit",
            year,
            _compare(breakdown_by_kind(this_year), breakdown_by_kind(last_year)),
            shares=True,
        ),
    ]
    section["text"] = [
        "Fallübergreifende und fallunabhängige Arbeit und frei gebuchte Bewilligungen haben "
        "keine Hilfeart; sie stehen unter „ohne Hilfeart“. Veränderung: gebundene Mittel "
        "gegenüber dem Vorjahr."
    ]
    return section


def _provider_budget_section(fiscal_year: FiscalYear | None, regions: list[Region]) -> dict:
    """The Schwerpunktträger's own budgets and the Sozialraum projects their rest went into."""
    section = _section("traegerbudgets")
    if fiscal_year is None:
        section["text"] = ["Ohne Haushaltsjahr gibt es keine Trägerbudgets."]
        return section
    year = fiscal_year.year
    region_ids = {r.pk for r in regions}
    rows = [
        [
            pb.holder_name,
            pb.budget.region.name if pb.budget.region else "",
            _money(o.allocated),
            _money(o.spent),
            _money(o.left),
            _money(o.forecast),
        ]
        for pb, o in provider_budgets_of_year(year)
        if pb.budget.region_id in region_ids
    ]
    section["tables"].append(
        _table(
            "traegerbudgets",
            f"Trägerbudgets {year}: zugewiesen, ausgegeben, übrig und Hochrechnung",
            [
                ("Träger", TEXT),
                ("Region", TEXT),
                ("zugewiesen", MONEY),
                ("ausgegeben", MONEY),
                ("übrig", MONEY),
                ("Hochrechnung 31.12.", MONEY),
            ],
            rows,
        )
    )
    projects = [
        [
            str(project.carry_over.provider_budget.budget.fiscal_year.year),
            project.carry_over.provider_budget.holder_name,
            project.name,
            project.sozialraum.name,
            _money(project.amount),
        ]
        for decided_year in (year - 1, year)
        for project in provider_budget_projects_of_year(decided_year).order_by("pk")
        if project.sozialraum.region_id in region_ids
    ]
    section["tables"].append(
        _table(
            "traegerbudget_projekte",
            f"Übertrag aus Trägerbudgets {year - 1} und {year} in Sozialraumprojekte",
            [
                ("aus Trägerbudget", TEXT),
                ("Träger", TEXT),
                ("Projekt", TEXT),
                ("Sozialraum", TEXT),
                ("Betrag", MONEY),
            ],
            projects,
        )
    )
    section["text"] = [
        "Ein Trägerbudget verwaltet der Schwerpunktträger (oder Trägerverbund) selbst. Was am "
        "Jahresende übrig bleibt, fließt nach einer festgehaltenen Entscheidung in benannte "
        "Sozialraumprojekte des Folgejahres. Hochrechnung: bisherige Ausgaben im gleichen Tempo "
        "bis zum 31. Dezember fortgeschrieben."
    ]
    return section


def _case_section(area: _Area, figures: dict[int, SozialraumCaseFigures]) -> dict:
    values = {
        pk: [f.intakes, f.helps_running, f.helps_started, f.helps_ended]
        for pk, f in figures.items()
    }
    protected = _protected(area, values, 4)

    def rates(intakes: int, running: int, minors: int | None, shown: list) -> list:
        # A rate is printed only where the count it rests on is printed exactly.
        base = Population(minors=minors or 0)
        return [
            _dec(derived(base.per_1000_minors(intakes), shown[0])),
            _dec(derived(base.per_1000_minors(running), shown[1])),
        ]

    rows = []
    for index, sozialraum in enumerate(area.sozialraeume):
        intakes, running, _, _ = values.get(sozialraum.pk, [0, 0, 0, 0])
        minors = area.minors.get(sozialraum.pk)
        shown = protected.cells[index]
        rows.append(
            [
                area.label(sozialraum),
                sozialraum.region.name,
                minors,
                *shown,
                *rates(intakes, running, minors, shown),
            ]
        )
    all_minors = sum(area.minors.get(pk, 0) for pk in area.ids)
    totals = [sum(values.get(pk, [0] * 4)[i] for pk in area.ids) for i in (0, 1)]
    foot = [
        "Summe",
        "",
        all_minors or None,
        *protected.column_totals,
        *rates(totals[0], totals[1], all_minors, protected.column_totals),
    ]
    table = _table(
        "fallzahlen",
        "Fallzahlen je Sozialraum im Berichtszeitraum",
        [
            ("Sozialraum", TEXT),
            ("Region", TEXT),
            ("Minderjährige", NUMBER),
            ("Falleingänge", COUNT),
            ("laufende Hilfen", COUNT),
            ("begonnene Hilfen", COUNT),
            ("beendete Hilfen", COUNT),
            ("Falleingänge je 1.000 Mj.", RATE),
            ("laufende Hilfen je 1.000 Mj.", RATE),
        ],
        rows,
        [foot],
    )

    # Running helps by help type per region (counts, protected like the Sozialraum figures).
    region_of = {s.pk: s.region_id for s in area.sozialraeume}
    types: dict[str, tuple[int, str]] = {}
    by_type: dict[tuple[str, int], int] = {}
    for pk, f in figures.items():
        if pk not in region_of:
            continue
        for item in f.running_by_help_type:
            types[item.code] = (item.sort_order, item.label)
            key = (item.code, region_of[pk])
            by_type[key] = by_type.get(key, 0) + item.count
    codes = sorted(types, key=lambda code: (types[code][0], code))
    counts = [[by_type.get((code, r.pk), 0) for r in area.regions] for code in codes]
    protected = protect_table(
        counts or [[0] * len(area.regions)], row_totals=True, column_totals=True
    )
    # Both kinds of totals were asked for, so both are there.
    assert protected.row_totals is not None and protected.column_totals is not None
    type_table = _table(
        "hilfearten_laufend",
        "Laufende Hilfen nach Hilfeart und Region",
        [("Hilfeart", TEXT), *((r.name, COUNT) for r in area.regions), ("gesamt", COUNT)],
        [
            [types[code][1], *protected.cells[i], protected.row_totals[i]]
            for i, code in enumerate(codes)
        ],
        [["Summe", *protected.column_totals, protected.grand_total]],
    )
    return {
        **_section("fallzahlen"),
        "tables": [table, type_table],
        "text": [
            "Falleingänge: fallspezifische Fälle, die im Zeitraum eingegangen sind. Laufende "
            "Hilfen: Hilfen, die an mindestens einem Tag des Zeitraums liefen. Minderjährige: "
            "letzte vorliegende Bevölkerungszahl bis zum Berichtsjahr; je 1.000 Mj.: je 1.000 "
            "Minderjährige."
        ],
    }


def _placement_section(area: _Area, figures: dict[int, SozialraumCaseFigures]) -> dict:
    values = {pk: [f.placements_running, f.placements_near_home] for pk, f in figures.items()}
    protected = _protected(area, values, 2)
    rows = []
    for index, sozialraum in enumerate(area.sozialraeume):
        running, near = values.get(sozialraum.pk, [0, 0])
        shown = protected.cells[index]
        share = _dec(derived(percent(near, running), *shown))
        rows.append([area.label(sozialraum), sozialraum.region.name, *shown, share])
    running, near = (sum(values.get(pk, [0, 0])[i] for pk in area.ids) for i in (0, 1))
    total_share = _dec(derived(percent(near, running), *protected.column_totals))
    table = _table(
        "unterbringungen",
        "Laufende Unterbringungen und davon wohnortnahe (im eigenen Sozialraum oder der Region)",
        [
            ("Sozialraum", TEXT),
            ("Region", TEXT),
            ("laufende Unterbringungen", COUNT),
            ("davon wohnortnah", COUNT),
            ("Anteil wohnortnah (%)", PERCENT),
        ],
        rows,
        [["Summe", "", *protected.column_totals, total_share]],
    )
    return {
        **_section("unterbringungen"),
        "tables": [table],
        "text": [
            "Kinder sollen in ihrer Familie bleiben, wo ihr Wohl es zulässt; wo nicht, möglichst "
            "nah an ihrem Zuhause untergebracht werden. Wohnortnah heißt hier: im eigenen "
            "Sozialraum oder in der eigenen Region."
        ],
        "key_figure": {"label": "Anteil wohnortnaher Unterbringungen", "value": total_share},
    }


def _risk_section(area: _Area, figures: dict[int, SozialraumCaseFigures]) -> dict:
    levels = [RiskLevel.NONE, RiskLevel.HELP_NEEDED, RiskLevel.LATENT, RiskLevel.ACUTE]
    values = {
        pk: [f.risk_assessments.get(level, 0) for level in levels] for pk, f in figures.items()
    }
    table = _count_table(
        "kinderschutz",
        "Gefährdungseinschätzungen im Zeitraum nach Ergebnis",
        area,
        [RiskLevel(level).label for level in levels],
        values,
        row_totals="gesamt",
    )
    return {
        **_section("kinderschutz"),
        "tables": [table],
        "text": [
            "Gezählt werden die im Zeitraum erfassten Einschätzungen nach § 8a SGB VIII mit "
            "Ergebnis, eine je Kind, ohne Angaben zu den Fällen."
        ],
    }


def _project_section(area: _Area, figures: dict[int, SozialraumCaseFigures]) -> dict:
    values = {
        pk: [
            f.cross_case_running,
            f.cross_case_opened,
            f.case_independent_running,
            f.case_independent_opened,
        ]
        for pk, f in figures.items()
    }
    table = _count_table(
        "projekte",
        "Fallübergreifende und fallunabhängige Projekte im Zeitraum",
        area,
        [
            "fallübergreifend laufend",
            "davon neu begonnen",
            "fallunabhängig laufend",
            "davon neu begonnen",
        ],
        values,
    )
    return {
        **_section("projekte"),
        "tables": [table],
        "text": [
            "Fallübergreifend: Angebote für mehrere Familien mit gemeinsamem Bedarf. "
            "Fallunabhängig: Arbeit im Sozialraum ohne einen Fall dahinter."
        ],
    }


def _network_section(start: datetime.date, end: datetime.date, area: _Area) -> dict:
    ids = area.ids
    partners = dict(
        Partner.objects.filter(is_active=True, sozialraum__in=ids)
        .order_by()
        .values_list("sozialraum")
        .annotate(n=Count("pk"))
    )
    offers = dict(
        offers_search(on=end)
        .annotate(area=Coalesce("sozialraum", "partner__sozialraum"))
        .filter(area__in=ids)
        .order_by()
        .values_list("area")
        .annotate(n=Count("pk"))
    )
    in_period = Conference.objects.filter(date__gte=start, date__lte=end)
    conferences = dict(
        in_period.filter(sozialraum__in=ids)
        .order_by()
        .values_list("sozialraum")
        .annotate(n=Count("pk"))
    )
    values = {pk: [partners.get(pk, 0), offers.get(pk, 0), conferences.get(pk, 0)] for pk in ids}
    table = _count_table(
        "netzwerk",
        "Netzwerkpartner, Angebote und Sozialraumkonferenzen je Sozialraum",
        area,
        ["aktive Netzwerkpartner", "Angebote am Ende des Zeitraums", "Konferenzen im Zeitraum"],
        values,
    )
    by_type = dict(
        Partner.objects.filter(is_active=True, sozialraum__in=ids)
        .order_by()
        .values_list("partner_type")
        .annotate(n=Count("pk"))
    )
    type_table = _table(
        "partnerarten",
        "Aktive Netzwerkpartner nach Art",
        [("Art", TEXT), ("Anzahl", NUMBER)],
        [[label, by_type[value]] for value, label in PartnerType.choices if by_type.get(value)],
        [["Summe", sum(by_type.values())]],
    )
    region_conferences = dict(
        in_period.filter(region__in=area.regions)
        .order_by()
        .values_list("region")
        .annotate(
            n=Count("pk", distinct=True),
        )
    )
    attendance = in_period.filter(Q(sozialraum__in=ids) | Q(region__in=area.regions)).aggregate(
        partners=Count("present_partners", distinct=False),
    )
    region_table = _table(
        "regionskonferenzen",
        "Konferenzen auf Ebene der Region im Zeitraum",
        [("Region", TEXT), ("Konferenzen", NUMBER)],
        [[r.name, region_conferences.get(r.pk, 0)] for r in area.regions],
    )
    return {
        **_section("netzwerk"),
        "tables": [table, type_table, region_table],
        "text": [
            f"Netzwerkpartner nahmen im Zeitraum {attendance['partners']}-mal an "
            "Sozialraum- und Regionskonferenzen teil."
        ],
    }


def _notes_section(regions: list[Region]) -> dict:
    return {
        **_section("erlaeuterungen"),
        "tables": [],
        "text": [
            NOTE,
            "Der Bericht enthält nur zusammengefasste Zahlen: keine Namen, keine Fallnummern, "
            "keine Angaben zu einzelnen Familien.",
            "Fälle, Hilfen und Gefährdungseinschätzungen zählen in dem Sozialraum, der beim Fall "
            "erfasst ist. Wurde ein Sozialraum neu zugeschnitten, erscheinen der frühere und der "
            "neue Zuschnitt getrennt.",
            "Regionen dieses Berichts: " + ", ".join(r.name for r in regions) + ".",
        ],
    }


@dataclass
class ReportBuild:
    content: dict
    map_html: str


def report_content(
    *,
    start: datetime.date,
    end: datetime.date,
    regions: Sequence[Region],
    title: str,
    office: str,
    data_as_of: datetime.datetime,
    progress=None,
) -> ReportBuild:
    """Every figure of a report, protected and ready to print or export.

    `progress(percent, step)` is called between the parts so that the page can show it.
    """
    step = progress or (lambda percent, text: None)
    regions = sorted(regions, key=lambda r: r.name)
    fiscal_year = FiscalYear.objects.filter(year=end.year).first()
    step(10, "Budgets werden zusammengestellt")
    sections = [_budget_section(fiscal_year, regions)]
    step(20, "Ausgaben nach Hilfeart werden berechnet")
    sections.append(_spending_section(fiscal_year, regions))
    sections.append(_provider_budget_section(fiscal_year, regions))
    step(35, "Fallzahlen werden berechnet")
    all_figures = case_figures_by_sozialraum(start, end)
    area = _area(start, end, regions, all_figures)
    figures = {pk: all_figures[pk] for pk in area.ids if pk in all_figures}
    case_section = _case_section(area, figures)
    sections += [
        case_section,
        _placement_section(area, figures),
        _risk_section(area, figures),
        _project_section(area, figures),
    ]
    step(50, "Netzwerk und Konferenzen werden ausgewertet")
    sections.append(_network_section(start, end, area))
    sections.append(_notes_section(regions))

    # The map is shaded by running helps per 1,000 minors, where that figure may be printed.
    rate_column = 8
    values: dict[int, Decimal | int | None] = {}
    for sozialraum, row in zip(area.sozialraeume, case_section["tables"][0]["rows"], strict=True):
        rate = row[rate_column]
        values[sozialraum.pk] = Decimal(rate) if rate not in (None, "–") else None
    boundaries = boundaries_valid_on(end).filter(sozialraum__region__in=regions)
    svg_map = map_build(
        boundaries=boundaries,
        title="Laufende Hilfen je 1.000 Minderjährige nach Sozialraum",
        figure=MapFigure("laufende Hilfen je 1.000 Minderjährige", values),
        regions=RegionBoundary.objects.filter(region__in=regions),
        dom_id="bericht-karte",
    )
    content = {
        "title": title,
        "office": office,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "regions": [r.name for r in regions],
        "fiscal_year": fiscal_year.year if fiscal_year else None,
        "data_as_of": data_as_of.isoformat(),
        "sections": sections,
    }
    map_html = (
        "" if svg_map.is_empty else render_to_string("reports/pdf/map.html", {"map": svg_map})
    )
    return ReportBuild(content=content, map_html=map_html)
