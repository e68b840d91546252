"""What each record type is, which start points and actions fit it, and the starting defaults.

The periods below are only where an office starts: they are seeded once (migration 0002) and then
belong to the administrators, who change them in the portal. Every default is marked as to be
checked by the office's data-protection officer (DSB); none acts before it has been released.
"""

from dataclasses import dataclass

from privacy.models import Action, Anchor, RecordType

CASE_ANCHORS = (Anchor.CLOSED, Anchor.CLOSED_YEAR_END)
PART_ANCHORS = (
    Anchor.WITH_CASE,
    Anchor.CLOSED,
    Anchor.CLOSED_YEAR_END,
    Anchor.RECORD,
    Anchor.RECORD_YEAR_END,
)


@dataclass(frozen=True)
class RecordRule:
    anchors: tuple[str, ...]
    actions: tuple[str, ...]
    effect: str  # what the action does, in the words shown to administrators


CASE_EFFECT = (
    "Anonymisieren entfernt Namen, Telefonnummern, Anschrift und alle Freitexte (Anliegen, Wille, "
    "Ressourcen, Ziele und Schritte, Begründungen, Hilfeplangespräche, kollegiale Beratungen); "
    "von Geburtsdaten der Kinder bleibt nur das Jahr, andere Geburtsdaten entfallen. Dokumente "
    "des Falls (Berichte, Schreiben, Übergaben) werden mit ihren Dateien gelöscht. Es bleiben "
    "Fallnummer, Art, Region, Sozialraum, Hilfearten, Daten und Umfang der Hilfen, Träger und "
    "alles Geld: Bewilligungen und Buchungen sind unveränderlich; die Freitexte der Buchungen "
    "(Buchungstext, Begründung eines Stornos) werden gelöscht, Beträge und Summen bleiben."
)

RULES: dict[str, RecordRule] = {
    RecordType.CASE_WITH_HELP: RecordRule(
        anchors=(*CASE_ANCHORS, Anchor.YOUNGEST_CHILD_BIRTH),
        actions=(Action.ANONYMISE,),
        effect=CASE_EFFECT,
    ),
    RecordType.CASE_WITHOUT_HELP: RecordRule(
        anchors=(*CASE_ANCHORS, Anchor.YOUNGEST_CHILD_BIRTH),
        actions=(Action.ANONYMISE,),
        effect=CASE_EFFECT,
    ),
    RecordType.PROJECT: RecordRule(
        anchors=CASE_ANCHORS,
        actions=(Action.ANONYMISE,),
        effect=(
            "Anonymisieren leert die Freitexte „Ziele“ und „Ergebnis“. Titel, Zielgruppe, Zahl "
            "der Teilnehmenden, beteiligte Träger und Partner, Daten und Geld bleiben."
        ),
    ),
    RecordType.NOTE: RecordRule(
        anchors=PART_ANCHORS,
        actions=(Action.ANONYMISE, Action.DELETE),
        effect=(
            "Anonymisieren ersetzt den Text durch „[anonymisiert]“ (Art, Datum und Verfasser "
            "bleiben); Löschen entfernt den Vermerk ganz."
        ),
    ),
    RecordType.RISK_ASSESSMENT: RecordRule(
        anchors=PART_ANCHORS,
        actions=(Action.ANONYMISE, Action.DELETE),
        effect=(
            "Anonymisieren ersetzt den Sachverhalt durch „[anonymisiert]“; Stufe, Datum und "
            "Kenntnisnahme bleiben für die Statistik (§ 99 Abs. 6 SGB VIII). Löschen entfernt die "
            "Einschätzung ganz und damit auch aus der Statistik."
        ),
    ),
    RecordType.AUDIT_ENTRY: RecordRule(
        anchors=(Anchor.RECORD, Anchor.RECORD_YEAR_END),
        actions=(Action.REPORT_ONLY,),
        effect=(
            "Das Portal ändert und löscht Protokolleinträge nie (die Datenbank verweigert es). Der "
            "Löschlauf meldet, wie viele Einträge die Frist überschritten haben; gelöscht werden "
            "sie nur von der Datenbankadministration auf dem in docs/datenschutz.md beschriebenen "
            "Weg."
        ),
    ),
    RecordType.REPORT_FILE: RecordRule(
        anchors=(Anchor.RECORD, Anchor.RECORD_YEAR_END),
        actions=(Action.DELETE,),
        effect=(
            "Löschen entfernt den fertigen (oder gescheiterten) Bericht mit seiner PDF-Datei und "
            "seinen Zahlen. Berichte enthalten nur zusammengefasste, gegen kleine Fallzahlen "
            "geschützte Zahlen."
        ),
    ),
}

