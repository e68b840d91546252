"""The demo town's everyday work: a few hundred cases over the last two years, with their money.

The showcase cases (`cases/demo.py`) tell one story each; this module adds the many ordinary
ones that make the figures real: the committee report, the Sozialraum and region pages and the
budget forecasts. Everything is invented (names are drawn from common first and last names) and
built through the services a person would use: intake, clarification, the help decision,
commissioning a Träger with its commitment, help plan reviews, § 8a assessments, notes, payments,
the end of a help and of the case. Dates are relative to today; `random.Random(SEED)` makes two
builds on the same day alike. Built once, by `budgets.demo`, after both fiscal years are opened,
so that commissioning binds money as it does in the portal.

Two things the services cannot do for a history, done here by the ORM: a case's close date is
set back to the day it really ended (the service closes on today), and nothing else.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from budgets.commissioning import assignment_commission, case_transition, help_end
from budgets.models import Budget, Commitment
from budgets.services import commitment_book, commitment_cost, payment_book
from cases import services as casework
from cases.models import (
    AcknowledgementRole,
    Assignment,
    Case,
    CaseKind,
    CaseStatus,
    ConcernChannel,
    ConcernSource,
    EndReason,
    Help,
    HelpType,
    NoteKind,
    PersonRole,
    PlacementLocation,
    ResourceKind,
    RiskLevel,
    StepOwner,
)
from cases.protection import (
    ConcernInput,
    ResultInput,
    risk_acknowledge,
    risk_report,
    safety_measure_add,
    safety_plan_update,
)
from cases.selectors import open_reviews
from cases.services import PersonInput, ResourceInput
from network.models import Partner
from sozialraum.demo import NORTH, REGION_PROVIDERS, SOUTH, town_staff_ensure
from sozialraum.models import Provider, Role, Sozialraum, User

SEED = 2412
DAYS = 730  # "the last two years": the town's cases were taken in over these days up to today
D = datetime.timedelta

# Where the families live: Sozialraum → [(street, postcode, lowest, highest house number, step)].
STREETS: dict[str, list[tuple[str, str, int, int, int]]] = {
    "N1": [
        ("Heideweg", NORTH, 1, 60, 1),
        ("Birkenallee", NORTH, 1, 45, 1),
        ("Am Sportplatz", NORTH, 1, 20, 1),
        ("Kiefernweg", NORTH, 1, 30, 1),
        ("Schulstraße", NORTH, 1, 48, 1),
    ],
    "N2": [
        ("Mühlenweg", NORTH, 1, 70, 1),
        ("Teichstraße", NORTH, 1, 25, 1),
        ("Am Mühlenteich", NORTH, 1, 40, 1),
        ("Eichendorffstraße", NORTH, 1, 35, 1),
        ("Lange Straße", NORTH, 1, 120, 1),
    ],
    "S1": [
        ("Marktstraße", SOUTH, 1, 40, 1),
        ("Kirchplatz", SOUTH, 1, 12, 1),
        ("Rosengasse", SOUTH, 1, 30, 1),
        ("Hauptstraße", SOUTH, 1, 99, 2),  # odd numbers: Altstadt
        ("Lange Straße", SOUTH, 121, 200, 1),
    ],
    "S2": [
        ("Gleisweg", SOUTH, 1, 50, 1),
        ("Am Güterbahnhof", SOUTH, 1, 20, 1),
        ("Theodor-Heuss-Straße", SOUTH, 1, 80, 1),
        ("Hauptstraße", SOUTH, 2, 100, 2),  # even numbers: Bahnhofsviertel
    ],
}
# Cases per Sozialraum follow the number of minors living there.
WEIGHTS = {"N1": 22, "N2": 16, "S1": 20, "S2": 25}

GIRLS = [
    "Mia",
    "Emma",
    "Hannah",
    "Lea",
    "Lina",
    "Mila",
    "Zoe",
    "Amelie",
    "Leonie",
    "Sofia",
    "Elif",
    "Defne",
    "Zeynep",
    "Aylin",
    "Maja",
    "Ida",
    "Ella",
    "Lotta",
    "Nele",
    "Paula",
    "Jasmin",
    "Selin",
    "Lara",
    "Marie",
    "Alina",
    "Mira",
    "Nora",
    "Yasmin",
    "Hira",
    "Oksana",
]
BOYS = [
    "Ben",
    "Paul",
    "Leon",
    "Finn",
    "Noah",
    "Elias",
    "Luis",
    "Felix",
    "Jonas",
    "Emil",
    "Henry",
    "Anton",
    "Yusuf",
    "Emir",
    "Mehmet",
    "Can",
    "Omar",
    "Milan",
    "Luca",
    "Tim",
    "Niklas",
    "Jannik",
    "Mats",
    "Ole",
    "Hamza",
    "Deniz",
    "Artem",
    "Karim",
    "Malte",
    "Jakob",
]
WOMEN = [
    "Sandra",
    "Nicole",
    "Stefanie",
    "Melanie",
    "Katrin",
    "Sabrina",
    "Tanja",
    "Jessica",
    "Christina",
    "Anja",
    "Ayşe",
    "Fatma",
    "Emine",
    "Olga",
    "Svetlana",
    "Agnieszka",
    "Monika",
    "Daniela",
    "Claudia",
    "Nadine",
    "Sevgi",
    "Rania",
    "Ewa",
    "Bianca",
]
MEN = [
    "Michael",
    "Thomas",
    "Andreas",
    "Stefan",
    "Christian",
    "Markus",
    "Sven",
    "Dennis",
    "Marco",
    "Patrick",
    "Mustafa",
    "Ali",
    "Hüseyin",
    "Sergej",
    "Piotr",
    "Dariusz",
    "Jens",
    "Kai",
    "Dirk",
    "Ahmad",
    "Murat",
    "Tobias",
    "Frank",
    "Oliver",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Meyer",
    "Weber",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Maier",
    "Peters",
    "Jansen",
    "Möller",
    "Petersen",
    "Hansen",
    "Sievers",
    "Thiel",
    "Voß",
    "Kaya",
    "Yıldız",
    "Öztürk",
    "Şahin",
    "Arslan",
    "Doğan",
    "Nowak",
    "Kowalski",
    "Wiśniewska",
    "Iwanow",
    "Petrow",
    "Haddad",
    "Rahimi",
    "Nikolić",
    "Popescu",
    "Ahmadi",
]

# A family's situation: (label, age range of the children, concerns, wills, goals, help types with
# weights). The words are the family's own, as the intake records them.
Theme = tuple[str, tuple[int, int], list[str], list[str], list[str], list[tuple[str, int]]]
THEMES: list[Theme] = [
    (
        "Alltag",
        (2, 11),
        [
            "Morgens klappt nichts, die Kinder kommen zu spät und ich bin schon um acht erschöpft.",
            "Seit dem Umzug wächst mir der Haushalt über den Kopf. Wir brauchen wieder einen "
            "Rhythmus.",
            "Wir streiten uns jeden Abend ums Zubettgehen. So kann es nicht weitergehen.",
            "Ich bin allein mit drei Kindern und schaffe die Termine nicht mehr.",
        ],
        [
            "Ich will, dass unser Tag wieder eine feste Ordnung hat.",
            "Wir wollen ruhiger miteinander umgehen, ohne Schreien.",
            "Ich möchte es selbst schaffen, aber eine Zeit lang mit Unterstützung.",
        ],
        [
            "Es gibt feste Essens- und Schlafenszeiten.",
            "Die Kinder sind pünktlich in Kita und Schule.",
            "Die Mutter hat einen Abend in der Woche für sich.",
            "Die Familie nutzt ein Angebot im Stadtteil.",
        ],
        [("31", 10), ("SR-flex", 6), ("27-2", 4)],
    ),
    (
        "Schule",
        (8, 15),
        [
            "Unser Sohn geht kaum noch zur Schule, und wir kommen nicht mehr an ihn heran.",
            "Die Schule ruft ständig an. Wir wissen nicht, was wir noch tun sollen.",
            "Unsere Tochter hat Angst vor der Schule und bleibt morgens im Bett.",
        ],
        [
            "Wir wollen, dass er den Abschluss schafft.",
            "Ich will wieder gern in die Schule gehen.",
            "Wir wollen mit der Schule an einem Strang ziehen.",
        ],
        [
            "Das Kind geht an allen Schultagen zur Schule.",
            "Es gibt einen festen Platz und eine feste Zeit für die Hausaufgaben.",
            "Eltern und Schule treffen sich einmal im Monat.",
        ],
        [("30", 8), ("SR-flex", 4), ("35a-amb", 4)],
    ),
    (
        "Trennung",
        (3, 13),
        [
            "Seit der Trennung streiten wir vor den Kindern. Das wollen wir nicht mehr.",
            "Die Kinder wollen nicht mehr zum Vater, und wir wissen nicht, wie es weitergeht.",
        ],
        [
            "Wir wollen als Eltern wieder miteinander reden können, auch wenn wir kein Paar "
            "mehr sind.",
            "Die Kinder sollen beide Eltern behalten.",
        ],
        [
            "Es gibt eine verlässliche Umgangsregelung.",
            "Die Eltern besprechen Schulfragen ohne Streit.",
        ],
        [("28", 6), ("31", 4)],
    ),
    (
        "Jugend",
        (13, 17),
        [
            "Unser Sohn ist nachts unterwegs und sagt uns nicht, wo.",
            "Es gibt nur noch Streit. Sie will ausziehen.",
            "Er hat Ärger mit der Polizei bekommen, und wir haben Angst, dass es schlimmer wird.",
        ],
        [
            "Ich will meine eigenen Entscheidungen treffen, aber nicht alles allein machen.",
            "Wir wollen, dass er einen Weg findet, ohne dass wir ihn verlieren.",
            "Ich will eine Ausbildung anfangen.",
        ],
        [
            "Der Jugendliche hat einen Praktikumsplatz.",
            "Es gibt Absprachen über die Zeiten am Abend, die alle einhalten.",
            "Der Jugendliche hat einen festen Ansprechpartner außerhalb der Familie.",
        ],
        [("30", 5), ("35", 2), ("34", 6)],
    ),
    (
        "Schutz",
        (0, 12),
        [
            "Die Kita macht sich Sorgen, und ich weiß selbst, dass es gerade nicht gut läuft.",
            "Ich schaffe es zurzeit nicht, gut für die Kinder zu sorgen.",
        ],
        [
            "Ich will, dass die Kinder bei mir bleiben können.",
            "Ich will Hilfe annehmen, damit es den Kindern wieder gut geht.",
        ],
        [
            "Die Kinder sind versorgt und gehen regelmäßig in die Kita.",
            "Die Mutter nimmt die Termine bei der Beratungsstelle wahr.",
        ],
        [("31", 3), ("33", 5), ("34", 4)],
    ),
    (
        "Junge Volljährige",
        (18, 20),
        [
            "Ich bin gerade 18 geworden und habe keine Wohnung und keinen Plan.",
            "Nach der Wohngruppe will ich allein wohnen, weiß aber nicht, wie.",
        ],
        [
            "Ich will meine eigene Wohnung und meine Ausbildung schaffen.",
            "Ich will mit meinem Geld auskommen.",
        ],
        [
            "Eine eigene Wohnung ist gefunden.",
            "Die Ausbildung läuft im zweiten Jahr.",
        ],
        [("41", 1)],
    ),
]
THEME_WEIGHTS = [28, 22, 12, 16, 14, 8]
RESOURCES = {
    ResourceKind.PERSONAL: [
        "Das Kind spielt gern Fußball und ist im Verein beliebt.",
        "Die Mutter ist gut organisiert, wenn sie ausgeschlafen ist.",
        "Der Jugendliche repariert gern Fahrräder.",
        "Das Kind malt viel und zeigt seine Bilder gern.",
        "Der Vater kocht gern und bringt den Kindern das Kochen bei.",
        "Die Tochter kümmert sich liebevoll um ihre kleinen Geschwister.",
    ],
    ResourceKind.SOCIAL: [
        "Die Großmutter wohnt in der Nähe und holt die Kinder zweimal die Woche ab.",
        "Eine Nachbarin passt manchmal auf die Kinder auf.",
        "Der Onkel nimmt den Jugendlichen am Wochenende mit in seine Werkstatt.",
        "Eine Freundin der Mutter begleitet sie zu Terminen.",
        "Die Patentante unternimmt regelmäßig etwas mit den Kindern.",
    ],
}
ASD_NOTES = [
    "Erstgespräch mit der Familie geführt; Anliegen und Wille aufgenommen.",
    "Telefonat mit der Klassenlehrerin; die Schule unterstützt die Ziele der Familie.",
    "Hausbesuch: die Familie hat eigene Ideen eingebracht.",
    "Rücksprache mit der Kita; die Beobachtungen decken sich mit denen der Familie.",
]
PROGRESS_NOTES = [
    "Die Familie hält die Termine ein; der Wochenplan hängt am Kühlschrank.",
    "Erster Hausbesuch: die Familie war offen und hat eigene Ideen eingebracht.",
    "Gemeinsam den Weg zum Angebot im Stadtteil ausprobiert.",
    "Die Eltern haben einen Elternabend selbst vorbereitet und besucht.",
]
RISK_FACTS = {
    RiskLevel.NONE: "Hinweis der Schule geprüft; die Versorgung der Kinder ist gesichert.",
    RiskLevel.LATENT: (
        "Wiederholt unentschuldigtes Fehlen und ungeklärte Verletzungen; Schutzplan vereinbart."
    ),
    RiskLevel.ACUTE: (
        "Bei einem Hausbesuch waren die Kinder allein; die Mutter war nicht erreichbar."
    ),
}
SAFETY_MEASURES = (
    "Die Kinder gehen täglich in die Kita; die Kita meldet Fehltage am selben Tag.",
    "Wöchentlicher Hausbesuch des Trägers, auch unangekündigt.",
    "Die Mutter nimmt die Termine der Suchtberatung wahr.",
    "Die Großmutter übernimmt die Betreuung an den Abenden.",
)
REVIEW_SUMMARIES = (
    "Ziele teilweise erreicht; die Hilfe läuft weiter.",
    "Die Familie setzt die vereinbarten Schritte um; neue Ziele vereinbart.",
    "Fortschritte in der Schule; der Umfang der Hilfe bleibt.",
)
END_REASONS = [
    (EndReason.GOALS_REACHED, 55),
    (EndReason.ENDED_BY_FAMILY, 20),
    (EndReason.ENDED_BY_OFFICE, 10),
    (EndReason.TRANSFERRED, 10),
    (EndReason.OTHER, 5),
]
# What happened to a case, with its share: see `_family_build`.
STORIES = [
    ("intake", 4),
    ("clarification", 6),
    ("decided", 2),
    ("no_help", 2),
    ("closed_at_intake", 3),
    ("closed_no_help", 8),
    ("running", 40),
    ("closed", 35),
]
# Rare helps, so that the committee report still has a small count to protect: (help type,
# Sozialraum) of a running help each, added to the town's cases.
RARE = [("42", "S2"), ("35a-stat", "N1")]
PLACEMENT_COST = {
    "33": (1150, 1650),
    "34": (4900, 6800),
    "35a-stat": (6400, 7200),
    "41-stat": (3900, 4600),
    "42": (5200, 5600),
}
LOCATIONS = [
    (PlacementLocation.SOZIALRAUM, 30),
    (PlacementLocation.REGION, 30),
    (PlacementLocation.TOWN, 20),
    (PlacementLocation.OUTSIDE, 20),
]
# (kind, titles, target groups, goals): the town's cross-case and case-independent work.
PROJECT_KINDS = [
    (
        CaseKind.CROSS_CASE,
        [
            "Gruppe für Alleinerziehende",
            "Elternkurs „Gelassen erziehen“",
            "Soziale Gruppe für Mädchen",
            "Väter-Kind-Treff",
            "Hausaufgabengruppe",
            "Trennungskinder-Gruppe",
            "Mutter-Kind-Deutschkurs mit Kinderbetreuung",
        ],
        "Familien mit gemeinsamem Bedarf aus mehreren Fällen",
        "Austausch, gegenseitige Entlastung, Kontakte im Quartier.",
    ),
    (
        CaseKind.CASE_INDEPENDENT,
        [
            "Stadtteilfest",
            "Spielplatzbeteiligung",
            "Offener Treff am Freitagabend",
            "Sozialraumerkundung mit Jugendlichen",
            "Runder Tisch Kinderschutz",
            "Ferienprogramm im Quartier",
            "Nachbarschaftscafé",
        ],
        "Familien und Jugendliche im Quartier",
        "Orte der Begegnung schaffen und Angebote des Sozialraums bekannt machen.",
    ),
]
PROJECTS_PER_KIND = 6  # per Sozialraum and kind over the two years


@dataclass
class _Town:
    today: datetime.date
    rng: random.Random
    sozialraeume: dict[str, Sozialraum]
    caseworkers: dict[str, list[User]]  # region code → the town's caseworkers
    provider_staff: dict[int, User]  # provider id → its colleague who writes progress notes
    providers: dict[str, list[Provider]]  # region code → providers working there
    partners: dict[int, list[Partner]]  # Sozialraum id → its partners
    help_types: dict[str, HelpType]
    team_leads: dict[str, User]  # region code → the team lead who acknowledges § 8a results


def town_build(*, today: datetime.date, cases: int) -> None:
    """Add `cases` individual cases and the Sozialräume's projects over the last two years.

    Expects the demo accounts, providers, network and both fiscal years to be there.
    """
    if cases <= 0:
        return
    staff = town_staff_ensure()
    current = {s.code: s for s in Sozialraum.objects.valid_on(today).select_related("region")}
    town = _Town(
        today=today,
        rng=random.Random(SEED),  # noqa: S311 - invented data, not secrets
        sozialraeume=current,
        caseworkers={
            region: [
                u
                for u in staff.values()
                if u.role == Role.CASEWORKER and u.asd_team and u.asd_team.region.code == region
            ]
            for region in ("N", "S")
        },
        provider_staff={u.provider_id: u for u in staff.values() if u.provider_id},
        providers={
            region: list(
                Provider.objects.filter(short_name__in=[name for name, _ in entries]).order_by(
                    "short_name"
                )
            )
            for region, entries in REGION_PROVIDERS.items()
        },
        partners={
            s.pk: list(Partner.objects.filter(sozialraum=s, is_active=True).order_by("pk"))
            for s in current.values()
        },
        help_types={t.code: t for t in HelpType.objects.all()},
        team_leads={
            "N": User.objects.get(username="leitung-nord"),
            "S": staff["leitung-sued"],
        },
    )
    plan = _plan(town, cases)
    for code, story, opened_on, forced_type in sorted(plan, key=lambda p: (p[2], p[0])):
        with transaction.atomic():
            _family_build(town, code, story, opened_on, forced_type)
    for code in sorted(current):
        for kind, titles, target, goals in PROJECT_KINDS:
            for index in range(PROJECTS_PER_KIND):
                _project_build(town, code, kind, titles[index % len(titles)], target, goals, index)


Planned = tuple[str, str, datetime.date, str | None]


def _plan(town: _Town, cases: int) -> list[Planned]:
    """(Sozialraum code, story, intake day, forced help type) of every family, drawn up front."""
    rng, today = town.rng, town.today
    codes = list(WEIGHTS)
    stories, weights = zip(*STORIES, strict=True)
    plan: list[Planned] = []
    for _ in range(cases - len(RARE)):
        code = rng.choices(codes, weights=[WEIGHTS[c] for c in codes])[0]
        story = rng.choices(stories, weights=weights)[0]
        plan.append((code, story, today - D(days=_age(rng, story)), None))
    for help_code, code in RARE:
        plan.append((code, "running", today - D(days=rng.randint(40, 200)), help_code))
    return plan


def _age(rng: random.Random, story: str) -> int:
    """How many days ago a family of this story came to the ASD."""
    if story == "intake":
        return rng.randint(0, 20)
    if story in ("clarification", "decided", "no_help"):
        return rng.randint(10, 60)
    if story == "closed":
        return rng.randint(150, DAYS - 1)
    return rng.randint(25, DAYS - 1)


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _birth(rng: random.Random, today: datetime.date, age: int) -> datetime.date:
    return today - D(days=age * 365 + rng.randint(0, 364))


def _persons(rng: random.Random, today: datetime.date, ages: tuple[int, int]) -> list[PersonInput]:
    last = rng.choice(LAST_NAMES)
    children = 1 if ages[0] >= 13 else rng.choice((1, 1, 2, 2, 3))
    persons = []
    for _ in range(children):
        first = rng.choice(GIRLS if rng.random() < 0.5 else BOYS)
        persons.append(
            PersonInput(
                role=PersonRole.CHILD,
                first_name=first,
                last_name=last,
                birth_date=_birth(rng, today, rng.randint(*ages)),
            )
        )
    if ages[0] < 18:
        persons.append(
            PersonInput(
                role=PersonRole.GUARDIAN,
                first_name=rng.choice(WOMEN),
                last_name=last,
                relation="Mutter",
            )
        )
        if rng.random() < 0.45:
            persons.append(
                PersonInput(
                    role=PersonRole.GUARDIAN,
                    first_name=rng.choice(MEN),
                    last_name=last,
                    relation="Vater",
                )
            )
        if rng.random() < 0.15:
            persons.append(
                PersonInput(
                    role=PersonRole.OTHER,
                    first_name=rng.choice(WOMEN),
                    last_name=rng.choice(LAST_NAMES),
                    relation="Großmutter",
                )
            )
    return persons


def _theme_for(rng: random.Random, help_code: str | None) -> Theme:
    if help_code is None:
        return rng.choices(THEMES, weights=THEME_WEIGHTS)[0]
    # A rare help is a family in need of protection (§ 42) or a child with a disability (§ 35a).
    return THEMES[4] if help_code == "42" else THEMES[1]


def _family_build(
    town: _Town, code: str, story: str, opened_on: datetime.date, forced_type: str | None
) -> None:
    rng, today = town.rng, town.today
    sozialraum = town.sozialraeume[code]
    region = sozialraum.region.code
    steering = rng.choice(town.caseworkers[region])
    _label, ages, concerns, wills, goals, help_types = _theme_for(rng, forced_type)
    street, postcode, low, high, step = rng.choice(STREETS[code])
    resources = [
        ResourceInput(kind=kind, description=rng.choice(texts))
        for kind, texts in RESOURCES.items()
        if rng.random() < 0.7
    ]
    partners = town.partners[sozialraum.pk]
    if partners and rng.random() < 0.5:
        partner = rng.choice(partners)
        resources.append(
            ResourceInput(
                kind=ResourceKind.SOZIALRAUM,
                description=f"{partner.name} ist der Familie bekannt und gut erreichbar.",
                partner=partner,
            )
        )
    case = casework.case_intake(
        user=steering,
        sozialraum=sozialraum,
        steering_caseworker=steering,
        opened_on=opened_on,
        street=street,
        house_number=str(rng.randrange(low, high + 1, step)),
        postcode=postcode,
        concern=rng.choice(concerns),
        will="" if story == "intake" and rng.random() < 0.5 else rng.choice(wills),
        persons=_persons(rng, today, ages),
        resources=resources,
        goals=rng.sample(goals, k=min(len(goals), rng.choice((1, 2, 2)))),
    )
    if story == "intake":
        return
    if story == "closed_at_intake":
        # Another office is responsible: the family moved away before the first talk.
        case_transition(
            user=steering,
            case=case,
            to_status=CaseStatus.CLOSED,
            end_reason=EndReason.TRANSFERRED,
            reason="Familie ist verzogen; Abgabe an das zuständige Jugendamt",
        )
        _closed_on(case, min(today, opened_on + D(days=rng.randint(3, 20))))
        return
    case = case_transition(
        user=steering,
        case=case,
        to_status=CaseStatus.CLARIFICATION,
        reason="Erstgespräch mit der Familie",
    )
    casework.note_add(
        user=steering, case=case, text=rng.choice(ASD_NOTES), internal=rng.random() < 0.5
    )
    if story == "clarification":
        return
    if story in ("no_help", "closed_no_help"):
        case = case_transition(
            user=steering, case=case, to_status=CaseStatus.NO_HELP, reason="Beratung genügte"
        )
        if story == "closed_no_help":
            case_transition(
                user=steering,
                case=case,
                to_status=CaseStatus.CLOSED,
                end_reason=EndReason.NO_HELP_NEEDED,
                reason="Die Familie hat mit der Beratung selbst eine Lösung gefunden",
            )
            _closed_on(case, min(today, opened_on + D(days=rng.randint(14, 60))))
        return
    help_code = forced_type or _pick(rng, help_types)
    help_type = town.help_types[help_code]
    starts_on = opened_on + D(days=rng.randint(14, 45))
    if story == "decided":
        starts_on = max(starts_on, today + D(days=rng.randint(5, 20)))
    else:
        starts_on = min(starts_on, today - D(days=rng.randint(1, 10)))
    months = rng.choice((6, 9, 12, 12, 18, 24))
    planned_end_on = casework.add_months(starts_on, months)
    ended_on = None
    if story == "closed":
        ended_on = min(
            today - D(days=rng.randint(3, 30)), starts_on + D(days=rng.randint(90, 30 * months))
        )
        ended_on = max(ended_on, starts_on + D(days=30))
    elif story == "running" and planned_end_on <= today + D(days=14):
        planned_end_on = today + D(days=rng.randint(30, 240))
    placement = help_type.is_placement
    low_cost, high_cost = PLACEMENT_COST.get(help_code, (0, 0))
    help_ = casework.help_decide(
        user=steering,
        case=case,
        help_type=help_type,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        hours_per_week=None if placement else Decimal(rng.choice((2, 3, 4, 4, 5, 6, 8))),
        monthly_cost=Decimal(rng.randint(low_cost, high_cost)) if placement else None,
        placement_location=_pick(rng, LOCATIONS) if placement else "",
        rationale="Im Gespräch mit der Familie entschieden; die Familie will diese Hilfe.",
    )
    if story == "decided":
        return
    provider = rng.choice(town.providers[region])
    colleague = town.provider_staff.get(provider.pk)

    def commission(by: User, override_reason: str = "") -> Assignment:
        return assignment_commission(
            user=by,
            help_=help_,
            provider=provider,
            starts_on=starts_on,
            ends_on=planned_end_on,
            provider_contact=colleague.get_full_name() if colleague else "",
            instructions="Mit der Familie an ihren Zielen arbeiten; Bericht zum Hilfeplangespräch.",
            override_reason=override_reason,
        ).assignment

    try:
        with transaction.atomic():
            assignment = commission(steering)
    except ValidationError:
        # More than is free in the region's budget: the team lead commissions it with a reason,
        # as the portal lets her (and the forecast then warns).
        assignment = commission(
            town.team_leads[region], "Dringende Hilfe; Ausgleich aus dem Vorwegabzug beantragt."
        )
    if colleague:
        casework.note_add(
            user=colleague,
            case=case,
            assignment=assignment,
            kind=NoteKind.PROGRESS,
            text=rng.choice(PROGRESS_NOTES),
        )
    goal = case.goals.first()
    if goal and story == "running":
        casework.action_step_add(
            user=steering,
            goal=goal,
            text="Nächsten Schritt mit der Familie vereinbaren und aufschreiben",
            owner=rng.choice((StepOwner.FAMILY, StepOwner.PROVIDER)),
            due_on=today + D(days=rng.randint(7, 40)),
        )
    _reviews(town, help_, steering, until=ended_on or today, running=story == "running")
    _risk(town, case, steering, assignment, colleague)
    if ended_on is not None:
        help_end(user=steering, help_=help_, ended_on=ended_on)
        case_transition(
            user=steering,
            case=case,
            to_status=CaseStatus.CLOSED,
            end_reason=_pick(rng, END_REASONS),
            reason="Hilfeplan abgeschlossen",
        )
        _closed_on(case, min(today, ended_on + D(days=rng.randint(0, 14))))
    _pay(assignment, steering, today)


def _closed_on(case: Case, day: datetime.date) -> None:
    """The service closes a case today; the town's history closes it on the day it ended."""
    Case.objects.filter(pk=case.pk).update(closed_on=day)


