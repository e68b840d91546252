"""The shape every survey of the KJH statistics has, and the list of surveys.

A survey module (`kjhstat/surveys/<name>.py`) builds one `Survey` and adds it with `register`;
the statistics page, the plausibility report and the delivery task only ever walk `SURVEYS`, so a
new survey is one new module and one line in `kjhstat/surveys/__init__.py`.

A survey of records (one line per help, assessment, measure) gives a `walk`: one read of the
year's records that yields the delivery rows and, as it goes, counts the tables and collects the
findings. `survey_walk` is the one runner: the delivery file, the tables and the plausibility
report of a year then cost one read of the records, not three (at 100,000 cases each read of
Teil I is tens of thousands of helps). `rows`, `tables` and `plausibility` stay for callers that
want one part only.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Column:
    """One column of a delivery file: one item of the official questionnaire."""

    key: str  # our column name in the CSV, stable
    item: str  # the questionnaire's item number / name, e.g. "B3 Geschlecht"
    codes: dict[str, str] = field(default_factory=dict)  # code -> German label; empty = free value


@dataclass(frozen=True)
class Finding:
    """One missing or contradictory item of one record, for the plausibility report."""

    record_label: str  # pseudonymous: case number and record kind, never a name
    problem: str  # German sentence
    fix_url: str  # the page where it is fixed
    caseworker: str  # display name of the responsible caseworker, for sorting
    severity: str = "error"  # "error" blocks a clean delivery, "warning" only informs


@dataclass(frozen=True)
class Table:
    """One results table as the official publications show it."""

    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int]]  # rows x columns, counts


class SurveyPass(Protocol):
    """One walk over a survey's records of a year. `rows()` may be iterated once; `tables()`
    and `findings()` are complete after it has been iterated to the end."""

    def rows(self) -> Iterator[dict[str, str]]: ...

    def tables(self) -> list[Table]: ...

    def findings(self) -> list[Finding]: ...


@dataclass(frozen=True)
class Survey:
    key: str  # url-safe, e.g. "teil1", "8a", "42", "teil4"
    title: str  # German
    columns: list[Column]
    rows: Callable[[int], Iterator[dict[str, str]]]  # year -> delivery rows, ordered stably
    tables: Callable[[int], Iterable[Table]]
    plausibility: Callable[[int], Iterable[Finding]]
    # Counts of children and families: the committee version of the page hides counts of 1 and 2
    # (reports.suppression). False for a survey of money (Teil IV).
    per_case: bool = True
    # year -> one pass giving rows, tables and findings together; None for a survey that only
    # has the three parts (Teil IV: a handful of sums).
    walk: Callable[[int], SurveyPass] | None = None


def survey_of_walk(
    *, key: str, title: str, columns: list[Column], walk: Callable[[int], SurveyPass]
) -> Survey:
    """A survey of records whose three parts are read from its one walk."""

    def rows(year: int) -> Iterator[dict[str, str]]:
        return walk(year).rows()

    def tables(year: int) -> list[Table]:
        return survey_walk(survey=survey, year=year).tables

    def plausibility(year: int) -> list[Finding]:
        return survey_walk(survey=survey, year=year).findings

    survey = Survey(key, title, columns, rows, tables, plausibility, walk=walk)
    return survey


@dataclass(frozen=True)
class YearResult:
    """What one walk gives besides the rows."""

    count: int  # delivery records
    tables: list[Table]
    findings: list[Finding]  # in the survey's order (the page sorts them)


def survey_walk(
    *,
    survey: Survey,
    year: int,
    on_row: Callable[[dict[str, str]], None] | None = None,
    report: bool = True,
) -> YearResult:
    """Walk one survey's year once: each delivery row goes to `on_row` (the CSV writer), and
    the tables and findings come back. A survey without a walk reads its parts apart; without
    `report` it then skips the tables and findings."""
    count = 0
    if survey.walk is not None:
        one_pass = survey.walk(year)
        for row in one_pass.rows():
            if on_row is not None:
                on_row(row)
            count += 1
        return YearResult(count, one_pass.tables(), one_pass.findings())
    for row in survey.rows(year):
        if on_row is not None:
            on_row(row)
        count += 1
    if not report:
        return YearResult(count, [], [])
    return YearResult(count, list(survey.tables(year)), list(survey.plausibility(year)))


SURVEYS: dict[str, Survey] = {}


def register(survey: Survey) -> Survey:
    SURVEYS[survey.key] = survey
    return survey