TO_BE_CHECKED = "Vom behördlichen Datenschutzbeauftragten zu prüfen und freizugeben."

# record_type, years, months, anchor, action, legal basis
DEFAULTS: tuple[tuple[str, int, int, str, str, str], ...] = (
    (
        RecordType.CASE_WITH_HELP,
        100,
        0,
        Anchor.YOUNGEST_CHILD_BIRTH,
        Action.ANONYMISE,
        "§ 9b Abs. 2 SGB VIII (in Kraft seit 1. 7. 2025): Akten über Hilfen zur Erziehung, "
        "Eingliederungshilfe, Heimunterbringung und Vormundschaft sind 70 Jahre nach Vollendung "
        "des 30. Lebensjahres der leistungsberechtigten Person aufzubewahren; hier als 100 "
        "Jahre ab Geburt des jüngsten Kindes im Fall. Danach Anonymisierung (Art. 17 DSGVO, "
        "§ 84 SGB X). Zu klären: ob die verlängerte Frist für alle Hilfeakten oder nur bei "
        f"berechtigtem Interesse gilt. {TO_BE_CHECKED}",
    ),
    (
        RecordType.CASE_WITHOUT_HELP,
        10,
        0,
        Anchor.CLOSED_YEAR_END,
        Action.ANONYMISE,
        "Keine bundesgesetzliche Frist: § 84 Abs. 2 SGB X und Art. 17 DSGVO verlangen die "
        "Löschung, sobald die Daten nicht mehr erforderlich sind. 10 Jahre nach Abschluss folgen "
        "den bisherigen Empfehlungen der Landesjugendämter für ASD-Akten; eine kürzere Frist ist "
        f"denkbar. {TO_BE_CHECKED}",
    ),
    (
        RecordType.PROJECT,
        10,
        0,
        Anchor.CLOSED_YEAR_END,
        Action.ANONYMISE,
        "Fallübergreifende und fallunabhängige Arbeit enthält planmäßig keine personenbezogenen "
        "Daten; Freitexte können dennoch Namen enthalten. 10 Jahre in Anlehnung an die "
        "Aufbewahrung von Haushalts- und Förderunterlagen (Nachweis der Mittelverwendung). "
        f"{TO_BE_CHECKED}",
    ),
    (
        RecordType.NOTE,
        0,
        0,
        Anchor.WITH_CASE,
        Action.ANONYMISE,
        "Vermerke, Verlaufsnotizen und Berichte sind Teil der Fallakte und teilen deren Frist "
        f"(bei Hilfeakten § 9b SGB VIII). {TO_BE_CHECKED}",
    ),
    (
        RecordType.RISK_ASSESSMENT,
        0,
        0,
        Anchor.WITH_CASE,
        Action.ANONYMISE,
        "Die Dokumentation nach § 8a SGB VIII ist Teil der Fallakte und teilt deren Frist. Stufe "
        "und Datum bleiben für die Statistik der Gefährdungseinschätzungen (§ 99 Abs. 6 SGB VIII). "
        f"{TO_BE_CHECKED}",
    ),
    (
        RecordType.AUDIT_ENTRY,
        2,
        0,
        Anchor.RECORD_YEAR_END,
        Action.REPORT_ONLY,
        "Das Zugriffsprotokoll dient dem Nachweis und der Kontrolle der Zugriffe (Art. 5 Abs. 2, "
        "Art. 32 DSGVO). Üblich sind ein bis zwei Jahre; solange eine Prüfung läuft, "
        "länger. Gelöscht wird nur außerhalb des Portals durch die Datenbankadministration. "
        f"{TO_BE_CHECKED}",
    ),
    (
        RecordType.REPORT_FILE,
        10,
        0,
        Anchor.RECORD_YEAR_END,
        Action.DELETE,
        "Berichte an den Jugendhilfeausschuss enthalten keine personenbezogenen Daten (Schutz "
        "kleiner Fallzahlen). 10 Jahre in Anlehnung an die Aufbewahrung von Sitzungsunterlagen; "
        "vor dem Löschen ist die Anbietungspflicht gegenüber dem zuständigen Archiv "
        f"(Landesarchivgesetz) zu beachten. {TO_BE_CHECKED}",
    ),
)


def retention_defaults_seed(apps, schema_editor) -> None:
    """Migration step: add a missing class with its default, not released; idempotent."""
    RetentionClass = apps.get_model("privacy", "RetentionClass")
    for record_type, years, months, anchor, action, legal_basis in DEFAULTS:
        RetentionClass.objects.get_or_create(
            record_type=str(record_type),
            defaults={
                "period_years": years,
                "period_months": months,
                "anchor": str(anchor),
                "action": str(action),
                "legal_basis": legal_basis,
                "is_active": False,
            },
        )
