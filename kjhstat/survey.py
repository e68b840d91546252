"""The shape every survey of the KJH statistics has, and the list of surveys.

A survey module (`kjhstat/surveys/<name>.py`) builds one `Survey` and adds it with `register`;
the statistics page, the plausibility report and the delivery task only ever walk `SURVEYS`, so a
new survey is one new module and one line in `kjhstat/surveys/__init__.py`.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


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


SURVEYS: dict[str, Survey] = {}


def register(survey: Survey) -> Survey:
    SURVEYS[survey.key] = survey
    return survey
