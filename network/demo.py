"""The demo town's network: partners and offers in all four Sozialräume, boundaries, conferences.

Everything is invented. Idempotent: a second run changes nothing. Called by `manage.py demo_town`
after the ground floor (`sozialraum.demo`) is built.
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from network.models import Conference, ConferenceAgreement, Partner, PartnerType, TargetGroup
from network.services import (
    agreement_add,
    agreement_complete,
    boundaries_import,
    conference_save,
    offer_save,
    partner_save,
)
from sozialraum.models import Provider, Region, Sozialraum, User

BOUNDARIES = Path(__file__).resolve().parent / "data" / "lindenau.geojson"
NORTH, SOUTH = "24850", "24852"
# Rough centre of each Sozialraum in the demo boundaries; partners sit around it.
CENTRES = {
    "N1": (Decimal("9.5130"), Decimal("54.0300")),
    "N2": (Decimal("9.5430"), Decimal("54.0300")),
    "S1": (Decimal("9.5170"), Decimal("54.0100")),
    "S2": (Decimal("9.5470"), Decimal("54.0100")),
}
_OFFSETS = [(-5, -4), (4, 5), (-3, 5), (5, -3), (0, 0), (-6, 1), (2, -6), (6, 2), (-1, 3)]

T = PartnerType
# (Sozialraum, name, type, street, number, postcode, contact person, accessibility)
PARTNERS = [
    ("N1", "Kita Heidezwerge", T.KITA, "Heideweg", "12", NORTH, "Frau Petersen", "stufenlos"),
    (
        "N1",
        "Grundschule Lindenau-Heide",
        T.SCHOOL,
        "Schulstraße",
        "10",
        NORTH,
        "Herr Lorenz",
        "Aufzug",
    ),
    (
        "N1",
        "TSV Lindenau-Heide von 1908",
        T.SPORTS_CLUB,
        "Am Sportplatz",
        "1",
        NORTH,
        "Herr Jansen",
        "",
    ),
    (
        "N1",
        "Jugendtreff Heidehaus",
        T.YOUTH_CENTRE,
        "Kiefernweg",
        "3",
        NORTH,
        "Frau Aydin",
        "stufenlos",
    ),
    (
        "N1",
        "Ev.-luth. Kirchengemeinde St. Johannis",
        T.PARISH,
        "Birkenallee",
        "30",
        NORTH,
        "Pastorin Engel",
        "Rampe am Seiteneingang",
    ),
    (
        "N1",
        "Familienzentrum Birkenallee",
        T.FAMILY_CENTRE,
        "Birkenallee",
        "8",
        NORTH,
        "Frau Kowalski",
        "stufenlos, Wickelraum",
    ),
    (
        "N1",
        "Seniorentreff Heide",
        T.SENIOR_CENTRE,
        "Heideweg",
        "40",
        NORTH,
        "Herr Brandt",
        "stufenlos",
    ),
    ("N1", "Nachbarschaftshilfe Heide e.V.", T.VOLUNTEER, "Parkweg", "5", NORTH, "Frau Möller", ""),
    ("N2", "Kita Am Mühlenteich", T.KITA, "Am Mühlenteich", "4", NORTH, "Frau Schulz", "stufenlos"),
    (
        "N2",
        "Gemeinschaftsschule Mühlenteich",
        T.SCHOOL,
        "Schulstraße",
        "60",
        NORTH,
        "Frau Dr. Weiß",
        "Aufzug",
    ),
    (
        "N2",
        "Stadtbücherei Zweigstelle Nord",
        T.LIBRARY,
        "Mühlenweg",
        "15",
        NORTH,
        "Herr Fuchs",
        "stufenlos",
    ),
    (
        "N2",
        "Jugendzentrum Mühle",
        T.YOUTH_CENTRE,
        "Mühlenweg",
        "22",
        NORTH,
        "Herr Öztürk",
        "Erdgeschoss stufenlos",
    ),
    ("N2", "Ruderclub Teich e.V.", T.SPORTS_CLUB, "Teichstraße", "9", NORTH, "Frau Lange", ""),
    (
        "N2",
        "Erziehungsberatungsstelle Nord",
        T.COUNSELLING,
        "Eichendorffstraße",
        "2",
        NORTH,
        "Frau Hansen",
        "Aufzug",
    ),
    (
        "N2",
        "Katholische Gemeinde St. Marien",
        T.PARISH,
        "Lange Straße",
        "44",
        NORTH,
        "Pfarrer Nowak",
        "",
    ),
    ("N2", "Lesepaten Lindenau", T.VOLUNTEER, "Eichendorffstraße", "18", NORTH, "Herr Koch", ""),
    ("S1", "Kita Altstadtspatzen", T.KITA, "Rosengasse", "6", SOUTH, "Frau Richter", "stufenlos"),
    ("S1", "Grundschule am Markt", T.SCHOOL, "Marktstraße", "20", SOUTH, "Herr Becker", "Rampe"),
    (
        "S1",
        "Stadtbücherei Lindenau",
        T.LIBRARY,
        "Marktstraße",
        "1",
        SOUTH,
        "Frau Wolf",
        "Aufzug, Hörschleife",
    ),
    (
        "S1",
        "Familienzentrum Altstadt",
        T.FAMILY_CENTRE,
        "Kirchplatz",
        "5",
        SOUTH,
        "Frau Schröder",
        "stufenlos",
    ),
    (
        "S1",
        "Ev. Kirchengemeinde Lindenau-Altstadt",
        T.PARISH,
        "Kirchplatz",
        "1",
        SOUTH,
        "Pastor Meyer",
        "",
    ),
    (
        "S1",
        "Altentagesstätte Rosengasse",
        T.SENIOR_CENTRE,
        "Rosengasse",
        "14",
        SOUTH,
        "Frau Krause",
        "stufenlos",
    ),
    (
        "S1",
        "Schuldner- und Familienberatung Altstadt",
        T.COUNSELLING,
        "Hauptstraße",
        "11",
        SOUTH,
        "Herr Schmitz",
        "Aufzug",
    ),
    (
        "S1",
        "Turnverein Altstadt 1861",
        T.SPORTS_CLUB,
        "Lange Straße",
        "131",
        SOUTH,
        "Frau Neumann",
        "",
    ),
    ("S2", "Kita Bahnhofskinder", T.KITA, "Gleisweg", "7", SOUTH, "Frau Yıldız", "stufenlos"),
    (
        "S2",
        "Theodor-Heuss-Schule",
        T.SCHOOL,
        "Theodor-Heuss-Straße",
        "30",
        SOUTH,
        "Herr Schwarz",
        "Aufzug",
    ),
    (
        "S2",
        "Jugendhaus Güterbahnhof",
        T.YOUTH_CENTRE,
        "Am Güterbahnhof",
        "2",
        SOUTH,
        "Frau Haddad",
        "stufenlos",
    ),
    (
        "S2",
        "Interkulturelles Familienzentrum Bahnhofsviertel",
        T.FAMILY_CENTRE,
        "Hauptstraße",
        "24",
        SOUTH,
        "Frau Popescu",
        "stufenlos",
    ),
    (
        "S2",
        "Migrationsberatung Bahnhofsviertel",
        T.COUNSELLING,
        "Bahnhofstraße",
        "12",
        SOUTH,
        "Herr Rahimi",
        "Erdgeschoss",
    ),
    ("S2", "Fußballverein Bahnhof 09", T.SPORTS_CLUB, "Parkweg", "3", SOUTH, "Herr Wójcik", ""),
    ("S2", "Elterninitiative Gleisweg", T.VOLUNTEER, "Gleisweg", "21", SOUTH, "Frau Klein", ""),
    (
        "S2",
        "Begegnungszentrum der Moscheegemeinde",
        T.OTHER,
        "Theodor-Heuss-Straße",
        "5",
        SOUTH,
        "Herr Demir",
        "stufenlos",
    ),
    ("S2", "Tafel Lindenau-Süd", T.VOLUNTEER, "Hauptstraße", "40", SOUTH, "Frau Berg", "stufenlos"),
]

G = TargetGroup
DE = "Deutsch"
# partner name → [(title, description, target group, age from, to, languages, fee or "", schedule,
#                  referral needed)]
OfferRow = tuple[str, str, str, int | None, int | None, str, str, str, bool]
OFFERS: dict[str, list[OfferRow]] = {
    "Kita Heidezwerge": [
        (
            "Elterncafé Heidezwerge",
            "Offener Treff für Eltern mit Kaffee, Austausch und Fragen zur Erziehung.",
            G.PARENTS,
            None,
            None,
            DE,
            "",
            "freitags 8–10 Uhr",
            False,
        ),
    ],
    "Grundschule Lindenau-Heide": [
        (
            "Hausaufgabenhilfe Heide",
            "Ehrenamtliche helfen Grundschulkindern bei den Hausaufgaben.",
            G.CHILDREN,
            6,
            10,
            DE,
            "",
            "Mo–Do 13–15 Uhr",
            False,
        ),
    ],
    "TSV Lindenau-Heide von 1908": [
        (
            "Kinderturnen",
            "Bewegung, Spiel und Turnen für die Kleinen.",
            G.CHILDREN,
            3,
            6,
            DE,
            "5 € im Monat (Ermäßigung über Bildung und Teilhabe)",
            "dienstags 15–16 Uhr",
            False,
        ),
        (
            "Fußball-Jugend",
            "Training und Punktspiele für Jungen und Mädchen.",
            G.YOUTH,
            10,
            16,
            DE,
            "8 € im Monat",
            "Mo und Mi 17–19 Uhr",
            False,
        ),
    ],
    "Jugendtreff Heidehaus": [
        (
            "Offener Treff Heidehaus",
            "Kicker, Musik, Kochen und ein offenes Ohr.",
            G.YOUTH,
            12,
            21,
            "Deutsch, Englisch",
            "",
            "Di–Fr 14–20 Uhr",
            False,
        ),
    ],
    "Ev.-luth. Kirchengemeinde St. Johannis": [
        (
            "Krabbelgruppe St. Johannis",
            "Eltern mit Kindern bis drei Jahre treffen sich zum Spielen und Reden.",
            G.FAMILIES,
            0,
            3,
            DE,
            "",
            "mittwochs 10–11.30 Uhr",
            False,
        ),
    ],
    "Familienzentrum Birkenallee": [
        (
            "Elternkurs „Gelassen durch die Pubertät“",
            "Sechs Abende für Eltern von Jugendlichen.",
            G.PARENTS,
            11,
            17,
            "Deutsch, Türkisch",
            "",
            "donnerstags 19–21 Uhr",
            False,
        ),
        (
            "Familienfrühstück",
            "Gemeinsames Frühstück für Familien aus dem Quartier.",
            G.FAMILIES,
            None,
            None,
            "Deutsch, Russisch",
            "",
            "sonntags 10–12 Uhr (monatlich)",
            False,
        ),
    ],
    "Seniorentreff Heide": [
        (
            "Generationen-Werkstatt",
            "Ältere und Kinder reparieren und bauen zusammen.",
            G.INTERGENERATIONAL,
            8,
            14,
            DE,
            "",
            "samstags 10–13 Uhr",
            False,
        ),
    ],
    "Nachbarschaftshilfe Heide e.V.": [
        (
            "Familienpatenschaften",
            "Ehrenamtliche Patinnen und Paten begleiten Familien im Alltag.",
            G.FAMILIES,
            0,
            10,
            "Deutsch, Polnisch",
            "",
            "nach Absprache",
            False,
        ),
    ],
    "Kita Am Mühlenteich": [
        (
            "Sprachförderung „Kleine Entdecker“",
            "Spielerische Sprachförderung vor der Einschulung.",
            G.CHILDREN,
            4,
            6,
            "Deutsch, Arabisch",
            "",
            "täglich in der Kita",
            True,
        ),
    ],
    "Gemeinschaftsschule Mühlenteich": [
        (
            "Schulsozialarbeit Mühlenteich",
            "Beratung für Schülerinnen, Schüler und Eltern.",
            G.YOUTH,
            10,
            18,
            "Deutsch, Türkisch",
            "",
            "Mo–Fr 8–14 Uhr",
            False,
        ),
    ],
    "Stadtbücherei Zweigstelle Nord": [
        (
            "Vorlesestunde",
            "Bilderbücher vorlesen und gemeinsam anschauen.",
            G.CHILDREN,
            3,
            8,
            "Deutsch, Arabisch, Ukrainisch",
            "",
            "mittwochs 16 Uhr",
            False,
        ),
        (
            "Lernort Bücherei",
            "Ruhige Lernplätze mit WLAN und Hilfe bei Bewerbungen.",
            G.YOUNG_ADULTS,
            16,
            27,
            DE,
            "",
            "während der Öffnungszeiten",
            False,
        ),
    ],
    "Jugendzentrum Mühle": [
        (
            "Mädchentag in der Mühle",
            "Ein Nachmittag nur für Mädchen: Tanz, Kreatives, Gespräche.",
            G.YOUTH,
            10,
            17,
            "Deutsch, Arabisch",
            "",
            "mittwochs 15–19 Uhr",
            False,
        ),
        (
            "Bandprojekt Mühle",
            "Proberaum und Coaching für junge Bands.",
            G.YOUTH,
            13,
            21,
            DE,
            "",
            "freitags 17–21 Uhr",
            False,
        ),
    ],
    "Ruderclub Teich e.V.": [
        (
            "Schnupperrudern",
            "Rudern auf dem Mühlenteich für Einsteiger.",
            G.YOUTH,
            10,
            18,
            DE,
            "10 € im Monat",
            "samstags 10–12 Uhr",
            False,
        ),
    ],
    "Erziehungsberatungsstelle Nord": [
        (
            "Erziehungsberatung",
            "Vertrauliche Beratung für Eltern, Kinder und Jugendliche.",
            G.FAMILIES,
            0,
            21,
            "Deutsch, Englisch, Türkisch",
            "",
            "nach Terminvereinbarung",
            False,
        ),
        (
            "Trennungs- und Scheidungsgruppe für Kinder",
            "Gruppe für Kinder, deren Eltern sich getrennt haben.",
            G.CHILDREN,
            6,
            12,
            DE,
            "",
            "dienstags 15–16.30 Uhr",
            True,
        ),
    ],
    "Katholische Gemeinde St. Marien": [
        (
            "Ferienfreizeit St. Marien",
            "Eine Woche Zeltlager in den Sommerferien.",
            G.CHILDREN,
            8,
            13,
            DE,
            "60 € (Zuschuss möglich)",
            "Sommerferien",
            False,
        ),
    ],
    "Lesepaten Lindenau": [
        (
            "Lesepatenschaft",
            "Eine Patin oder ein Pate liest einmal pro Woche mit einem Kind.",
            G.CHILDREN,
            6,
            10,
            DE,
            "",
            "nach Absprache",
            False,
        ),
    ],
    "Kita Altstadtspatzen": [
        (
            "Elterncafé Altstadtspatzen",
            "Austausch für Eltern, auch mit kleinen Geschwistern.",
            G.PARENTS,
            None,
            None,
            "Deutsch, Rumänisch",
            "",
            "montags 8–9.30 Uhr",
            False,
        ),
    ],
    "Grundschule am Markt": [
        (
            "Offene Ganztagsschule am Markt",
            "Betreuung, Essen und AGs nach dem Unterricht.",
            G.CHILDREN,
            6,
            10,
            DE,
            "nach Einkommen",
            "Mo–Fr bis 16 Uhr",
            False,
        ),
    ],
    "Stadtbücherei Lindenau": [
        (
            "Sprachcafé",
            "Deutsch sprechen üben in entspannter Runde.",
            G.EVERYONE,
            16,
            None,
            "Deutsch, Arabisch, Farsi, Ukrainisch",
            "",
            "donnerstags 17–18.30 Uhr",
            False,
        ),
        (
            "Gaming-Nachmittag",
            "Konsolen- und Brettspiele für Jugendliche.",
            G.YOUTH,
            12,
            17,
            DE,
            "",
            "samstags 13–16 Uhr",
            False,
        ),
    ],
    "Familienzentrum Altstadt": [
        (
            "Familienhebamme Sprechstunde",
            "Beratung rund um Schwangerschaft und das erste Lebensjahr.",
            G.FAMILIES,
            0,
            1,
            "Deutsch, Englisch",
            "",
            "dienstags 9–12 Uhr",
            False,
        ),
        (
            "Eltern-Kind-Gruppe",
            "Spielen, Singen und Austausch für Eltern mit Kleinkindern.",
            G.FAMILIES,
            1,
            3,
            DE,
            "",
            "donnerstags 9.30–11 Uhr",
            False,
        ),
    ],
    "Ev. Kirchengemeinde Lindenau-Altstadt": [
        (
            "Kinderchor Altstadt",
            "Singen für Kinder, Auftritte im Advent.",
            G.CHILDREN,
            6,
            12,
            DE,
            "",
            "freitags 16 Uhr",
            False,
        ),
    ],
    "Altentagesstätte Rosengasse": [
        (
            "Großeltern-Dienst",
            "Wahlgroßeltern für Familien ohne Großeltern in der Nähe.",
            G.INTERGENERATIONAL,
            0,
            12,
            DE,
            "",
            "nach Absprache",
            False,
        ),
    ],
    "Schuldner- und Familienberatung Altstadt": [
        (
            "Schuldnerberatung für Familien",
            "Hilfe bei Schulden, Anträgen und Haushaltsplanung.",
            G.FAMILIES,
            None,
            None,
            "Deutsch, Türkisch, Russisch",
            "",
            "nach Terminvereinbarung",
            False,
        ),
    ],
    "Turnverein Altstadt 1861": [
        (
            "Parkour für Jugendliche",
            "Springen, Klettern, Balancieren – sicher angeleitet.",
            G.YOUTH,
            12,
            18,
            DE,
            "6 € im Monat",
            "donnerstags 17–19 Uhr",
            False,
        ),
    ],
    "Kita Bahnhofskinder": [
        (
            "Rucksack-Elternprogramm",
            "Mehrsprachige Elternbildung zur Sprachförderung der Kinder.",
            G.PARENTS,
            3,
            6,
            "Deutsch, Türkisch, Arabisch",
            "",
            "dienstags 9–11 Uhr",
            False,
        ),
    ],
    "Theodor-Heuss-Schule": [
        (
            "Lerncoaching Theodor-Heuss-Schule",
            "Lernen lernen: Coaching in kleinen Gruppen.",
            G.YOUTH,
            12,
            16,
            DE,
            "",
            "Mo und Do 14–15.30 Uhr",
            True,
        ),
    ],
    "Jugendhaus Güterbahnhof": [
        (
            "Offene Tür Güterbahnhof",
            "Treffpunkt mit Billard, Musik und Beratung.",
            G.YOUTH,
            12,
            21,
            "Deutsch, Arabisch, Kurdisch",
            "",
            "Mo–Fr 14–21 Uhr",
            False,
        ),
        (
            "Bewerbungswerkstatt",
            "Lebenslauf, Anschreiben und Probe-Vorstellungsgespräch.",
            G.YOUNG_ADULTS,
            15,
            25,
            DE,
            "",
            "mittwochs 16–18 Uhr",
            False,
        ),
    ],
    "Interkulturelles Familienzentrum Bahnhofsviertel": [
        (
            "Internationales Elterncafé",
            "Eltern aus aller Welt treffen sich, Kinderbetreuung inklusive.",
            G.PARENTS,
            None,
            None,
            "Deutsch, Arabisch, Türkisch, Ukrainisch",
            "",
            "mittwochs 9–11 Uhr",
            False,
        ),
        (
            "Mutter-Kind-Deutschkurs",
            "Deutsch lernen mit Kinderbetreuung.",
            G.FAMILIES,
            0,
            6,
            "Deutsch, Arabisch, Farsi",
            "",
            "Mo und Mi 9–12 Uhr",
            False,
        ),
    ],
    "Migrationsberatung Bahnhofsviertel": [
        (
            "Jugendmigrationsdienst",
            "Beratung für junge Zugewanderte zu Schule, Ausbildung, Aufenthalt.",
            G.YOUNG_ADULTS,
            12,
            27,
            "Deutsch, Arabisch, Farsi, Englisch",
            "",
            "nach Terminvereinbarung",
            False,
        ),
    ],
    "Fußballverein Bahnhof 09": [
        (
            "Mitternachtsfußball",
            "Fußball in der Halle am Freitagabend, ohne Mitgliedschaft.",
            G.YOUTH,
            14,
            21,
            DE,
            "",
            "freitags 21–23 Uhr",
            False,
        ),
    ],
    "Elterninitiative Gleisweg": [
        (
            "Spielplatzpaten Gleisweg",
            "Eltern kümmern sich gemeinsam um den Spielplatz und feiern Feste.",
            G.FAMILIES,
            None,
            None,
            "Deutsch, Polnisch",
            "",
            "nach Absprache",
            False,
        ),
    ],
    "Begegnungszentrum der Moscheegemeinde": [
        (
            "Hausaufgabenhilfe im Begegnungszentrum",
            "Hilfe bei den Hausaufgaben in ruhigen Räumen.",
            G.CHILDREN,
            8,
            14,
            "Deutsch, Türkisch, Arabisch",
            "",
            "Mo–Do 15–17 Uhr",
            False,
        ),
    ],
    "Tafel Lindenau-Süd": [
        (
            "Kinder-Tafel",
            "Frisches Frühstück und Schulmaterial für Kinder.",
            G.CHILDREN,
            6,
            14,
            DE,
            "",
            "samstags 9–11 Uhr",
            False,
        ),
    ],
}

# (provider short name, Sozialraum, title, description, target group, from, to, languages,
#  schedule, referral needed)
PROVIDER_OFFERS = [
    (
        "KJH Lindenau",
        "N1",
        "Soziale Gruppe für Jungen",
        "Gruppenangebot in der Heide nach Absprache mit dem ASD.",
        G.CHILDREN,
        8,
        12,
        DE,
        "dienstags 15–17 Uhr",
        True,
    ),
    (
        "AWO Lindenau",
        "N2",
        "Elternkurs „Starke Eltern – starke Kinder“",
        "Zehn Abende zur Erziehung ohne Gewalt.",
        G.PARENTS,
        None,
        None,
        "Deutsch, Türkisch",
        "montags 19–21 Uhr",
        False,
    ),
    (
        "Diakonie Süd",
        "S1",
        "Familienrat-Koordination",
        "Eine neutrale Koordinatorin bereitet mit der Familie einen Familienrat vor.",
        G.FAMILIES,
        None,
        None,
        "Deutsch, Englisch",
        "nach Absprache",
        True,
    ),
    (
        "Sprungbrett",
        "S2",
        "Übergang Schule–Beruf: Coaching",
        "Einzelcoaching für junge Menschen ohne Ausbildungsplatz.",
        G.YOUNG_ADULTS,
        15,
        24,
        "Deutsch, Arabisch",
        "nach Terminvereinbarung",
        False,
    ),
]


# (agenda, minutes) of the quarterly Sozialraumkonferenzen of the last two years.
QUARTERLY = [
    (
        "1. Neues aus den Einrichtungen\n2. Ferienangebote\n3. Verschiedenes",
        "Die Einrichtungen stellen ihre Ferienangebote vor; eine gemeinsame Übersicht folgt.",
    ),
    (
        "1. Übergang Kita–Schule\n2. Sprachförderung",
        "Kitas und Grundschule vereinbaren gemeinsame Elternabende vor der Einschulung.",
    ),
    (
        "1. Jugendliche im öffentlichen Raum\n2. Treffpunkte am Abend",
        "Jugendliche wünschen sich überdachte Treffpunkte; die Stadtteilrunde prüft Orte.",
    ),
    (
        "1. Familien in Armut\n2. Bildung und Teilhabe",
        "Die Beratungsstellen erklären die Anträge; ein Infoblatt in mehreren Sprachen entsteht.",
    ),
]


@transaction.atomic
def demo_build() -> None:
    """Add the network to the demo town (once; later runs change nothing)."""
    if not Sozialraum.objects.filter(code="N1").exists():
        return  # the ground floor's demo is not there (it always is under `demo_town`)
    if not Sozialraum.objects.filter(boundary__isnull=False).exists():
        boundaries_import(data=BOUNDARIES.read_bytes())
    if Partner.objects.filter(name=PARTNERS[0][1]).exists():
        return
    partners = _build_partners()
    _build_offers(partners)
    _build_conferences(partners)


def _build_partners() -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    counters: dict[str, int] = {}
    for code, name, kind, street, number, postcode, contact, accessible in PARTNERS:
        index = counters.get(code, 0)
        counters[code] = index + 1
        lon, lat = CENTRES[code]
        d_lon, d_lat = _OFFSETS[index % len(_OFFSETS)]
        partner = partner_save(
            data={
                "name": name,
                "partner_type": kind,
                "street": street,
                "house_number": number,
                "postcode": postcode,
                "city": "Lindenau",
                "contact_person": contact,
                "phone": f"04100 7{len(partners) + 10:03d}",
                "email": "",
                "reachability": "Bus 5, Haltestelle in der Nähe",
                "accessibility": accessible,
                "longitude": lon + Decimal(d_lon) / 1000,
                "latitude": lat + Decimal(d_lat) / 1000,
                "is_active": True,
            }
        )
        landed = partner.sozialraum.code if partner.sozialraum is not None else None
        if landed != code:
            raise RuntimeError(f"Demo partner {name} landed in {landed}.")
        partners[name] = partner
    return partners


def _build_offers(partners: dict[str, Partner]) -> None:
    for partner_name, offers in OFFERS.items():
        for title, text, group, age_min, age_max, languages, fee, schedule, referral in offers:
            offer_save(
                data={
                    "partner": partners[partner_name],
                    "title": title,
                    "description": text,
                    "target_group": group,
                    "age_min": age_min,
                    "age_max": age_max,
                    "languages": languages,
                    "is_free": not fee,
                    "fee_note": fee,
                    "schedule": schedule,
                    "referral_required": referral,
                }
            )
    for (
        short,
        code,
        title,
        text,
        group,
        age_min,
        age_max,
        languages,
        schedule,
        referral,
    ) in PROVIDER_OFFERS:
        provider = Provider.objects.filter(short_name=short).first()
        if provider is None:
            continue
        offer_save(
            data={
                "provider": provider,
                "sozialraum": Sozialraum.objects.valid_on(timezone.localdate()).get(code=code),
                "title": title,
                "description": text,
                "target_group": group,
                "age_min": age_min,
                "age_max": age_max,
                "languages": languages,
                "is_free": True,
                "schedule": schedule,
                "referral_required": referral,
            }
        )


def _build_conferences(partners: dict[str, Partner]) -> None:
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.all()}
    current = {s.code: s for s in Sozialraum.objects.valid_on(today)}

    def day(offset: int) -> datetime.date:
        return today + datetime.timedelta(days=offset)

    def in_area(code: str) -> list[Partner]:
        return [p for p in partners.values() if p.sozialraum_id == current[code].pk]

    def conference(offset, title, *, code=None, region=None, agenda="", minutes="", staff=()):
        area_partners = in_area(code) if code else []
        people = [users[name] for name in staff if name in users]
        return conference_save(
            data={
                "date": day(offset),
                "title": title,
                "sozialraum": current[code] if code else None,
                "region": Region.objects.get(code=region) if region else None,
                "agenda": agenda,
                "minutes": minutes if offset < 0 else "",
            },
            relations={
                "invited_partners": area_partners,
                "present_partners": area_partners[::2] if offset < 0 else [],
                "invited_staff": people,
                "present_staff": people if offset < 0 else [],
                "invited_providers": Provider.objects.filter(
                    short_name__in=["KJH Lindenau", "AWO Lindenau"]
                    if (code or region or "").startswith("N")
                    else ["Diakonie Süd", "Caritas", "Sprungbrett"]
                ),
            },
        )

    # Every Sozialraum meets once a quarter: the last two years' conferences, with minutes.
    for code in sorted(current):
        staff = ["asd-nord", "leitung-nord", "traeger-a"] if code[0] == "N" else ["asd-sued"]
        for quarter in range(1, 9):
            agenda, minutes = QUARTERLY[(quarter + int(code[1])) % len(QUARTERLY)]
            conference(
                -quarter * 91 + (7 if code[1] == "2" else 0),
                "Sozialraumkonferenz",
                code=code,
                agenda=agenda,
                minutes=minutes,
                staff=staff,
            )
    north = conference(
        -42,
        "Sozialraumkonferenz",
        code="N1",
        agenda="1. Rückblick Sommerferien\n2. Angebote für Jugendliche am Abend\n3. Verschiedenes",
        minutes="Jugendliche wünschen sich einen Treffpunkt am Freitagabend. "
        "Die Kirchengemeinde bietet Räume an.",
        staff=["asd-nord", "leitung-nord", "traeger-a"],
    )
    _agreement(
        north, "Raumnutzung Gemeindehaus für Freitagabend klären", "asd-nord", day(14), users
    )
    _agreement(
        north, "Konzept Freitagstreff mit dem Jugendtreff abstimmen", "traeger-a", day(21), users
    )
    done = _agreement(north, "Ferienangebote im Stadtteil sammeln", "leitung-nord", day(-20), users)
    if done:
        agreement_complete(agreement=done, on=day(-25))
    mill = conference(
        -21,
        "Sozialraumkonferenz",
        code="N2",
        agenda="1. Schulsozialarbeit\n2. Sprachförderung in den Kitas",
        minutes="Die Wartezeit in der Erziehungsberatung ist gestiegen.",
        staff=["asd-nord", "leitung-nord"],
    )
    _agreement(
        mill,
        "Wartezeiten der Beratungsstelle im Team Nord vorstellen",
        "leitung-nord",
        day(-3),
        users,
    )
    south = conference(
        -35,
        "Regionalkonferenz",
        region="S",
        agenda="1. Budget und Projekte im Süden\n2. Familienrat",
        minutes="Der Familienrat soll bekannter werden.",
        staff=["asd-sued", "traeger-b"],
    )
    _agreement(
        south, "Infoabend Familienrat für Partner im Süden planen", "traeger-b", day(30), users
    )
    conference(
        28,
        "Sozialraumkonferenz",
        code="N1",
        agenda="1. Freitagstreff: Stand\n2. Neue Partner",
        staff=["asd-nord", "leitung-nord", "traeger-a"],
    )
    conference(
        45, "Sozialraumkonferenz", code="S2", agenda="1. Jugendliche am Bahnhof", staff=["asd-sued"]
    )


def _agreement(
    conference: Conference, text: str, owner: str, due, users
) -> ConferenceAgreement | None:
    if owner not in users:
        return None
    return agreement_add(conference=conference, text=text, owner=users[owner], due_on=due)
