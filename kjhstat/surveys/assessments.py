"""Gefährdungseinschätzungen nach § 8a Abs. 1 SGB VIII.

One record per child and per completed assessment: a concern about several children of a family
is one `RiskAssessment` each (cases.protection), two assessments of one child in a year are two
records. An assessment counts in the year its result was recorded. The columns map one-to-one to
the questionnaire's parts A–G; codes and derivations are documented in docs/statistics.md.
"""

import datetime
from collections.abc import Iterable, Iterator

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
from cases.models import RISK_LEVELS_ACKNOWLEDGED, RiskAssessment
from cases.selectors_custody import risks_concluded_in
from kjhstat.survey import Column, Finding, Survey, Table, register

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


def _completed_on(assessment: RiskAssessment) -> datetime.date:
    assert assessment.concluded_at is not None  # the selector reads completed ones only
    return timezone.localdate(assessment.concluded_at)


def _age(assessment: RiskAssessment) -> int | None:
    child = assessment.child
    return kjh_items.age_on(child.birth_date if child else None, _completed_on(assessment))


def _flag(value: bool) -> str:
    return YES if value else NO


def _consequences(assessment: RiskAssessment) -> dict[str, bool]:
    """Code -> given; the family court and the Inobhutnahme read from their own records."""
    given = {code: getattr(assessment, name) for name, (code, _label) in CONSEQUENCES.items()}
    given[CONSEQUENCE_COURT[0]] = assessment.family_court_on is not None
    given[CONSEQUENCE_CUSTODY[0]] = bool(list(assessment.protection_measures.all()))
    return given


def _row(number: int, year: int, assessment: RiskAssessment) -> dict[str, str]:
    child = assessment.child
    age = _age(assessment)
    risky = assessment.level in RISK_LEVELS_ACKNOWLEDGED
    row = {
        "lfd_nr": str(number),
        "berichtsjahr": str(year),
        "abschluss_monat": str(_completed_on(assessment).month),
        "geschlecht": child.sex if child else "",
        "geburtsmonat": str(child.birth_date.month) if child and child.birth_date else "",
        "geburtsjahr": str(child.birth_date.year) if child and child.birth_date else "",
        "alter": "" if age is None else str(age),
        "auslaendische_herkunft": child.parent_foreign_origin if child else "",
        "deutsch_zuhause": child.german_at_home if child else "",
        "situation_eltern": assessment.family_situation,
        "aufenthalt": assessment.usual_residence,
        "bekannt_durch": KNOWN_BY_OF_SOURCE.get(assessment.source, ""),
        "leistung_bei_beginn": assessment.prior_help,
        "ergebnis": RESULT_OF_LEVEL.get(assessment.level, ""),
    }
    for name, (code, _label) in ENDANGERMENT_KINDS.items():
        row[f"art_{code}"] = _flag(getattr(assessment, name)) if risky else ""
    for code, given in sorted(_consequences(assessment).items(), key=lambda item: int(item[0])):
        row[f"konsequenz_{code}"] = _flag(given)
    return row


def rows(year: int) -> Iterator[dict[str, str]]:
    for number, assessment in enumerate(risks_concluded_in(year).iterator(chunk_size=2000), 1):
        yield _row(number, year, assessment)


def _age_label(age: int | None) -> str:
    for low, high, label in AGE_GROUPS:
        if age is not None and low <= age < high:
            return label
    return NO_AGE


