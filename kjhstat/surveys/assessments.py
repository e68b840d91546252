"""Gefährdungseinschätzungen nach § 8a Abs. 1 SGB VIII.

One record per child and per completed assessment: a concern about several children of a family
is one `RiskAssessment` each (cases.protection), two assessments of one child in a year are two
records. An assessment counts in the year its result was recorded. The columns map one-to-one to
the questionnaire's parts A–G; codes and derivations are documented in docs/statistics.md.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cases import kjh_items
from cases.kjh_protection_items import (
    CONSEQUENCE_COURT,
    CONSEQUENCE_CUSTODY,
    CONSEQUENCES,
    ENDANGERMENT_KINDS,
    KNOWN_BY_OF_SOURCE,
    RESULT_OF_LEVEL,
    AssessmentResult,
    ConcernKnownBy,
    PriorHelp,
)
from cases.models import RISK_LEVELS_ACKNOWLEDGED, RiskLevel
from cases.selectors_custody import risks_concluded_in
from kjhstat.survey import Column, Finding, Table, register, survey_of_walk

# An assessment here is its items as one dict (cases.selectors_custody.RISK_VALUES).
Assessment = dict[str, Any]
LEVEL_LABELS = dict(RiskLevel.choices)

YES, NO = "1", "2"
YES_NO = {YES: "ja", NO: "nein"}
AGE_GROUPS = [
    (0, 3, "unter 3"),
    (3, 6, "3 bis unter 6"),
    (6, 10, "6 bis unter 10"),
    (10, 14, "10 bis unter 14"),
    (14, 18, "14 bis unter 18"),
]
NO_AGE = "ohne Altersangabe"

COLUMNS = [
    Column("lfd_nr", "A Laufende Nummer des Fragebogens (ohne Personenbezug)"),
    Column("berichtsjahr", "A Berichtsjahr"),
    Column("abschluss_monat", "A Monat des Abschlusses der Gefährdungseinschätzung"),
    Column("geschlecht", "B Geschlecht des Kindes / Jugendlichen", dict(kjh_items.Sex.choices)),
    Column("geburtsmonat", "B Geburtsmonat"),
    Column("geburtsjahr", "B Geburtsjahr"),
    Column("alter", "B Alter bei Abschluss (abgeleitet, Jahre)"),
    Column(
        "auslaendische_herkunft",
        "B Ausländische Herkunft mindestens eines Elternteils",
        dict(kjh_items.YesNoUnknown.choices),
    ),
    Column(
        "deutsch_zuhause",
        "B In der Familie vorrangig gesprochene Sprache Deutsch",
        dict(kjh_items.YesNoUnknown.choices),
    ),
    Column(
        "situation_eltern",
        "B Situation der Eltern / Herkunftsfamilie",
        dict(kjh_items.FamilySituation.choices),
    ),
    Column(
        "aufenthalt",
        "B Aufenthaltsort des Kindes / Jugendlichen",
        dict(kjh_items.ResidenceBefore.choices),
    ),
    Column("bekannt_durch", "C Bekanntwerden durch", dict(ConcernKnownBy.choices)),
    Column("leistung_bei_beginn", "D Inanspruchnahme einer Leistung", dict(PriorHelp.choices)),
    Column("ergebnis", "E Ergebnis der Gefährdungseinschätzung", dict(AssessmentResult.choices)),
    *[
        Column(f"art_{code}", f"F {label} (nur akute / latente Gefährdung)", YES_NO)
        for code, label in ENDANGERMENT_KINDS.values()
    ],
    *[
        Column(f"konsequenz_{code}", f"G {label}", YES_NO)
        for code, label in sorted(
            [*CONSEQUENCES.values(), CONSEQUENCE_COURT, CONSEQUENCE_CUSTODY],
            key=lambda item: int(item[0]),
        )
    ],
]


def _completed_on(assessment: Assessment) -> datetime.date:
    assert assessment["concluded_at"] is not None  # the selector reads completed ones only
    return timezone.localdate(assessment["concluded_at"])


def _age(assessment: Assessment, completed_on: datetime.date) -> int | None:
    return kjh_items.age_on(assessment["child__birth_date"], completed_on)


def _flag(value: bool) -> str:
    return YES if value else NO


def _consequences(assessment: Assessment) -> dict[str, bool]:
    """Code -> given; the family court and the Inobhutnahme read from their own records."""
    given = {code: assessment[name] for name, (code, _label) in CONSEQUENCES.items()}
    given[CONSEQUENCE_COURT[0]] = assessment["family_court_on"] is not None
    given[CONSEQUENCE_CUSTODY[0]] = bool(assessment["kjh_has_custody"])
    return given


def _row(
    number: int, year: int, assessment: Assessment, completed_on: datetime.date
) -> dict[str, str]:
    has_child = assessment["child_id"] is not None
    born = assessment["child__birth_date"]
    age = _age(assessment, completed_on)
    risky = assessment["level"] in RISK_LEVELS_ACKNOWLEDGED
    row = {
        "lfd_nr": str(number),
        "berichtsjahr": str(year),
        "abschluss_monat": str(completed_on.month),
        "geschlecht": assessment["child__sex"] if has_child else "",
        "geburtsmonat": str(born.month) if has_child and born else "",
        "geburtsjahr": str(born.year) if has_child and born else "",
        "alter": "" if age is None else str(age),
        "auslaendische_herkunft": assessment["child__parent_foreign_origin"] if has_child else "",
        "deutsch_zuhause": assessment["child__german_at_home"] if has_child else "",
        "situation_eltern": assessment["family_situation"],
        "aufenthalt": assessment["usual_residence"],
        "bekannt_durch": KNOWN_BY_OF_SOURCE.get(assessment["source"], ""),
        "leistung_bei_beginn": assessment["prior_help"],
        "ergebnis": RESULT_OF_LEVEL.get(assessment["level"], ""),
    }
    for name, (code, _label) in ENDANGERMENT_KINDS.items():
        row[f"art_{code}"] = _flag(assessment[name]) if risky else ""
    for code, given in sorted(_consequences(assessment).items(), key=lambda item: int(item[0])):
        row[f"konsequenz_{code}"] = _flag(given)
    return row


def _age_label(age: int | None) -> str:
    for low, high, label in AGE_GROUPS:
        if age is not None and low <= age < high:
            return label
    return NO_AGE


class Tally:
    """The three results tables, counted one assessment at a time."""

    def __init__(self) -> None:
        self.results = list(AssessmentResult.choices)
        self.ages = [label for _low, _high, label in AGE_GROUPS] + [NO_AGE]
        self.by_age = [[0] * (len(self.results) + 1) for _ in self.ages]
        self.kinds = list(ENDANGERMENT_KINDS.items())
        self.by_kind = [[0, 0, 0] for _ in self.kinds]
        self.sources = list(ConcernKnownBy.choices)
        self.by_source = [[0] for _ in self.sources]
        self.result_index = {code: index for index, (code, _label) in enumerate(self.results)}
        self.source_index = {code: index for index, (code, _label) in enumerate(self.sources)}

    def add(self, assessment: Assessment, completed_on: datetime.date) -> None:
        result = RESULT_OF_LEVEL[assessment["level"]]
        line = self.by_age[self.ages.index(_age_label(_age(assessment, completed_on)))]
        line[self.result_index[result]] += 1
        line[-1] += 1
        if assessment["level"] in RISK_LEVELS_ACKNOWLEDGED:
            column = 0 if result == AssessmentResult.ACUTE else 1
            for index, (name, _item) in enumerate(self.kinds):
                if assessment[name]:
                    self.by_kind[index][column] += 1
                    self.by_kind[index][2] += 1
        code = KNOWN_BY_OF_SOURCE.get(assessment["source"])
        if code is not None:
            self.by_source[self.source_index[code]][0] += 1

    def tables(self, year: int) -> list[Table]:
        total = [sum(column) for column in zip(*self.by_age, strict=True)]
        return [
            Table(
                title=f"Gefährdungseinschätzungen {year} nach Ergebnis und Alter des Kindes",
                row_labels=[*self.ages, "Insgesamt"],
                column_labels=[label for _code, label in self.results] + ["Insgesamt"],
                cells=[*self.by_age, total],
            ),
            Table(
                title=(
                    f"Akute und latente Kindeswohlgefährdungen {year} nach Art der Gefährdung "
                    "(Mehrfachnennungen)"
                ),
                row_labels=[label for _name, (_code, label) in self.kinds],
                column_labels=["akut", "latent", "zusammen"],
                cells=self.by_kind,
            ),
            Table(
                title=f"Gefährdungseinschätzungen {year} nach Bekanntwerden durch",
                row_labels=[label for _code, label in self.sources],
                column_labels=["Anzahl"],
                cells=self.by_source,
            ),
        ]


def _caseworker(assessment: Assessment) -> str:
    if assessment["case__steering_caseworker__username"] is None:
        return "ohne fallsteuernde Fachkraft"
    # As User.get_full_name(), read from the values of the one query.
    full = (
        f"{assessment['case__steering_caseworker__first_name']} "
        f"{assessment['case__steering_caseworker__last_name']}"
    ).strip()
    return full or assessment["case__steering_caseworker__username"]


def assessment_problems(assessment: Assessment) -> list[str]:
    """The missing or contradictory items of one completed assessment, in German."""
    problems = []
    has_child = assessment["child_id"] is not None
    risky = assessment["level"] in RISK_LEVELS_ACKNOWLEDGED
    kinds = [name for name in ENDANGERMENT_KINDS if assessment[name]]
    level_label = LEVEL_LABELS.get(assessment["level"], assessment["level"])
    if not has_child:
        problems.append("Der Einschätzung ist kein Kind zugeordnet.")
    if risky and not kinds:
        problems.append(f"Ergebnis „{level_label}“, aber keine Art der Gefährdung.")
    if not risky and kinds:
        problems.append(f"Art der Gefährdung angegeben, aber Ergebnis „{level_label}“.")
    missing = [
        label
        for label, value in (
            ("Geschlecht", assessment["child__sex"] if has_child else "x"),
            (
                "Herkunft der Eltern",
                assessment["child__parent_foreign_origin"] if has_child else "x",
            ),
            ("Sprache in der Familie", assessment["child__german_at_home"] if has_child else "x"),
            ("Situation der Eltern", assessment["family_situation"]),
            ("Aufenthalt des Kindes", assessment["usual_residence"]),
            ("Leistung bei Beginn", assessment["prior_help"]),
            ("Bekanntwerden durch", KNOWN_BY_OF_SOURCE.get(assessment["source"], "")),
        )
        if not value
    ]
    if missing:
        problems.append("Es fehlt: " + ", ".join(missing) + ".")
    consequences = _consequences(assessment)
    none_code = CONSEQUENCES["consequence_none"][0]
    if not any(consequences.values()):
        problems.append("Die Konsequenz der Einschätzung fehlt.")
    elif consequences[none_code] and sum(consequences.values()) > 1:
        problems.append("„keine weitere Maßnahme“, aber eine Maßnahme ist erfasst.")
    return problems


@dataclass
class AssessmentPass:
    """One read of the year's completed assessments: the delivery rows, and with them the
    tables and the plausibility findings (kjhstat.survey.survey_walk)."""

    year: int
    tally: Tally = field(default_factory=Tally)
    found: list[Finding] = field(default_factory=list)

    def rows(self) -> Iterator[dict[str, str]]:
        # One reverse() for all records, the id put in (thousands of findings a year).
        pattern = reverse("cases:risk_items", args=[1111111])
        assessments = risks_concluded_in(self.year).iterator(chunk_size=2000)
        for number, assessment in enumerate(assessments, 1):
            completed_on = _completed_on(assessment)
            yield _row(number, self.year, assessment, completed_on)
            self.tally.add(assessment, completed_on)
            problems = assessment_problems(assessment)
            if problems:
                self.found.append(
                    Finding(
                        record_label=(
                            f"{assessment['case__number']} · § 8a-Einschätzung {assessment['id']}"
                        ),
                        problem=" ".join(problems),
                        fix_url=pattern.replace("1111111", str(assessment["id"])),
                        caseworker=_caseworker(assessment),
                    )
                )

    def tables(self) -> list[Table]:
        return self.tally.tables(self.year)

    def findings(self) -> list[Finding]:
        return self.found


SURVEY = register(
    survey_of_walk(
        key="8a",
        title="Gefährdungseinschätzungen nach § 8a Abs. 1",
        columns=COLUMNS,
        walk=AssessmentPass,
    )
)
