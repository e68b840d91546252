"""Vorläufige Schutzmaßnahmen (§ 42, § 42a SGB VIII).

One record per Inobhutnahme that ended in the reporting year: the survey counts a measure in
the year of its end, so one begun in December and ended in January belongs to the new year, and
one still running on 31 December is not delivered yet (the plausibility report names it when it
has been open for long). Columns, codes and derivations are documented in docs/statistics.md.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cases import kjh_items
from cases.kjh_protection_items import (
    UNACCOMPANIED_KINDS,
    ProtectionInitiator,
    ProtectionKind,
    ProtectionOutcome,
    ProtectionPlacement,
    ProtectionReason,
)
from cases.selectors_custody import custodies_ended_in, custodies_open_on
from kjhstat.survey import Column, Finding, Table, register, survey_of_walk

# A measure here is its items as one dict (cases.selectors_custody.CUSTODY_VALUES).
Measure = dict[str, Any]

YES, NO = "1", "2"
YES_NO = {YES: "ja", NO: "nein"}
# An Inobhutnahme is a short crisis measure; open longer than this without an end, it is named
# in the plausibility report (a warning: the end may simply not be recorded yet).
OPEN_DAYS_WARNING = 90
DURATIONS = [
    (0, 2, "bis 1 Tag"),
    (2, 8, "2 bis 7 Tage"),
    (8, 15, "8 bis 14 Tage"),
    (15, 92, "15 Tage bis 3 Monate"),
    (92, 10**6, "mehr als 3 Monate"),
]

COLUMNS = [
    Column("lfd_nr", "Laufende Nummer (ohne Personenbezug)"),
    Column("berichtsjahr", "Berichtsjahr (Jahr des Endes der Maßnahme)"),
    Column("art", "Art der Maßnahme", dict(ProtectionKind.choices)),
    Column("geschlecht", "Geschlecht", dict(kjh_items.Sex.choices)),
    Column("geburtsmonat", "Geburtsmonat"),
    Column("geburtsjahr", "Geburtsjahr"),
    Column("alter", "Alter bei Beginn (abgeleitet, Jahre)"),
    Column("beginn_monat", "Beginn der Maßnahme: Monat"),
    Column("beginn_jahr", "Beginn der Maßnahme: Jahr"),
    Column("ende_monat", "Ende der Maßnahme: Monat"),
    Column("dauer_tage", "Dauer in Tagen (Ende minus Beginn)"),
    Column("angeregt_durch", "Anregende der Maßnahme", dict(ProtectionInitiator.choices)),
    *[
        Column(f"anlass_{code}", f"Anlass: {label}", YES_NO)
        for code, label in ProtectionReason.choices
    ],
    Column(
        "aufenthalt_vorher",
        "Aufenthalt vor der Maßnahme",
        dict(kjh_items.ResidenceBefore.choices),
    ),
    Column("unterbringung", "Art der Unterbringung", dict(ProtectionPlacement.choices)),
    Column("widerspruch", "Widerspruch der Sorgeberechtigten", YES_NO),
    Column("familiengericht", "Familiengericht angerufen (§ 42 Abs. 3)", YES_NO),
    Column(
        "ende", "Ende der Maßnahme / anschließender Aufenthalt", dict(ProtectionOutcome.choices)
    ),
]


def _duration(measure: Measure) -> int | None:
    if measure["ended_on"] is None:
        return None
    return (measure["ended_on"] - measure["started_on"]).days


def _row(number: int, year: int, measure: Measure) -> dict[str, str]:
    birth = measure["child__birth_date"]
    age = kjh_items.age_on(birth, measure["started_on"])
    duration = _duration(measure)
    reasons = set(measure["reasons"] or [])
    row = {
        "lfd_nr": str(number),
        "berichtsjahr": str(year),
        "art": measure["kind"],
        "geschlecht": measure["child__sex"] if measure["child_id"] is not None else "",
        "geburtsmonat": str(birth.month) if birth else "",
        "geburtsjahr": str(birth.year) if birth else "",
        "alter": "" if age is None else str(age),
        "beginn_monat": str(measure["started_on"].month),
        "beginn_jahr": str(measure["started_on"].year),
        "ende_monat": str(measure["ended_on"].month) if measure["ended_on"] else "",
        "dauer_tage": "" if duration is None or duration < 0 else str(duration),
        "angeregt_durch": measure["initiator"],
    }
    for code, _label in ProtectionReason.choices:
        row[f"anlass_{code}"] = YES if code in reasons else NO
    row.update(
        {
            "aufenthalt_vorher": measure["residence_before"],
            "unterbringung": measure["placement"],
            "widerspruch": {True: YES, False: NO}.get(measure["parents_object"], ""),
            "familiengericht": YES if measure["family_court_on"] else NO,
            "ende": measure["outcome"],
        }
    )
    return row


def _duration_label(days: int | None) -> str | None:
    for low, high, label in DURATIONS:
        if days is not None and low <= days < high:
            return label
    return None


class Tally:
    """The three results tables, counted one measure at a time."""

    def __init__(self) -> None:
        self.initiators = list(ProtectionInitiator.choices)
        self.reasons = list(ProtectionReason.choices)
        self.outcomes = list(ProtectionOutcome.choices)
        self.durations = [label for _low, _high, label in DURATIONS]
        self.by_initiator = [[0, 0, 0] for _ in self.initiators]
        self.by_reason = [[0, 0, 0] for _ in self.reasons]
        self.by_outcome = [[0] * (len(self.durations) + 1) for _ in self.outcomes]
        self.initiator_index = {code: i for i, (code, _label) in enumerate(self.initiators)}
        self.reason_index = {code: i for i, (code, _label) in enumerate(self.reasons)}
        self.outcome_index = {code: i for i, (code, _label) in enumerate(self.outcomes)}

    def add(self, measure: Measure) -> None:
        column = 1 if measure["kind"] in UNACCOMPANIED_KINDS else 0
        if measure["initiator"] in self.initiator_index:
            line = self.by_initiator[self.initiator_index[measure["initiator"]]]
            line[column] += 1
            line[2] += 1
        for code in set(measure["reasons"] or []):
            if code in self.reason_index:
                line = self.by_reason[self.reason_index[code]]
                line[column] += 1
                line[2] += 1
        label = _duration_label(_duration(measure))
        if measure["outcome"] in self.outcome_index and label is not None:
            line = self.by_outcome[self.outcome_index[measure["outcome"]]]
            line[self.durations.index(label)] += 1
            line[-1] += 1

    def tables(self, year: int) -> list[Table]:
        split = ["ohne unbegleitete Einreise", "nach unbegleiteter Einreise", "Insgesamt"]
        return [
            Table(
                title=f"Inobhutnahmen {year} nach Anregenden der Maßnahme",
                row_labels=[label for _code, label in self.initiators],
                column_labels=split,
                cells=self.by_initiator,
            ),
            Table(
                title=f"Inobhutnahmen {year} nach Anlass der Maßnahme (Mehrfachnennungen)",
                row_labels=[label for _code, label in self.reasons],
                column_labels=split,
                cells=self.by_reason,
            ),
            Table(
                title=f"Inobhutnahmen {year} nach Ende der Maßnahme und Dauer",
                row_labels=[label for _code, label in self.outcomes],
                column_labels=[*self.durations, "Insgesamt"],
                cells=self.by_outcome,
            ),
        ]


def _caseworker(measure: Measure) -> str:
    if measure["case__steering_caseworker__username"] is None:
        return "ohne fallsteuernde Fachkraft"
    # As User.get_full_name(), read from the values of the one query.
    full = (
        f"{measure['case__steering_caseworker__first_name']} "
        f"{measure['case__steering_caseworker__last_name']}"
    ).strip()
    return full or measure["case__steering_caseworker__username"]


def _label(measure: Measure) -> str:
    return f"{measure['case__number']} · Inobhutnahme {measure['id']}"


def measure_problems(measure: Measure) -> list[str]:
    """The missing or contradictory items of one ended Inobhutnahme, in German."""
    problems = []
    started_on, ended_on = measure["started_on"], measure["ended_on"]
    if ended_on is not None and ended_on < started_on:
        problems.append(f"Beendet am {ended_on:%d.%m.%Y}, vor dem Beginn am {started_on:%d.%m.%Y}.")
    if measure["parents_object"] and measure["family_court_on"] is None:
        problems.append(
            "Die Sorgeberechtigten widersprechen, das Familiengericht ist nicht angerufen "
            "(§ 42 Abs. 3)."
        )
    reasons = set(measure["reasons"] or [])
    if measure["kind"] in UNACCOMPANIED_KINDS and ProtectionReason.UNACCOMPANIED not in reasons:
        problems.append("Unbegleitete Einreise als Art, aber nicht als Anlass angegeben.")
    has_child = measure["child_id"] is not None
    missing = [
        label
        for label, value in (
            ("Kind", measure["child_id"]),
            ("Geschlecht", measure["child__sex"] if has_child else "x"),
            ("Anregende", measure["initiator"]),
            ("Anlass", reasons),
            ("Aufenthalt vorher", measure["residence_before"]),
            ("Unterbringung", measure["placement"]),
            ("Ende der Maßnahme", measure["outcome"]),
        )
        if not value
    ]
    if missing:
        problems.append("Es fehlt: " + ", ".join(missing) + ".")
    return problems


@dataclass
class CustodyPass:
    """One read of the Inobhutnahmen ended in the year: the delivery rows, and with them the
    tables and the plausibility findings (kjhstat.survey.survey_walk); then the short read of
    the measures still open, for the report only."""

    year: int
    tally: Tally = field(default_factory=Tally)
    found: list[Finding] = field(default_factory=list)

    def rows(self) -> Iterator[dict[str, str]]:
        # One reverse() per kind of link, the id put in (thousands of findings a year).
        correct = reverse("cases:custody_correct", args=[1111111])
        end = reverse("cases:custody_end", args=[1111111])
        measures = custodies_ended_in(self.year).iterator(chunk_size=2000)
        for number, measure in enumerate(measures, 1):
            yield _row(number, self.year, measure)
            self.tally.add(measure)
            problems = measure_problems(measure)
            if problems:
                self.found.append(
                    Finding(
                        record_label=_label(measure),
                        problem=" ".join(problems),
                        fix_url=correct.replace("1111111", str(measure["id"])),
                        caseworker=_caseworker(measure),
                    )
                )
        # Still open at the year's end (or today, in a running year) for longer than usual.
        day = min(datetime.date(self.year, 12, 31), timezone.localdate())
        for measure in custodies_open_on(day).iterator(chunk_size=2000):
            days = (day - measure["started_on"]).days
            if days > OPEN_DAYS_WARNING:
                self.found.append(
                    Finding(
                        record_label=_label(measure),
                        problem=(
                            f"Seit {measure['started_on']:%d.%m.%Y} ({days} Tage) ohne Ende "
                            "erfasst; gezählt wird sie erst im Jahr ihres Endes."
                        ),
                        fix_url=end.replace("1111111", str(measure["id"])),
                        caseworker=_caseworker(measure),
                        severity="warning",
                    )
                )

    def tables(self) -> list[Table]:
        return self.tally.tables(self.year)

    def findings(self) -> list[Finding]:
        return self.found


SURVEY = register(
    survey_of_walk(
        key="42",
        title="Vorläufige Schutzmaßnahmen (§ 42, § 42a)",
        columns=COLUMNS,
        walk=CustodyPass,
    )
)
