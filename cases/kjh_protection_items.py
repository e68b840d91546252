"""The items of the KJH statistics on child protection as casework fields: the survey
"Gefährdungseinschätzungen nach § 8a Abs. 1 SGB VIII" and the survey "Vorläufige Schutzmaßnahmen
(§ 42, § 42a SGB VIII)".

The wording follows the published questionnaires; the codes are numbered in the questionnaire's
order and stored directly, so the delivery file needs no second translation. The child's sex and
origin are the person's (`Person.sex`, `parent_foreign_origin`, `german_at_home`, see
`cases.kjh_items`); what the questionnaires ask about the moment of the assessment or of the
Inobhutnahme lives on `RiskAssessment` and `ProtectionMeasure`. Code lists and mapping are
documented in docs/statistics.md.
"""

from django.db import models


class ConcernKnownBy(models.TextChoices):
    """§ 8a, Teil C: who made the concern known (Bekanntwerden durch)."""

    POLICE = "1", "Polizei / Gericht / Staatsanwaltschaft"
    SCHOOL = "2", "Schule"
    KITA = "3", "Kindertageseinrichtung / Kindertagespflege"
    YOUTH_WELFARE = "4", "Einrichtung / Dienst der Kinder- und Jugendhilfe"
    COUNSELLING = "5", "Beratungsstelle"
    HEALTH = "6", "Hebamme / Ärztin, Arzt / Klinik / Gesundheitsamt"
    SOCIAL_SERVICES = "7", "Soziale Dienste / Jugendamt"
    RELATIVES = "8", "Verwandte"
    NEIGHBOURS = "9", "Bekannte / Nachbarn"
    PARENTS = "10", "Eltern / Elternteil / Personensorgeberechtigte"
    YOUNG_PERSON = "11", "Kind / Jugendliche(r) selbst"
    ANONYMOUS = "12", "anonym"
    OTHER = "13", "Sonstige"


# Our `ConcernSource` values (asked when the concern is reported) -> the questionnaire's code;
# plain strings because cases.models imports this module for its choices.
KNOWN_BY_OF_SOURCE: dict[str, str] = {
    "police": ConcernKnownBy.POLICE,
    "school": ConcernKnownBy.SCHOOL,
    "kita": ConcernKnownBy.KITA,
    "youth_welfare": ConcernKnownBy.YOUTH_WELFARE,
    "health": ConcernKnownBy.HEALTH,
    "relatives": ConcernKnownBy.RELATIVES,
    "neighbour": ConcernKnownBy.NEIGHBOURS,
    "parents": ConcernKnownBy.PARENTS,
    "child": ConcernKnownBy.YOUNG_PERSON,
    "anonymous": ConcernKnownBy.ANONYMOUS,
    "other": ConcernKnownBy.OTHER,
}


class AssessmentResult(models.TextChoices):
    """§ 8a, Teil E: the result of the assessment."""

    ACUTE = "1", "akute Kindeswohlgefährdung"
    LATENT = "2", "latente Kindeswohlgefährdung"
    HELP_NEEDED = "3", "keine Kindeswohlgefährdung, aber Hilfe-/Unterstützungsbedarf"
    NONE = "4", "keine Kindeswohlgefährdung und kein Hilfebedarf"


RESULT_OF_LEVEL: dict[str, str] = {
    "acute": AssessmentResult.ACUTE,
    "latent": AssessmentResult.LATENT,
    "help_needed": AssessmentResult.HELP_NEEDED,
    "none": AssessmentResult.NONE,
}


class PriorHelp(models.TextChoices):
    """§ 8a, Teil D: a help the child or family received when the assessment began."""

    EDUCATIONAL = "1", "Hilfe zur Erziehung / Eingliederungshilfe / Hilfe für junge Volljährige"
    DAYCARE = "2", "Kindertagesbetreuung"
    OTHER_SERVICE = "3", "andere Leistung der Kinder- und Jugendhilfe (z. B. Beratung)"
    NONE = "4", "keine Leistung"
    UNKNOWN = "9", "unbekannt"


# § 8a, Teil F: the kinds of endangerment (several possible): model field -> (code, label).
ENDANGERMENT_KINDS: dict[str, tuple[str, str]] = {
    "endangerment_neglect": ("1", "Anzeichen für Vernachlässigung"),
    "endangerment_physical": ("2", "Anzeichen für körperliche Misshandlung"),
    "endangerment_psychological": ("3", "Anzeichen für psychische Misshandlung"),
    "endangerment_sexual": ("4", "Anzeichen für sexuelle Gewalt"),
}