def tables(year: int) -> Iterable[Table]:
    results = list(AssessmentResult.choices)
    ages = [label for _low, _high, label in AGE_GROUPS] + [NO_AGE]
    by_age = [[0] * (len(results) + 1) for _ in ages]
    kinds = list(ENDANGERMENT_KINDS.items())
    by_kind = [[0, 0, 0] for _ in kinds]
    sources = list(ConcernKnownBy.choices)
    by_source = [[0] for _ in sources]
    result_index = {code: index for index, (code, _label) in enumerate(results)}
    source_index = {code: index for index, (code, _label) in enumerate(sources)}
    for assessment in risks_concluded_in(year).iterator(chunk_size=2000):
        result = RESULT_OF_LEVEL[assessment.level]
        line = by_age[ages.index(_age_label(_age(assessment)))]
        line[result_index[result]] += 1
        line[-1] += 1
        if assessment.level in RISK_LEVELS_ACKNOWLEDGED:
            column = 0 if result == AssessmentResult.ACUTE else 1
            for index, (name, _item) in enumerate(kinds):
                if getattr(assessment, name):
                    by_kind[index][column] += 1
                    by_kind[index][2] += 1
        code = KNOWN_BY_OF_SOURCE.get(assessment.source)
        if code is not None:
            by_source[source_index[code]][0] += 1
    total = [sum(column) for column in zip(*by_age, strict=True)]
    return [
        Table(
            title=f"Gefährdungseinschätzungen {year} nach Ergebnis und Alter des Kindes",
            row_labels=[*ages, "Insgesamt"],
            column_labels=[label for _code, label in results] + ["Insgesamt"],
            cells=[*by_age, total],
        ),
        Table(
            title=(
                f"Akute und latente Kindeswohlgefährdungen {year} nach Art der Gefährdung "
                "(Mehrfachnennungen)"
            ),
            row_labels=[label for _name, (_code, label) in kinds],
            column_labels=["akut", "latent", "zusammen"],
            cells=by_kind,
        ),
        Table(
            title=f"Gefährdungseinschätzungen {year} nach Bekanntwerden durch",
            row_labels=[label for _code, label in sources],
            column_labels=["Anzahl"],
            cells=by_source,
        ),
    ]


def _caseworker(assessment: RiskAssessment) -> str:
    user = assessment.case.steering_caseworker
    if user is None:
        return "ohne fallsteuernde Fachkraft"
    return user.get_full_name() or user.username


def assessment_problems(assessment: RiskAssessment) -> list[str]:
    """The missing or contradictory items of one completed assessment, in German."""
    problems = []
    child = assessment.child
    risky = assessment.level in RISK_LEVELS_ACKNOWLEDGED
    kinds = [name for name in ENDANGERMENT_KINDS if getattr(assessment, name)]
    if child is None:
        problems.append("Der Einschätzung ist kein Kind zugeordnet.")
    if risky and not kinds:
        problems.append(
            f"Ergebnis „{assessment.get_level_display()}“, aber keine Art der Gefährdung."
        )
    if not risky and kinds:
        problems.append(
            f"Art der Gefährdung angegeben, aber Ergebnis „{assessment.get_level_display()}“."
        )
    missing = [
        label
        for label, value in (
            ("Geschlecht", child.sex if child else "x"),
            ("Herkunft der Eltern", child.parent_foreign_origin if child else "x"),
            ("Sprache in der Familie", child.german_at_home if child else "x"),
            ("Situation der Eltern", assessment.family_situation),
            ("Aufenthalt des Kindes", assessment.usual_residence),
            ("Leistung bei Beginn", assessment.prior_help),
            ("Bekanntwerden durch", KNOWN_BY_OF_SOURCE.get(assessment.source, "")),
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


def plausibility(year: int) -> Iterable[Finding]:
    for assessment in risks_concluded_in(year).iterator(chunk_size=2000):
        problems = assessment_problems(assessment)
        if problems:
            yield Finding(
                record_label=f"{assessment.case.number} · § 8a-Einschätzung {assessment.pk}",
                problem=" ".join(problems),
                fix_url=reverse("cases:risk_items", args=[assessment.pk]),
                caseworker=_caseworker(assessment),
            )


SURVEY = register(
    Survey(
        key="8a",
        title="Gefährdungseinschätzungen nach § 8a Abs. 1",
        columns=COLUMNS,
        rows=rows,
        tables=tables,
        plausibility=plausibility,
    )
)
