"""Teil I: erzieherische Hilfen, Eingliederungshilfe (§ 35a), Hilfe für junge Volljährige (§ 41).

One record per help of a Teil I help type that ran in the reporting year: ended in the year
(status 1) or running on 31 December (status 2); whether it began in the year is an item of its
own. A family-oriented help (§ 31) is one record counting all young people of the case. The
columns, codes and derivations are documented in docs/statistics.md.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple

from django.urls import reverse

from cases import kjh_items
from cases.kjh_items import HelpKind
from cases.models import PlacementLocation
from cases.selectors_kjh import (
    children_of_cases,
    help_items_of_year,
    latest_assignment_providers,
)
from kjhstat.survey import Column, Finding, Table, register, survey_of_walk

YES, NO = "1", "2"
STATUS = {"1": "beendet im Berichtsjahr", "2": "andauernd am 31.12."}
PLACE = {"1": "innerhalb des Zuständigkeitsbereichs (Stadt)", "2": "außerhalb"}
PROVIDER = {"1": "öffentlicher Träger", "2": "freier Träger"}
AGE_GROUPS = [
    (0, 3, "unter 3"),
    (3, 6, "3 bis unter 6"),
    (6, 9, "6 bis unter 9"),
    (9, 12, "9 bis unter 12"),
    (12, 15, "12 bis unter 15"),
    (15, 18, "15 bis unter 18"),
    (18, 21, "18 bis unter 21"),
    (21, 27, "21 bis unter 27"),
]
YES_NO = dict(kjh_items.YesNoUnknown.choices)

COLUMNS = [
    Column("kennnummer", "Kennnummer der Hilfe (interne Nummer, ohne Personenbezug)"),
    Column("berichtsjahr", "Berichtsjahr"),
    Column("art_der_hilfe", "Art der Hilfe", dict(HelpKind.choices)),
    Column("status", "Stand der Hilfe", STATUS),
    Column("begonnen_im_jahr", "Hilfe im Berichtsjahr begonnen", {YES: "ja", NO: "nein"}),
    Column("beginn_monat", "Beginn der Hilfe: Monat"),
    Column("beginn_jahr", "Beginn der Hilfe: Jahr"),
    Column("ende_monat", "Ende der Hilfe: Monat (nur beendete Hilfen)"),
    Column("ende_jahr", "Ende der Hilfe: Jahr (nur beendete Hilfen)"),
    Column("geschlecht", "Geschlecht des jungen Menschen", dict(kjh_items.Sex.choices)),
    Column("geburtsmonat", "Geburtsmonat des jungen Menschen"),
    Column("geburtsjahr", "Geburtsjahr des jungen Menschen"),
    Column("anzahl_junge_menschen", "Zahl der jungen Menschen (Familienhilfe: alle Kinder)"),
    Column(
        "aufenthalt_vorher", "Aufenthaltsort vor der Hilfe", dict(kjh_items.ResidenceBefore.choices)
    ),
    Column(
        "herkunftsfamilie",
        "Situation der Herkunftsfamilie",
        dict(kjh_items.FamilySituation.choices),
    ),
    Column("transferleistungen", "Transferleistungen (SGB II, SGB XII, Kinderzuschlag)", YES_NO),
    Column("auslaendische_herkunft", "Ausländische Herkunft mind. eines Elternteils", YES_NO),
    Column("deutsch_zuhause", "In der Familie vorrangig gesprochene Sprache Deutsch", YES_NO),
    Column("anregung", "Anregung der Hilfe durch", dict(kjh_items.SuggestedBy.choices)),
    Column("grund_1", "Hauptgrund der Hilfegewährung", dict(kjh_items.HelpReason.choices)),
    Column("grund_2", "Zweiter Grund", dict(kjh_items.HelpReason.choices)),
    Column("grund_3", "Dritter Grund", dict(kjh_items.HelpReason.choices)),
    Column("vorherige_hilfe", "Vorher bereits Hilfe zur Erziehung", YES_NO),
    Column("ort_der_hilfe", "Unterbringung innerhalb / außerhalb (nur Unterbringungen)", PLACE),
    Column("traeger", "Art des durchführenden Trägers", PROVIDER),
    Column("beendigungsgrund", "Grund der Beendigung", dict(kjh_items.HelpEndReason.choices)),
    Column("beendet_planmaessig", "Beendet gemäß Hilfeplan", {YES: "ja", NO: "nein"}),
]


class Young(NamedTuple):
    """The items of a young person a record reads (a help's young person or a child)."""

    birth_date: datetime.date | None
    sex: str
    parent_foreign_origin: str
    german_at_home: str


@dataclass(frozen=True, slots=True)
class HelpRecord:
    """One help as the survey sees it, with what the rows, tables and checks need."""

    help: dict[str, Any]  # the help's items (cases.selectors_kjh.HELP_VALUES)
    has_assignment: bool
    provider_public: bool | None  # of the latest assignment's provider
    year: int
    kind: str
    ended: bool  # ended in the reporting year
    reference_day: datetime.date  # end of the help in the year, or 31 December
    young_people: list[Young]  # counted persons: the young person, or all children (family)
    # Whose items the record carries: the chosen young person; for a family help without one
    # the youngest child.
    person: Young | None

    @property
    def began(self) -> bool:
        return self.help["starts_on"].year == self.year

    @property
    def is_family(self) -> bool:
        return self.kind in kjh_items.FAMILY_KINDS


def _young_person(help_: dict[str, Any]) -> Young:
    return Young(
        help_["young_person__birth_date"],
        help_["young_person__sex"],
        help_["young_person__parent_foreign_origin"],
        help_["young_person__german_at_home"],
    )


CHUNK = 2000  # helps read per round trip; their families' children are read with them


def records(year: int) -> Iterator[HelpRecord]:
    last = datetime.date(year, 12, 31)
    helps = help_items_of_year(year=year, type_codes=kjh_items.HELP_KIND_BY_TYPE_CODE).iterator(
        chunk_size=CHUNK
    )
    while chunk := list(islice(helps, CHUNK)):
        # The providers of the chunk's helps, and the children of its family helps (oldest
        # first): one query each.
        families = {
            help_["case_id"]
            for help_ in chunk
            if kjh_items.help_kind_of(help_["help_type__code"]) in kjh_items.FAMILY_KINDS
        }
        providers = latest_assignment_providers([help_["id"] for help_ in chunk])
        children: dict[int, list[Young]] = {}
        if families:
            for child in children_of_cases(families):
                children.setdefault(child["case_id"], []).append(
                    Young(
                        child["birth_date"],
                        child["sex"],
                        child["parent_foreign_origin"],
                        child["german_at_home"],
                    )
                )
        for help_ in chunk:
            kind = kjh_items.help_kind_of(help_["help_type__code"])
            ended_on = help_["ended_on"]
            ended = ended_on is not None and ended_on <= last
            day = ended_on if ended and ended_on else last
            chosen = _young_person(help_) if help_["young_person_id"] is not None else None
            if kind in kjh_items.FAMILY_KINDS:
                people = [
                    child
                    for child in children.get(help_["case_id"], [])
                    if child.birth_date
                    and child.birth_date <= day
                    and (kjh_items.age_on(child.birth_date, day) or 0) < 27
                ]
                person = chosen if chosen is not None else (people[-1] if people else None)
            else:
                people = [chosen] if chosen is not None else []
                person = chosen
            yield HelpRecord(
                help_,
                help_["id"] in providers,
                providers.get(help_["id"]),
                year,
                kind,
                ended,
                day,
                people,
                person,
            )


def _placement(record: HelpRecord) -> str:
    location = record.help["placement_location"]
    if record.kind not in kjh_items.PLACEMENT_KINDS or not location:
        return ""
    return "2" if location == PlacementLocation.OUTSIDE else "1"


def _provider(record: HelpRecord) -> str:
    # Without an assignment the office carries the help out itself: a public provider.
    if not record.has_assignment:
        return "1"
    return "1" if record.provider_public else "2"


def row(record: HelpRecord) -> dict[str, str]:
    help_, person = record.help, record.person
    born = person.birth_date if person else None
    ended_on = help_["ended_on"] if record.ended else None
    starts_on = help_["starts_on"]
    return {
        "kennnummer": str(help_["id"]),
        "berichtsjahr": str(record.year),
        "art_der_hilfe": record.kind,
        "status": "1" if record.ended else "2",
        "begonnen_im_jahr": YES if record.began else NO,
        "beginn_monat": f"{starts_on.month:02d}",
        "beginn_jahr": str(starts_on.year),
        "ende_monat": f"{ended_on.month:02d}" if ended_on else "",
        "ende_jahr": str(ended_on.year) if ended_on else "",
        "geschlecht": person.sex if person else "",
        "geburtsmonat": f"{born.month:02d}" if born else "",
        "geburtsjahr": str(born.year) if born else "",
        "anzahl_junge_menschen": str(len(record.young_people)),
        "aufenthalt_vorher": help_["residence_before"],
        "herkunftsfamilie": help_["family_situation"],
        "transferleistungen": help_["transfer_payments"],
        "auslaendische_herkunft": person.parent_foreign_origin if person else "",
        "deutsch_zuhause": person.german_at_home if person else "",
        "anregung": help_["suggested_by"],
        "grund_1": help_["reason_main"],
        "grund_2": help_["reason_second"],
        "grund_3": help_["reason_third"],
        "vorherige_hilfe": help_["previous_help"],
        "ort_der_hilfe": _placement(record),
        "traeger": _provider(record),
        "beendigungsgrund": help_["end_reason"] if record.ended else "",
        "beendet_planmaessig": (
            (YES if help_["end_reason"] == kjh_items.HelpEndReason.AS_PLANNED else NO)
            if record.ended and help_["end_reason"]
            else ""
        ),
    }


def age_group(age: int | None) -> int:
    """Column index of the age group; the last column is "unbekannt"."""
    if age is not None:
        for index, (low, high, _label) in enumerate(AGE_GROUPS):
            if low <= age < high:
                return index
    return len(AGE_GROUPS)


SEX_COLUMNS = [*kjh_items.Sex.values, ""]
END_REASONS = [*kjh_items.HelpEndReason.values, ""]


class Tally:
    """The four results tables, counted one record at a time."""

    def __init__(self) -> None:
        kinds = list(HelpKind.values)
        self.index = {kind: position for position, kind in enumerate(kinds)}
        self.overview = [[0] * 4 for _ in kinds]
        self.by_age = [[0] * (len(AGE_GROUPS) + 1) for _ in kinds]
        self.by_sex = [[0] * len(SEX_COLUMNS) for _ in kinds]
        self.by_end = [[0] * len(END_REASONS) for _ in kinds]

    def add(self, record: HelpRecord) -> None:
        line = self.index[record.kind]
        overview = self.overview[line]
        overview[0] += record.began
        overview[1] += record.ended
        overview[2] += not record.ended
        overview[3] += len(record.young_people) if record.is_family else 1
        people: list[Young | None] = (
            list(record.young_people) if record.is_family else [record.person]
        )
        for person in people:
            born = person.birth_date if person else None
            self.by_age[line][age_group(kjh_items.age_on(born, record.reference_day))] += 1
            self.by_sex[line][SEX_COLUMNS.index(person.sex if person else "")] += 1
        if record.ended:
            self.by_end[line][END_REASONS.index(record.help["end_reason"])] += 1

    def tables(self) -> list[Table]:
        labels = [str(label) for label in HelpKind.labels]
        return [
            Table(
                "Hilfen nach Art der Hilfe",
                labels,
                ["begonnen", "beendet", "andauernd am 31.12.", "junge Menschen"],
                self.overview,
            ),
            Table(
                "Junge Menschen nach Art der Hilfe und Alter (am Ende der Hilfe bzw. am 31.12.)",
                labels,
                [label for _low, _high, label in AGE_GROUPS] + ["unbekannt"],
                self.by_age,
            ),
            Table(
                "Junge Menschen nach Art der Hilfe und Geschlecht",
                labels,
                [str(label) for label in kjh_items.Sex.labels] + ["nicht angegeben"],
                self.by_sex,
            ),
            Table(
                "Beendete Hilfen nach Grund der Beendigung",
                labels,
                [str(label) for label in kjh_items.HelpEndReason.labels] + ["nicht angegeben"],
                self.by_end,
            ),
        ]


MISSING_HELP = {
    "residence_before": "der Aufenthaltsort vor der Hilfe",
    "family_situation": "die Situation der Herkunftsfamilie",
    "transfer_payments": "die Angabe zu Transferleistungen",
    "suggested_by": "wer die Hilfe angeregt hat",
    "reason_main": "der Hauptgrund der Hilfe",
    "previous_help": "die Angabe zu einer vorherigen Hilfe",
}
MISSING_PERSON = {
    "sex": "das Geschlecht des jungen Menschen",
    "parent_foreign_origin": "die Angabe zur ausländischen Herkunft der Eltern",
    "german_at_home": "die in der Familie gesprochene Sprache",
}


def problems(record: HelpRecord) -> list[str]:
    """Every missing or contradictory item of one record, as German sentences."""
    help_, person = record.help, record.person
    found: list[str] = []
    if help_["ended_on"] is not None and help_["ended_on"] < help_["starts_on"]:
        found.append("Das Ende der Hilfe liegt vor ihrem Beginn.")
    if record.is_family and not record.young_people:
        found.append("Familienhilfe ohne Kind im Fall: Bitte erfassen Sie die Kinder.")
    if not record.is_family and person is None:
        found.append("Es ist nicht angegeben, für welchen jungen Menschen die Hilfe ist.")
    if person is not None:
        if person.birth_date is None:
            found.append("Das Geburtsdatum des jungen Menschen fehlt.")
        else:
            message = kjh_items.help_kind_age_error(
                kind=record.kind, age=kjh_items.age_on(person.birth_date, help_["starts_on"])
            )
            if message:
                found.append(message)
        missing = [text for name, text in MISSING_PERSON.items() if not getattr(person, name)]
        if missing:
            found.append("Es fehlt " + ", ".join(missing) + ".")
    missing = [text for name, text in MISSING_HELP.items() if not help_[name]]
    if missing:
        found.append("Es fehlt " + ", ".join(missing) + ".")
    if help_["reason_second"] and help_["reason_second"] == help_["reason_main"]:
        found.append("Der zweite Grund ist derselbe wie der Hauptgrund.")
    if record.kind in kjh_items.PLACEMENT_KINDS and not help_["placement_location"]:
        found.append("Unterbringung ohne Ort der Unterbringung.")
    if record.ended and not help_["end_reason"]:
        found.append("Die Hilfe ist beendet, aber der Grund der Beendigung fehlt.")
    return found


def _caseworker(help_: dict[str, Any]) -> str:
    if help_["case__steering_caseworker__username"] is None:
        return "–"
    # As User.get_full_name(), read from the values of the one query.
    full = (
        f"{help_['case__steering_caseworker__first_name']} "
        f"{help_['case__steering_caseworker__last_name']}"
    ).strip()
    return full or help_["case__steering_caseworker__username"]


@dataclass
class TeilOnePass:
    """One read of the year's helps: the delivery rows, and with them the tables and the
    plausibility findings (kjhstat.survey.survey_walk)."""

    year: int
    tally: Tally = field(default_factory=Tally)
    found: list[Finding] = field(default_factory=list)

    def rows(self) -> Iterator[dict[str, str]]:
        # One reverse() for all records: with tens of thousands of findings it was half the time.
        pattern = reverse("kjhstat:help_items", args=[1111111, 2222222])
        for record in records(self.year):
            yield row(record)
            self.tally.add(record)
            problems_found = problems(record)
            if not problems_found:
                continue
            help_ = record.help
            name = _caseworker(help_)
            url = pattern.replace("1111111", str(help_["case_id"])).replace(
                "2222222", str(help_["id"])
            )
            label = (
                f"Fall {help_['case__number']}, Hilfe {help_['id']} "
                f"({help_['help_type__paragraph']})"
            )
            for problem in problems_found:
                self.found.append(Finding(label, problem, url, name))

    def tables(self) -> list[Table]:
        return self.tally.tables()

    def findings(self) -> list[Finding]:
        return self.found


SURVEY = register(
    survey_of_walk(
        key="teil1",
        title="Teil I: Erzieherische Hilfen, Eingliederungshilfe (§ 35a), "
        "Hilfe für junge Volljährige (§ 41)",
        columns=COLUMNS,
        walk=TeilOnePass,
    )
)
