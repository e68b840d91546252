"""What a letter template may read: the documented placeholders of each kind of letter.

A letter template sees nothing but plain values (strings, dates, numbers, lists and dicts) that a
selector builds from the case (`documents.selectors_letters`). This module names them, with the
German description the template editor shows, and gives the sample values the preview renders.
The template check (`documents.letter_templates.template_check`) refuses any placeholder that is
not named here, so a template cannot reach further than this list, whatever the data holds.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import models


class LetterKind(models.TextChoices):
    LAYOUT = "layout", "Briefkopf, Anschrift, Unterschrift und Fußzeile (für alle Briefe)"
    HELP_PLAN = "help_plan", "Hilfeplan für die Familie"
    INVITATION = "invitation", "Einladung zum Hilfeplangespräch"
    DECISION_NOTICE = "decision_notice", "Bescheid über eine Hilfe"
    COMMISSION_NOTICE = "commission_notice", "Mitteilung an den Träger (Beauftragung)"
    CONTRIBUTION_NOTICE = "contribution_notice", "Kostenbeitragsbescheid"
    REIMBURSEMENT_CLAIM = "reimbursement_claim", "Erstattungsforderung (§§ 89 ff. SGB VIII)"


# The parts of a template version: the layout has four, each letter a subject and a body.
LAYOUT_PARTS = ("letterhead", "address_block", "signature", "footer")
LETTER_PARTS = ("subject", "body")
PART_LABELS = {
    "letterhead": "Briefkopf",
    "address_block": "Anschriftfeld",
    "signature": "Grußformel und Unterschrift",
    "footer": "Fußzeile (z. B. Sprechzeiten, Bankverbindung)",
    "subject": "Betreff",
    "body": "Brieftext",
}


def parts_of(kind: str) -> tuple[str, ...]:
    return LAYOUT_PARTS if kind == LetterKind.LAYOUT else LETTER_PARTS


@dataclass(frozen=True)
class Value:
    """One placeholder: a text, a date or a yes/no."""

    label: str


@dataclass(frozen=True)
class Group:
    """A placeholder with named parts (`family.name`)."""

    label: str
    fields: Mapping[str, "Value | Group | ListOf"]


@dataclass(frozen=True)
class ListOf:
    """A list to go through with `{% for goal in goals %}`; each entry has the named parts."""

    label: str
    fields: Mapping[str, "Value | Group | ListOf"] = field(default_factory=dict)


Node = Value | Group | ListOf

_STEP = {
    "text": Value("was getan wird"),
    "who": Value("wer es tut (Familie, ASD, Träger …)"),
    "due_on": Value("bis wann (Datum, kann leer sein)"),
    "done_on": Value("erledigt am (Datum, kann leer sein)"),
}
_GOALS = ListOf(
    "die Ziele in den Worten der Familie",
    {
        "text": Value("das Ziel, wie die Familie es gesagt hat"),
        "achieved_on": Value("erreicht am (Datum, kann leer sein)"),
        "steps": ListOf("die Schritte zu diesem Ziel", _STEP),
    },
)
_HELP = Group(
    "die Hilfe",
    {
        "name": Value("Bezeichnung der Hilfe"),
        "legal_basis": Value("Rechtsgrundlage, z. B. § 31 SGB VIII"),
        "starts_on": Value("Beginn (Datum)"),
        "planned_end_on": Value("geplantes Ende (Datum)"),
        "scope": Value("Umfang, z. B. 5 Fachleistungsstunden pro Woche"),
        "provider": Value("der durchführende Träger (kann leer sein)"),
    },
)
_REVIEW = Group(
    "das Hilfeplangespräch",
    {
        "date": Value("Datum"),
        "time": Value("Uhrzeit (kann leer sein, solange kein Termin vereinbart ist)"),
        "place": Value("Ort"),
        "invited": ListOf("die eingeladenen Personen (Namen)"),
    },
)

# The help a letter of the Wirtschaftliche Jugendhilfe refers to (name and start only).
_HELP_SHORT = Group(
    "die Hilfe",
    {
        "name": Value("Bezeichnung der Hilfe"),
        "legal_basis": Value("Rechtsgrundlage der Hilfe, z. B. § 34 SGB VIII"),
        "starts_on": Value("Beginn (Datum)"),
    },
)

# What every letter has (the layout reads these, too).
COMMON: dict[str, Node] = {
    "office": Group("das Amt", {"name": Value("Name des Jugendamts")}),
    "today": Value("das Datum des Briefs"),
    "case_number": Value("das Aktenzeichen (Fallnummer)"),
    "recipient": Group(
        "Empfängerin oder Empfänger",
        {
            "name": Value("Name"),
            "street": Value("Straße und Hausnummer"),
            "postcode": Value("Postleitzahl"),
            "city": Value("Ort (leer bei Familien in der Stadt)"),
        },
    ),
    "salutation": Value("die Anrede, z. B. „Sehr geehrte Frau Beispiel,“"),
    "caseworker": Group(
        "die fallsteuernde Fachkraft",
        {
            "name": Value("Name"),
            "phone": Value("Telefon (des Teams)"),
            "email": Value("E-Mail (des Teams)"),
            "team": Value("Name des ASD-Teams"),
        },
    ),
}

SCHEMAS: dict[str, dict[str, Node]] = {
    LetterKind.LAYOUT: COMMON,
    LetterKind.HELP_PLAN: {
        **COMMON,
        "help": _HELP,
        "children": ListOf("die Kinder (Vornamen)"),
        "concern": Value("das Anliegen der Familie in ihren Worten"),
        "goals": _GOALS,
        "next_review": Group(
            "das nächste Hilfeplangespräch (kann fehlen)",
            {"date": Value("Datum"), "time": Value("Uhrzeit"), "place": Value("Ort")},
        ),
    },
    LetterKind.INVITATION: {
        **COMMON,
        "help": _HELP,
        "goals": _GOALS,
        "review": _REVIEW,
    },
    LetterKind.DECISION_NOTICE: {
        **COMMON,
        "decision": Group(
            "die Entscheidung",
            {
                "granted": Value("ja bei einer Bewilligung, nein bei einer Ablehnung"),
                "help_name": Value("die beantragte Hilfe"),
                "legal_basis": Value("die Rechtsgrundlage (Pflicht)"),
                "starts_on": Value("Beginn (bei Bewilligung)"),
                "planned_end_on": Value("befristet bis (bei Bewilligung)"),
                "scope": Value("Umfang (bei Bewilligung)"),
                "reasons": Value("die Begründung"),
                "decided_on": Value("Datum der Entscheidung"),
                "applied_on": Value("Datum des Antrags (kann leer sein)"),
            },
        ),
        "legal_remedy": Value("die Rechtsbehelfsbelehrung (Pflicht)"),
    },
    LetterKind.COMMISSION_NOTICE: {
        **COMMON,
        "help": _HELP,
        "goals": _GOALS,
        "assignment": Group(
            "die Beauftragung",
            {
                "starts_on": Value("Beginn"),
                "ends_on": Value("geplantes Ende"),
                "instructions": Value("der Auftrag an den Träger"),
                "with_home_visits": Value("mit Hausbesuchen (ja/nein)"),
                "contact": Value("Ansprechperson beim Träger"),
            },
        ),
    },
    # Amounts are ready-formatted texts („1.234,56 €“): the letter engine has no money filter.
    LetterKind.CONTRIBUTION_NOTICE: {
        **COMMON,
        "help": _HELP_SHORT,
        "contribution": Group(
            "der Kostenbeitrag",
            {
                "starts_on": Value("herangezogen ab (Datum)"),
                "ends_on": Value("herangezogen bis (Datum, kann leer sein)"),
                "income": Value("maßgebliches monatliches Einkommen (§ 93 SGB VIII), als Betrag"),
                "group": Value("Einkommensgruppe (leer über der obersten Gruppe)"),
                "stage": Value("Beitragsstufe (Text)"),
                "further_dependants": Value("Zahl weiterer Unterhaltsberechtigter (§ 4)"),
                "young_adult": Value("junger Volljähriger, § 6 KostenbeitragsV (ja/nein)"),
                "table_amount": Value("Betrag nach der Kostenbeitragsverordnung"),
                "amount": Value("Kostenbeitrag aus Einkommen"),
                "receives_child_benefit": Value("Kindergeld wird bezogen (ja/nein)"),
                "child_benefit_amount": Value("Kostenbeitrag in Höhe des Kindergeldes"),
                "monthly_total": Value("monatlicher Kostenbeitrag insgesamt"),
                "reduction_reason": Value("Begründung eines niedrigeren Betrags (kann leer sein)"),
                "table_name": Value("Name der Kostenbeitragstabelle"),
                "table_source": Value("Fundstelle der Tabelle"),
            },
        ),
        "legal_remedy": Value("die Rechtsbehelfsbelehrung (Pflicht)"),
    },
    LetterKind.REIMBURSEMENT_CLAIM: {
        **COMMON,
        "help": _HELP_SHORT,
        "claim": Group(
            "der Erstattungsanspruch",
            {
                "number": Value("unser Zeichen (Nummer des Anspruchs)"),
                "their_reference": Value("Zeichen des anderen Jugendamts (kann leer sein)"),
                "legal_basis": Value("Rechtsgrundlage, z. B. § 89a SGB VIII (…)"),
                "period_start": Value("Zeitraum von (Datum)"),
                "period_end": Value("Zeitraum bis (Datum)"),
                "amount": Value("geforderter Betrag"),
            },
        ),
        "young_person": Group(
            "der junge Mensch (kann fehlen)",
            {
                "name": Value("Vor- und Nachname"),
                "birth_date": Value("Geburtsdatum (kann leer sein)"),
            },
        ),
        "payments": ListOf(
            "die Zahlungen, aus denen der Betrag besteht",
            {
                "period_start": Value("Leistungszeitraum von (Datum, kann leer sein)"),
                "period_end": Value("Leistungszeitraum bis (Datum, kann leer sein)"),
                "paid_on": Value("gezahlt am (Datum)"),
                "amount": Value("Betrag"),
            },
        ),
    },
}

# Placeholders a template of that kind must use: a Bescheid without its legal basis or without
# the instruction on legal remedies would be unlawful, so the template cannot leave them out.
REQUIRED: dict[str, dict[str, tuple[str, ...]]] = {
    LetterKind.DECISION_NOTICE: {"body": ("decision.legal_basis", "legal_remedy")},
    LetterKind.CONTRIBUTION_NOTICE: {"body": ("legal_remedy",)},
}

FORLOOP = Group(
    "Zähler in einer Schleife",
    {
        "counter": Value("1, 2, 3 …"),
        "counter0": Value("0, 1, 2 …"),
        "first": Value("erster Durchlauf"),
        "last": Value("letzter Durchlauf"),
        "revcounter": Value("verbleibende Durchläufe"),
    },
)


def placeholder_rows(kind: str) -> list[tuple[str, str]]:
    """(placeholder, description) for the editor's table, nested parts with dots."""
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, node: Node) -> None:
        suffix = " (Liste)" if isinstance(node, ListOf) else ""
        rows.append((prefix, node.label + suffix))
        if isinstance(node, Group | ListOf):
            for name, child in node.fields.items():
                walk(f"{prefix}.{name}" if isinstance(node, Group) else f"{prefix}[].{name}", child)

    for name, node in SCHEMAS[kind].items():
        walk(name, node)
    return rows


