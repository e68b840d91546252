"""The items of the KJH statistics Teil I (erzieherische Hilfen, § 35a, § 41) as casework fields.

The questionnaire of the Statistisches Bundesamt ("Erzieherische Hilfe, Eingliederungshilfe für
seelisch behinderte junge Menschen, Hilfe für junge Volljährige") asks these items once per help;
we ask them where the caseworker learns them (intake: the person; help decision: the family's
situation and the reasons; ending: the reason for ending) and store the questionnaire's codes
directly, so the delivery file needs no second translation. The code lists and their wording are
documented in docs/statistics.md. Every item may stay empty while unknown; where the
questionnaire allows it, "unbekannt" (9) is an answer of its own.
"""

import datetime

from django.db import models

UNKNOWN = "9"


class Sex(models.TextChoices):
    MALE = "1", "männlich"
    FEMALE = "2", "weiblich"
    DIVERSE = "3", "divers"
    NOT_STATED = "4", "ohne Angabe (im Geburtenregister)"


class YesNoUnknown(models.TextChoices):
    YES = "1", "ja"
    NO = "2", "nein"
    UNKNOWN = "9", "unbekannt"


class ResidenceBefore(models.TextChoices):
    """Aufenthaltsort des jungen Menschen vor Beginn der Hilfe."""

    PARENTS = "1", "bei den Eltern"
    PARENT_WITH_PARTNER = "2", "bei einem Elternteil mit Stiefelternteil oder Partner(in)"
    SINGLE_PARENT = "3", "bei einem alleinerziehenden Elternteil"
    RELATIVES = "4", "bei Großeltern / Verwandten"
    FOSTER_FAMILY = "5", "in einer Pflegefamilie"
    INSTITUTION = "6", "in einem Heim / einer betreuten Wohnform"
    PSYCHIATRY = "7", "in der Psychiatrie / einem Krankenhaus"
    OWN_FLAT = "8", "in einer eigenen Wohnung"
    NO_HOME = "10", "ohne feste Unterkunft"
    ELSEWHERE = "11", "an einem sonstigen Ort"
    UNKNOWN = "9", "unbekannt"


class FamilySituation(models.TextChoices):
    """Situation in der Herkunftsfamilie."""

    TOGETHER = "1", "Eltern leben zusammen"
    SINGLE = "2", "Elternteil lebt allein ohne (Ehe-)Partner(in)"
    NEW_PARTNER = "3", "Elternteil lebt mit neuer Partnerin / neuem Partner"
    DECEASED = "4", "Eltern / Elternteil verstorben"
    UNKNOWN = "9", "unbekannt"


class SuggestedBy(models.TextChoices):
    """Anregende Institution oder Person."""

    YOUNG_PERSON = "1", "junger Mensch selbst"
    PARENTS = "2", "Eltern / Personensorgeberechtigte"
    SCHOOL = "3", "Schule / Kindertageseinrichtung"
    SOCIAL_SERVICES = "4", "Soziale Dienste / Jugendamt"
    COURT = "5", "Gericht / Staatsanwaltschaft / Polizei"
    HEALTH = "6", "Ärztin/Arzt / Klinik / Gesundheitsamt"
    FORMER_PROVIDER = "7", "ehemalige Einrichtung / Dienst / Pflegeperson"
    OTHER = "8", "Sonstige"


class HelpReason(models.TextChoices):
    """Gründe für die Hilfegewährung (Hauptgrund und bis zu zwei weitere)."""

    UNCARED_FOR = "1", "Unversorgtheit des jungen Menschen"
    INSUFFICIENT_CARE = (
        "2",
        ("Unzureichende Förderung / Betreuung / Versorgung des jungen Menschen in der Familie"),
    )
    ENDANGERMENT = "3", "Gefährdung des Kindeswohls"
    PARENTING = "4", "Eingeschränkte Erziehungskompetenz der Eltern / Personensorgeberechtigten"
    PARENTS_PROBLEMS = "5", "Belastungen des jungen Menschen durch Problemlagen der Eltern"
    FAMILY_CONFLICTS = "6", "Belastungen des jungen Menschen durch familiäre Konflikte"
    BEHAVIOUR = "7", "Auffälligkeiten im sozialen Verhalten (dissoziales Verhalten)"
    DEVELOPMENT = "8", "Entwicklungsauffälligkeiten / seelische Probleme des jungen Menschen"
    SCHOOL_WORK = "9", "Schulische / berufliche Probleme des jungen Menschen"
    TAKEOVER = "10", "Übernahme von einem anderen Jugendamt wegen Zuständigkeitswechsel"
    UNACCOMPANIED = "11", "Unbegleitete Einreise aus dem Ausland"


