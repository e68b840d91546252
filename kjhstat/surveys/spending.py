"""Teil IV: Ausgaben und Einnahmen der öffentlichen Jugendhilfe, from the ledger.

Every payment of the year (budgets.selectors_kjh.paid_in_year) has a source: its help type, or
the kind of work when it has none (groups and projects, Sozialraum work). The source is reported
under a Teil IV position: the administrator's `SpendingMapping` row where there is one, else
`DEFAULT_POSITIONS`. Income is the ledger's income of the year (budgets.selectors_kjh.
received_in_year): cost contributions under `INCOME_CONTRIBUTIONS`, reimbursements from other
offices (and any other income) under `INCOME_REIMBURSEMENTS` (docs/contributions.md).
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.urls import reverse

from budgets.models import IncomeSource
from budgets.selectors_kjh import paid_in_year, received_in_year
from cases.models import HelpType
from kjhstat.models import SpendingMapping, SpendingPosition
from kjhstat.survey import Column, Finding, Survey, Table, register

ZERO = Decimal("0.00")

DEFAULT_POSITIONS: dict[str, str] = {
    "help_type:27-2": SpendingPosition.HELP_27,
    "help_type:28": SpendingPosition.HELP_28,
    "help_type:29": SpendingPosition.HELP_29,
    "help_type:30": SpendingPosition.HELP_30,
    "help_type:31": SpendingPosition.HELP_31,
    "help_type:32": SpendingPosition.HELP_32,
    "help_type:33": SpendingPosition.HELP_33,
    "help_type:34": SpendingPosition.HELP_34,
    "help_type:35": SpendingPosition.HELP_35,
    "help_type:35a-amb": SpendingPosition.HELP_35A,
    "help_type:35a-stat": SpendingPosition.HELP_35A,
    "help_type:41": SpendingPosition.HELP_41,
    "help_type:41-stat": SpendingPosition.HELP_41,
    "help_type:42": SpendingPosition.HELP_42,
    "help_type:SR-flex": SpendingPosition.HELP_27,
    "help_type:SR-gruppe": SpendingPosition.HELP_29,
    "help_type:SR-beratung": SpendingPosition.FAMILY_16,
    "kind:individual": SpendingPosition.HELP_27,
    "kind:cross_case": SpendingPosition.YOUTH_WORK_11,
    "kind:case_independent": SpendingPosition.FAMILY_16,
}
SOURCE_LABELS = {
    "kind:individual": "Einzelfälle ohne Hilfeart (von Hand gebunden)",
    "kind:cross_case": "fallübergreifende Arbeit: Gruppen und Projekte",
    "kind:case_independent": "fallunabhängige Arbeit (Sozialraumarbeit)",
}
INCOME_POSITIONS = [SpendingPosition.INCOME_CONTRIBUTIONS, SpendingPosition.INCOME_REIMBURSEMENTS]


def source_label(source: str) -> str:
    if source.startswith("help_type:"):
        return "Hilfeart " + source.removeprefix("help_type:")
    return SOURCE_LABELS.get(source, source)


def sources_known() -> list[str]:
    """Every kind of spending the mapping can speak of: the defaults, the help types of the
    catalogue, and what the administrator has set."""
    codes = HelpType.objects.values_list("code", flat=True)
    return sorted({*mapping(), *(f"help_type:{code}" for code in codes)})


def mapping() -> dict[str, str]:
    """The effective mapping: the defaults, overridden by the administrator's rows."""
    stored = dict(SpendingMapping.objects.values_list("source", "position"))
    return {**DEFAULT_POSITIONS, **stored}


def income_of_year(year: int) -> dict[str, Decimal]:
    """Net income of the year per income position of Teil IV."""
    income: dict[str, Decimal] = dict.fromkeys(INCOME_POSITIONS, ZERO)
    for received in received_in_year(year=year):
        position = (
            SpendingPosition.INCOME_CONTRIBUTIONS
            if received.income_source == IncomeSource.CONTRIBUTION
            else SpendingPosition.INCOME_REIMBURSEMENTS
        )
        income[position] += received.amount
    return income