# § 8a, Teil G: the consequence (several possible). The family court (§ 8a Abs. 2) and the
# Inobhutnahme are not asked again: they are read from `family_court_on` and the
# `ProtectionMeasure` of the assessment.
CONSEQUENCES: dict[str, tuple[str, str]] = {
    "consequence_new_help": ("1", "neue Hilfe eingeleitet (§§ 27–35a, 41 SGB VIII)"),
    "consequence_continued_help": ("2", "bestehende Hilfe fortgesetzt oder angepasst"),
    "consequence_other_service": ("3", "andere Leistung (z. B. Beratung nach §§ 16–18, 28)"),
    "consequence_none": ("6", "keine weitere Maßnahme"),
}
CONSEQUENCE_COURT = ("4", "Anrufung des Familiengerichts")
CONSEQUENCE_CUSTODY = ("5", "Inobhutnahme")


class ProtectionKind(models.TextChoices):
    """§ 42 survey: the legal kind of the measure; § 42a is the variant for unaccompanied minors
    right after their entry."""

    OWN_REQUEST = "1", "Inobhutnahme auf Bitte des Kindes / Jugendlichen (§ 42 Abs. 1 Nr. 1)"
    URGENT_DANGER = "2", "Inobhutnahme wegen dringender Gefahr (§ 42 Abs. 1 Nr. 2)"
    UNACCOMPANIED = "3", "Inobhutnahme nach unbegleiteter Einreise (§ 42 Abs. 1 Nr. 3)"
    PRELIMINARY = "4", "vorläufige Inobhutnahme nach unbegleiteter Einreise (§ 42a)"


UNACCOMPANIED_KINDS = {ProtectionKind.UNACCOMPANIED, ProtectionKind.PRELIMINARY}


class ProtectionInitiator(models.TextChoices):
    """§ 42 survey: who initiated the measure (Anregende der Maßnahme)."""

    YOUNG_PERSON = "1", "Kind / Jugendliche(r) selbst"
    PARENTS = "2", "Eltern / Elternteil"
    SOCIAL_SERVICES = "3", "Soziale Dienste / Jugendamt"
    POLICE = "4", "Polizei / Ordnungsbehörde"
    TEACHER = "5", "Lehrer(in) / Erzieher(in)"
    DOCTOR = "6", "Ärztin / Arzt"
    NEIGHBOURS = "7", "Nachbarn / Verwandte"
    OTHER = "8", "Sonstige"


class ProtectionReason(models.TextChoices):
    """§ 42 survey: the reasons for the measure (Anlass, several possible)."""

    OVERBURDENED = "1", "Überforderung der Eltern / eines Elternteils"
    NEGLECT = "2", "Vernachlässigung"
    PHYSICAL = "3", "Anzeichen für körperliche Misshandlung"
    PSYCHOLOGICAL = "4", "Anzeichen für psychische Misshandlung"
    SEXUAL = "5", "Anzeichen für sexuelle Gewalt"
    SEPARATION = "6", "Trennung oder Scheidung der Eltern"
    HOUSING = "7", "Wohnungsprobleme"
    UNACCOMPANIED = "8", "unbegleitete Einreise aus dem Ausland"
    RELATIONSHIPS = "9", "Beziehungsprobleme"
    SCHOOL = "10", "Schul- / Ausbildungsprobleme"
    PLACEMENT_PROBLEMS = "11", "Integrationsprobleme im Heim / in der Pflegefamilie"
    DELINQUENCY = "12", "Delinquenz des Kindes / Straftat des Jugendlichen"
    ADDICTION = "13", "Suchtprobleme des Kindes / Jugendlichen"
    OTHER = "14", "sonstige Probleme"


class ProtectionPlacement(models.TextChoices):
    """§ 42 survey: where the child was placed (Art der Unterbringung)."""

    INSTITUTION = "1", "Einrichtung (z. B. Inobhutnahmestelle, Heim)"
    SUITABLE_PERSON = "2", "geeignete Person / Bereitschaftspflegefamilie"
    OTHER_HOUSING = "3", "sonstige betreute Wohnform"


class ProtectionOutcome(models.TextChoices):
    """§ 42 survey: what followed the measure (Ende der Maßnahme)."""

    RETURN_TO_PARENTS = "1", "Rückkehr zu den Sorgeberechtigten"
    RETURN_TO_PLACEMENT = "2", "Rückkehr in die bisherige Pflegefamilie / Einrichtung"
    OTHER_OFFICE = "3", "Übernahme durch ein anderes Jugendamt (auch Verteilung nach § 42b)"
    AMBULANT_HELP = "4", "anschließend ambulante / teilstationäre Hilfe (§§ 27 ff.)"
    RESIDENTIAL_HELP = "5", "anschließend Hilfe außerhalb der Familie (Pflegefamilie, Heim)"
    HOSPITAL = "6", "Übernahme in ein Krankenhaus / eine Psychiatrie"
    RAN_AWAY = "7", "Entweichen / unbekannter Aufenthalt"
    OTHER = "8", "sonstiges Ende"