class HelpEndReason(models.TextChoices):
    """Gründe für die Beendigung der Hilfe."""

    AS_PLANNED = "1", "Beendigung gemäß Hilfeplan / den Hilfeplanzielen"
    BY_PARENTS = (
        "2",
        (
            "Beendigung abweichend vom Hilfeplan durch die Sorgeberechtigten / "
            "den jungen Volljährigen"
        ),
    )
    BY_YOUNG_PERSON = (
        "3",
        "Beendigung abweichend vom Hilfeplan durch den minderjährigen jungen Menschen",
    )
    BY_PROVIDER = "4", "Beendigung abweichend vom Hilfeplan durch die Einrichtung / den Dienst"
    BY_OFFICE = "5", "Beendigung abweichend vom Hilfeplan durch das Jugendamt"
    ADOPTION = "6", "Adoptionspflege / Adoption"
    TRANSFER = "7", "Abgabe an ein anderes Jugendamt wegen Zuständigkeitswechsel"
    OTHER = "8", "Sonstige Gründe"


class HelpKind(models.TextChoices):
    """Art der Hilfe, as the questionnaire divides it (§ 35a by setting, § 41 by type)."""

    FLEXIBLE = "1", "§ 27 Abs. 2 SGB VIII (ohne Verbindung zu §§ 28–35)"
    COUNSELLING = "2", "§ 28 Erziehungsberatung"
    GROUP_WORK = "3", "§ 29 Soziale Gruppenarbeit"
    SUPPORT = "4", "§ 30 Erziehungsbeistand, Betreuungshelfer"
    FAMILY = "5", "§ 31 Sozialpädagogische Familienhilfe (familienorientiert)"
    DAY_GROUP = "6", "§ 32 Erziehung in einer Tagesgruppe"
    FOSTER_CARE = "7", "§ 33 Vollzeitpflege"
    RESIDENTIAL = "8", "§ 34 Heimerziehung, sonstige betreute Wohnform"
    INTENSIVE = "9", "§ 35 Intensive sozialpädagogische Einzelbetreuung"
    INTEGRATION_AMBULANT = "10", "§ 35a ambulant / teilstationär"
    INTEGRATION_RESIDENTIAL = "11", "§ 35a stationär (Einrichtung, Pflegefamilie)"
    YOUNG_ADULT_AMBULANT = "12", "§ 41 Hilfe für junge Volljährige, ambulant"
    YOUNG_ADULT_RESIDENTIAL = "13", "§ 41 Hilfe für junge Volljährige, stationär"


# Our help catalogue (cases/catalogue.py codes) -> Art der Hilfe. Help types not listed here (the
# office's own Sozialraum offers, the Inobhutnahme) are not part of Teil I.
HELP_KIND_BY_TYPE_CODE: dict[str, str] = {
    "27-2": HelpKind.FLEXIBLE,
    "28": HelpKind.COUNSELLING,
    "29": HelpKind.GROUP_WORK,
    "30": HelpKind.SUPPORT,
    "31": HelpKind.FAMILY,
    "32": HelpKind.DAY_GROUP,
    "33": HelpKind.FOSTER_CARE,
    "34": HelpKind.RESIDENTIAL,
    "35": HelpKind.INTENSIVE,
    "35a-amb": HelpKind.INTEGRATION_AMBULANT,
    "35a-stat": HelpKind.INTEGRATION_RESIDENTIAL,
    "41": HelpKind.YOUNG_ADULT_AMBULANT,
    "41-stat": HelpKind.YOUNG_ADULT_RESIDENTIAL,
}
FAMILY_KINDS = {HelpKind.FAMILY}  # family-oriented: one record counting all young people
YOUNG_ADULT_KINDS = {HelpKind.YOUNG_ADULT_AMBULANT, HelpKind.YOUNG_ADULT_RESIDENTIAL}
PLACEMENT_KINDS = {
    HelpKind.FOSTER_CARE,
    HelpKind.RESIDENTIAL,
    HelpKind.INTEGRATION_RESIDENTIAL,
    HelpKind.YOUNG_ADULT_RESIDENTIAL,
}


def help_kind_of(help_type_code: str) -> str:
    """The Art der Hilfe of a help type; "" when the help type is not part of Teil I."""
    return HELP_KIND_BY_TYPE_CODE.get(help_type_code, "")


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def help_kind_age_error(*, kind: str, age: int | None) -> str:
    """Why a help of this kind does not fit a young person of this age (at the help's start);
    "" when it fits or the age is unknown. § 41 is for 18 to 26; a young adult's help under
    §§ 27–35a is given as § 41."""
    if age is None or not kind:
        return ""
    if kind in YOUNG_ADULT_KINDS and age < 18:
        return (
            f"Hilfe für junge Volljährige (§ 41 SGB VIII) ist erst ab 18 Jahren möglich; "
            f"der junge Mensch ist bei Beginn {age} Jahre alt."
        )
    if kind in YOUNG_ADULT_KINDS and age >= 27:
        return (
            f"Hilfe für junge Volljährige (§ 41 SGB VIII) ist nur bis zum 27. Geburtstag möglich; "
            f"der junge Mensch ist bei Beginn {age} Jahre alt."
        )
    if kind not in YOUNG_ADULT_KINDS and kind not in FAMILY_KINDS and age >= 18:
        return (
            f"Der junge Mensch ist bei Beginn {age} Jahre alt: Für junge Volljährige wird die "
            "Hilfe nach § 41 SGB VIII gewährt. Bitte wählen Sie die Hilfe für junge Volljährige."
        )
    return ""