def sample_context(kind: str) -> dict:
    """Invented values of the right shape, for the preview of a template before it is saved."""
    today = datetime.date(2026, 3, 2)
    goals = [
        {
            "text": "Wir wollen morgens ohne Streit aus dem Haus kommen.",
            "achieved_on": None,
            "steps": [
                {
                    "text": "Abends gemeinsam die Schultaschen packen",
                    "who": "Familie",
                    "due_on": datetime.date(2026, 4, 15),
                    "done_on": None,
                },
                {
                    "text": "Wochenplan mit der Familie aufstellen",
                    "who": "Träger",
                    "due_on": datetime.date(2026, 3, 31),
                    "done_on": None,
                },
            ],
        },
        {
            "text": "Mia geht wieder gern zur Schule.",
            "achieved_on": None,
            "steps": [
                {
                    "text": "Gespräch mit der Klassenlehrerin",
                    "who": "ASD",
                    "due_on": datetime.date(2026, 3, 20),
                    "done_on": None,
                }
            ],
        },
    ]
    help_ = {
        "name": "Sozialpädagogische Familienhilfe",
        "legal_basis": "§ 31 SGB VIII",
        "starts_on": datetime.date(2026, 3, 1),
        "planned_end_on": datetime.date(2027, 2, 28),
        "scope": "5 Fachleistungsstunden pro Woche",
        "provider": "Familienhilfe Lindenau e. V.",
    }
    context: dict = {
        "office": {"name": "Jugendamt Lindenau"},
        "today": today,
        "case_number": "N-2026-0042",
        "recipient": {
            "name": "Frau Sabine Beispiel",
            "street": "Lindenweg 3",
            "postcode": "04177",
            "city": "",
        },
        "salutation": "Sehr geehrte Frau Beispiel,",
        "caseworker": {
            "name": "Anna Muster",
            "phone": "0341 123-4567",
            "email": "asd-nord@lindenau.example",
            "team": "ASD Nord",
        },
        "help": help_,
        "children": ["Mia", "Jonas"],
        "concern": "Wir möchten, dass es zu Hause wieder ruhiger wird.",
        "goals": goals,
        "next_review": {
            "date": datetime.date(2026, 9, 1),
            "time": datetime.time(10, 0),
            "place": "Jugendamt, Raum 2.14",
        },
        "review": {
            "date": datetime.date(2026, 9, 1),
            "time": datetime.time(10, 0),
            "place": "Jugendamt, Raum 2.14",
            "invited": ["Sabine Beispiel", "Mia Beispiel", "Familienhilfe Lindenau e. V."],
        },
        "decision": {
            "granted": True,
            "help_name": "Sozialpädagogische Familienhilfe",
            "legal_basis": "§§ 27, 31 SGB VIII",
            "starts_on": datetime.date(2026, 3, 1),
            "planned_end_on": datetime.date(2027, 2, 28),
            "scope": "5 Fachleistungsstunden pro Woche",
            "reasons": "Die Familie braucht Unterstützung im Alltag; die Hilfe ist geeignet.",
            "decided_on": today,
            "applied_on": datetime.date(2026, 2, 10),
        },
        "legal_remedy": legal_remedy_text(office="Jugendamt Lindenau"),
        "assignment": {
            "starts_on": datetime.date(2026, 3, 1),
            "ends_on": datetime.date(2027, 2, 28),
            "instructions": "Begleitung der Familie im Alltag, Schwerpunkt Tagesstruktur.",
            "with_home_visits": True,
            "contact": "Herr Peters",
        },
        "contribution": {
            "starts_on": datetime.date(2026, 3, 1),
            "ends_on": None,
            "income": "2.450,00\u00a0€",
            "group": "4",
            "stage": "1 – vollstationär, erste Person",
            "further_dependants": 1,
            "young_adult": False,
            "table_amount": "310,00\u00a0€",
            "amount": "310,00\u00a0€",
            "receives_child_benefit": True,
            "child_benefit_amount": "255,00\u00a0€",
            "monthly_total": "565,00\u00a0€",
            "reduction_reason": "",
            "table_name": "Kostenbeitragstabelle 2024",
            "table_source": "Anlage zu § 1 KostenbeitragsV",
        },
        "claim": {
            "number": "KE-2026-0007",
            "their_reference": "51.3-118/26",
            "legal_basis": "§ 89a SGB VIII (Pflegestelle, Zuständigkeit nach § 86 Abs. 6)",
            "period_start": datetime.date(2026, 1, 1),
            "period_end": datetime.date(2026, 3, 31),
            "amount": "3.600,00\u00a0€",
        },
        "young_person": {"name": "Mia Beispiel", "birth_date": datetime.date(2012, 5, 4)},
        "payments": [
            {
                "period_start": datetime.date(2026, month, 1),
                "period_end": datetime.date(2026, month, last),
                "paid_on": datetime.date(2026, month, 3),
                "amount": "1.200,00\u00a0€",
            }
            for month, last in ((1, 31), (2, 28), (3, 31))
        ],
    }
    return {name: context[name] for name in SCHEMAS[kind]}


def legal_remedy_text(*, office: str) -> str:
    """The instruction on legal remedies (§ 37 Abs. 6 SGB X, § 70 VwGO): fixed by law, so it is
    part of the data, not of the template the office edits."""
    return (
        "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben "
        f"werden. Der Widerspruch ist schriftlich oder zur Niederschrift beim {office} "
        "einzulegen. Die Frist ist auch gewahrt, wenn der Widerspruch innerhalb der Frist "
        "elektronisch in einer Form eingelegt wird, die das Gesetz erlaubt."
    )