def positions_of_year(year: int) -> tuple[dict[str, list[Decimal]], list[str]]:
    """Per position: [from regional budgets, from the Vorwegabzug]; and the unmapped sources."""
    effective = mapping()
    totals: dict[str, list[Decimal]] = {}
    unmapped: list[str] = []
    for paid in paid_in_year(year=year):
        position = effective.get(paid.source)
        if position is None:
            unmapped.append(paid.source)
            position = SpendingPosition.OTHER
        if position == SpendingPosition.NOT_REPORTED:
            continue
        line = totals.setdefault(position, [ZERO, ZERO])
        line[1 if paid.from_reserve else 0] += paid.amount
    return totals, sorted(set(unmapped))


COLUMNS = [
    Column("berichtsjahr", "Berichtsjahr"),
    Column("position", "Position (Art der Hilfe / Aufgabe)", dict(SpendingPosition.choices)),
    Column("bezeichnung", "Bezeichnung der Position"),
    Column("ausgaben_eur", "Ausgaben in Euro (Komma, zwei Nachkommastellen)"),
    Column("einnahmen_eur", "Einnahmen in Euro (Komma, zwei Nachkommastellen)"),
    Column("davon_vorwegabzug_eur", "darunter Ausgaben aus dem Vorwegabzug in Euro"),
]
ORDER = list(SpendingPosition.values)


def euro(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):.2f}".replace(".", ",")


def rows(year: int) -> Iterator[dict[str, str]]:
    totals, _unmapped = positions_of_year(year)
    income = income_of_year(year)
    labels = dict(SpendingPosition.choices)
    for position in ORDER:
        if position in INCOME_POSITIONS:
            yield {
                "berichtsjahr": str(year),
                "position": position,
                "bezeichnung": str(labels[position]),
                "ausgaben_eur": euro(ZERO),
                "einnahmen_eur": euro(income[position]),
                "davon_vorwegabzug_eur": euro(ZERO),
            }
            continue
        if position not in totals:
            continue
        regional, reserve = totals[position]
        yield {
            "berichtsjahr": str(year),
            "position": position,
            "bezeichnung": str(labels[position]),
            "ausgaben_eur": euro(regional + reserve),
            "einnahmen_eur": euro(ZERO),
            "davon_vorwegabzug_eur": euro(reserve),
        }


def tables(year: int) -> list[Table]:
    """Whole euros per position (a table of counts: the statistics page prints integers)."""
    totals, _unmapped = positions_of_year(year)
    labels = dict(SpendingPosition.choices)
    shown = [position for position in ORDER if position in totals]
    return [
        Table(
            "Ausgaben nach Position in Teil IV (volle Euro)",
            [str(labels[position]) for position in shown],
            ["aus Regionalbudgets", "aus dem Vorwegabzug", "zusammen"],
            [
                [
                    int(totals[p][0].quantize(Decimal("1"))),
                    int(totals[p][1].quantize(Decimal("1"))),
                    int((totals[p][0] + totals[p][1]).quantize(Decimal("1"))),
                ]
                for p in shown
            ],
        )
    ]


def plausibility(year: int) -> Iterable[Finding]:
    _totals, unmapped = positions_of_year(year)
    for source in unmapped:
        yield Finding(
            record_label=f"Kostenart „{source_label(source)}“",
            problem="Für diese Kostenart ist keine Position in Teil IV festgelegt; sie wird "
            "bis dahin unter „Sonstige Aufgaben“ gemeldet.",
            fix_url=reverse("kjhstat:mapping"),
            caseworker="Administration",
            severity="warning",
        )


SURVEY = register(
    Survey(
        key="teil4",
        title="Teil IV: Ausgaben und Einnahmen",
        columns=COLUMNS,
        rows=rows,
        tables=tables,
        plausibility=plausibility,
        per_case=False,
    )
)