def _reviews(town: _Town, help_: Help, user: User, *, until: datetime.date, running: bool) -> None:
    """Hold the help plan reviews that fell due before `until`; about one running help in eight
    has its last review overdue."""
    rng = town.rng
    overdue = running and rng.random() < 0.125
    reviews = open_reviews().filter(help_plan__help=help_).order_by("due_on")
    review = reviews.first()
    while review is not None and review.due_on < until:
        if overdue and review.due_on > town.today - D(days=120):
            return  # left open: it shows as overdue
        held_on = max(min(review.due_on + D(days=rng.randint(-14, 10)), until), help_.starts_on)
        casework.review_record(
            user=user,
            review=review,
            held_on=held_on,
            participants="Familie, Träger, ASD",
            summary=rng.choice(REVIEW_SUMMARIES),
        )
        review = reviews.first()


def _risk(
    town: _Town, case: Case, steering: User, assignment: Assignment, colleague: User | None
) -> None:
    """A § 8a assessment for about one case in three, most without or with a latent risk, done
    by two colleagues together; the steering caseworker and the team lead have taken note, and
    an acute one has its Schutzplan with a review date."""
    rng = town.rng
    if rng.random() >= 0.3:
        return
    level = _pick(rng, [(RiskLevel.NONE, 40), (RiskLevel.LATENT, 35), (RiskLevel.ACUTE, 25)])
    region = case.sozialraum.region.code
    child = case.persons.filter(role=PersonRole.CHILD).order_by("pk").first()
    assert child is not None  # the intake refuses a case without a child
    by_provider = colleague is not None and rng.random() < 0.5
    second = next(u for u in town.caseworkers[region] if u.pk != steering.pk)
    source = rng.choice((ConcernSource.SCHOOL, ConcernSource.KITA, ConcernSource.NEIGHBOUR))
    (assessment,) = risk_report(
        user=colleague if by_provider and colleague else steering,
        case=case,
        children=[child],
        concern=ConcernInput(
            known_on=max(case.opened_on, town.today - D(days=rng.randint(1, 300))),
            known_channel=ConcernChannel.OWN_OBSERVATION if by_provider else ConcernChannel.PHONE,
            source=ConcernSource.YOUTH_WELFARE if by_provider else source,
            facts=RISK_FACTS[RiskLevel(level)],
        ),
        result=ResultInput(
            level=level,
            assessors=[colleague] if by_provider and colleague else [steering, second],
            experienced_professional=(
                "Frau Dr. Albers (Kinderschutzzentrum)" if by_provider else ""
            ),
        ),
        assignment=assignment if by_provider else None,
    )
    if level == RiskLevel.NONE:
        return
    if by_provider:
        risk_acknowledge(user=steering, assessment=assessment, role=AcknowledgementRole.STEERING)
    risk_acknowledge(
        user=town.team_leads[region], assessment=assessment, role=AcknowledgementRole.TEAM_LEAD
    )
    if level == RiskLevel.ACUTE:
        # The Schutzplan: a first measure and the day it is reviewed (then no alert is left).
        safety_measure_add(
            user=steering,
            assessment=assessment,
            text=rng.choice(SAFETY_MEASURES),
            responsible=rng.choice(("Mutter", "Eltern", "Träger", "ASD")),
            due_on=town.today + D(days=rng.randint(7, 30)),
        )
        safety_plan_update(
            user=steering, assessment=assessment, review_on=town.today + D(days=rng.randint(14, 90))
        )


def _pay(assignment: Assignment, by: User, today: datetime.date) -> None:
    """Pay each year's commitment for what has been delivered up to the last month's end, as
    one payment (the provider's monthly statements, summed up: one booking keeps the build fast)."""
    month_end = today.replace(day=1) - D(days=1)
    commitments = Commitment.objects.filter(
        assignment=assignment, is_cancelled=False
    ).select_related("budget__fiscal_year")
    for commitment in commitments:
        year = commitment.budget.fiscal_year.year
        last = min(
            commitment.ended_on or commitment.ends_on or month_end,
            month_end,
            datetime.date(year, 12, 31),
        )
        if last < commitment.starts_on:
            continue
        due, _ = commitment_cost(
            basis=commitment.basis,
            year=year,
            starts_on=commitment.starts_on,
            ends_on=last,
            hours_per_week=commitment.hours_per_week,
            hourly_rate=commitment.hourly_rate,
            monthly_cost=commitment.monthly_cost,
        )
        due = min(due, commitment.cached_bound)
        if due > 0:
            payment_book(
                commitment=commitment,
                amount=due,
                paid_on=last,
                note=f"Leistungsnachweise bis {last:%m/%Y}",
                by=by,
            )


def _project_build(
    town: _Town, code: str, kind: str, title: str, target: str, goals: str, index: int
) -> None:
    """One piece of cross-case or case-independent work: opened, run and paid, some ended."""
    rng, today = town.rng, town.today
    sozialraum = town.sozialraeume[code]
    region = sozialraum.region.code
    steering = rng.choice(town.caseworkers[region])
    # Spread over the two years: half begun this year, the oldest already completed.
    opened_on = today - D(days=int((index + rng.random()) * DAYS / PROJECTS_PER_KIND))
    provider = rng.choice(town.providers[region])
    planned = index == 0 and rng.random() < 0.5
    with transaction.atomic():
        case = casework.case_project_open(
            user=steering,
            kind=kind,
            title=f"{title} {sozialraum.name}",
            sozialraum=sozialraum,
            steering_caseworker=steering,
            opened_on=opened_on,
            target_group=target,
            participants_count=rng.randint(6, 40),
            project_goals=goals,
            providers=[provider],
            partners=town.partners[sozialraum.pk][: rng.randint(1, 3)],
        )
        if planned:
            return  # still being planned (Eingang)
        case_transition(user=steering, case=case, to_status=CaseStatus.RUNNING, reason="Start")
        ends_on = opened_on + D(days=rng.choice((90, 180, 270, 365, 540)))
        if ends_on < today:
            case_transition(
                user=steering,
                case=case,
                to_status=CaseStatus.CLOSED,
                end_reason=EndReason.PROJECT_COMPLETED,
                reason="Projekt abgeschlossen",
            )
            _closed_on(case, ends_on)
        monthly = Decimal(rng.randint(6, 30) * 100)
        for year in sorted({opened_on.year, min(ends_on, today).year}):
            budget = Budget.objects.filter(fiscal_year__year=year, region=sozialraum.region).first()
            if budget is None:
                continue
            first = max(opened_on, datetime.date(year, 1, 1))
            last = min(ends_on, datetime.date(year, 12, 31))
            months = max(1, round((last - first).days / 30))
            commitment = _project_book(
                town,
                by=steering,
                budget=budget,
                kind=kind,
                title=case.title,
                amount=monthly * months,
                period=(first, last),
                sozialraum=sozialraum,
                provider=provider,
            )
            paid_until = min(last, today)
            share = Decimal(max(0, (paid_until - first).days)) / Decimal(
                max(1, (last - first).days)
            )
            amount = (monthly * months * share).quantize(Decimal("0.01"))
            if amount > 0:
                payment_book(
                    commitment=commitment,
                    amount=amount,
                    paid_on=paid_until,
                    note="Abschlag",
                    by=steering,
                )


def _project_book(
    town: _Town,
    *,
    by: User,
    budget: Budget,
    kind: str,
    title: str,
    amount: Decimal,
    period: tuple[datetime.date, datetime.date],
    sozialraum: Sozialraum,
    provider: Provider,
) -> Commitment:
    """Bind a project's money; where more than is free, the team lead books it with a reason,
    as the portal lets her (and the forecast then warns)."""

    def book(user: User, override_reason: str = "") -> Commitment:
        return commitment_book(
            budget=budget,
            kind=kind,
            title=title,
            amount=amount,
            starts_on=period[0],
            ends_on=period[1],
            sozialraum=sozialraum,
            provider=provider,
            by=user,
            override_reason=override_reason,
        )

    try:
        with transaction.atomic():
            return book(by)
    except ValidationError:
        return book(
            town.team_leads[sozialraum.region.code],
            "Projekt im Sozialraum beschlossen; Ausgleich aus dem Vorwegabzug beantragt.",
        )
