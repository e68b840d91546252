"""A large city for the benchmarks: regions, providers, partners, cases, three years of money.

`city_generate()` builds everything from one seed and one reference day, so the same arguments
give the same rows. It writes with COPY (see `benchmarks.loader`), not through the services: a
hundred thousand cases through `case_intake` would take hours. The rules the services protect are
kept by construction instead, and checked afterwards:

- every ledger entry moves its budget's cached figure (the caches are summed here, independently
  of the database, and `reconcile_budgets` must find no difference);
- no region binds more than it was allocated, no payment exceeds what its commitment still binds;
- an individual help's commitment belongs to its assignment (one per assignment), in the budget
  of the case's region and of the year the assignment starts;
- statuses, dates and open help plan reviews follow the case workflow.

Everything is invented: names come from short lists, texts from a few stock sentences.
"""

import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from benchmarks.loader import Loader, sequences_reset
from budgets import calculations
from budgets.models import (
    Budget,
    BudgetSplit,
    BudgetSplitShare,
    Commitment,
    CommitmentPlaceTotal,
    CommitmentTotal,
    CostBasis,
    EntryKind,
    Figure,
    FiscalYear,
    LedgerEntry,
    LedgerText,
    Payment,
    Reserve,
    ReserveTransferRequest,
    SplitMethod,
    TransferStatus,
)
from cases.models import (
    ActionStep,
    Assignment,
    AssignmentStatus,
    AuditAction,
    AuditEntry,
    Case,
    CaseKind,
    CaseNumberSequence,
    CaseStatus,
    CaseStatusChange,
    EndReason,
    Goal,
    Help,
    HelpPlan,
    HelpPlanReview,
    HelpType,
    Note,
    NoteKind,
    PeerConsultation,
    Person,
    PersonRole,
    PlacementLocation,
    Resource,
    ResourceKind,
    RiskAcknowledgement,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    SearchWord,
    StepOwner,
)
from cases.names import name_key, name_words, title_words
from cases.review_due import cases_review_due_fill
from cases.services import add_months, help_types_ensure
from network.models import (
    Conference,
    ConferenceAgreement,
    Offer,
    Partner,
    PartnerType,
    RegionBoundary,
    SozialraumBoundary,
    TargetGroup,
)
from sozialraum.addresses import street_key
from sozialraum.models import (
    Agreement,
    AgreementKind,
    AsdTeam,
    Population,
    Provider,
    Region,
    RegionProvider,
    Role,
    Sozialraum,
    StreetSegment,
    User,
)
from sozialraum.money import money_round

D = datetime.date
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# One password for every generated account; hashed once (hashing is slow by design).
PASSWORD = "bench-passwort"  # noqa: S105 - invented accounts of a benchmark database
# Fixed accounts the benchmarks log in with.
ACCOUNTS = {
    "caseworker": "bench-asd",
    "team_lead": "bench-leitung",
    "provider_staff": "bench-traeger",
    "planner": "bench-planung",
    "admin": "bench-admin",
}


# A caseworker's caseload does not grow with the city: an office with ten times the cases has ten
# times the caseworkers, in teams of the same size. The large city's measure: 30 caseworkers per
# region for 10,000 cases of a region (some 330 cases each over the years, a few dozen open).
CASES_PER_CASEWORKER = 333
TEAM_SIZE = 15


@dataclass(frozen=True)
class Scale:
    """How big the city is. The defaults are the large city of issue 8."""

    regions: int = 10
    sozialraeume_per_region: int = 4
    streets_per_sozialraum: int = 50
    providers: int = 200
    partners: int = 2000
    cases: int = 100_000
    ledger_entries: int = 1_000_000
    # None: as many as the cases need (`caseworkers_in_region`); 30 for the default city.
    caseworkers_per_region: int | None = None
    staff_per_provider: int = 2

    @property
    def caseworkers_in_region(self) -> int:
        if self.caseworkers_per_region is not None:
            return self.caseworkers_per_region
        return max(3, round(self.cases / self.regions / CASES_PER_CASEWORKER))

    @property
    def teams_in_region(self) -> int:
        """Two ASD teams per region, more where the caseworkers would not fit in two teams of
        `TEAM_SIZE`."""
        return max(2, math.ceil(self.caseworkers_in_region / TEAM_SIZE))

    @classmethod
    def tiny(cls) -> "Scale":
        """A few hundred rows: enough for every kind of record, quick enough for a test."""
        return cls(
            regions=2,
            sozialraeume_per_region=2,
            streets_per_sozialraum=3,
            providers=6,
            partners=12,
            cases=200,
            ledger_entries=2000,
            caseworkers_per_region=3,
            staff_per_provider=1,
        )


@dataclass
class Summary:
    counts: dict[str, int]
    seconds: dict[str, float]
    today: datetime.date
    years: list[int]


REGION_NAMES = [
    "Altstadt",
    "Nordhafen",
    "Eichenhain",
    "Südstadt",
    "Westend",
    "Ostpark",
    "Auenviertel",
    "Bergfeld",
    "Mühlenau",
    "Seeblick",
    "Kronsberg",
    "Lindental",
]
REGION_CODES = ["AS", "NH", "EH", "SS", "WE", "OP", "AV", "BF", "MA", "SB", "KB", "LT"]
STEMS = [
    "Linden",
    "Birken",
    "Eichen",
    "Ahorn",
    "Buchen",
    "Kastanien",
    "Rosen",
    "Tulpen",
    "Nelken",
    "Mühlen",
    "Brunnen",
    "Schul",
    "Kirch",
    "Garten",
    "Wiesen",
    "Feld",
    "Wald",
    "Berg",
    "Tal",
    "Hafen",
    "Markt",
    "Post",
    "Bahnhof",
    "Schloss",
    "Burg",
    "Sonnen",
    "Mond",
    "Stern",
    "Falken",
    "Adler",
    "Finken",
    "Drossel",
    "Lerchen",
    "Meisen",
    "Schwalben",
    "Kiefern",
    "Tannen",
    "Fichten",
    "Erlen",
    "Weiden",
    "Pappel",
    "Ulmen",
    "Eschen",
    "Holunder",
    "Flieder",
    "Jasmin",
    "Lavendel",
    "Veilchen",
    "Lilien",
    "Astern",
    "Dahlien",
    "Ginster",
    "Heide",
    "Moor",
    "Teich",
    "Quellen",
    "Bach",
    "Fluss",
    "Insel",
    "Hügel",
]
SUFFIXES = ["straße", "weg", "allee", "ring", "gasse", "platz", "damm", "pfad"]
PREFIXES = ["", "Alte ", "Neue ", "Obere ", "Untere ", "Kleine ", "Große ", "Hintere "]
FIRST_NAMES = [
    "Mia",
    "Emma",
    "Sofia",
    "Hannah",
    "Lina",
    "Mila",
    "Ella",
    "Lea",
    "Clara",
    "Marie",
    "Leni",
    "Ida",
    "Noah",
    "Ben",
    "Paul",
    "Leon",
    "Finn",
    "Elias",
    "Felix",
    "Jonas",
    "Luis",
    "Emil",
    "Anton",
    "Theo",
    "Maximilian",
    "Aylin",
    "Elif",
    "Yusuf",
    "Omar",
    "Amira",
    "Lukas",
    "Jana",
    "Sandra",
    "Michael",
    "Thomas",
    "Katrin",
    "Stefan",
    "Nicole",
    "Andreas",
    "Sabine",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Schmitz",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Schubert",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Nowak",
    "Kowalski",
    "Popescu",
    "Ivanova",
    "Haddad",
    "Nguyen",
]
CONCERNS = [
    "Wir möchten, dass der Morgen ohne Streit beginnt.",
    "Unser Sohn soll wieder regelmäßig zur Schule gehen.",
    "Wir wollen als Familie wieder mehr miteinander reden.",
    "Ich brauche Entlastung, seit ich mit den Kindern allein bin.",
    "Unsere Tochter soll Freunde finden und nicht mehr so allein sein.",
    "Wir möchten eine Wohnung finden, in der alle Platz haben.",
]
WILLS = [
    "Ich will lernen, ruhig zu bleiben.",
    "Wir wollen die Oma öfter um Hilfe bitten.",
    "Ich möchte selbst entscheiden, wer uns unterstützt.",
    "Wir wollen jeden Sonntag gemeinsam planen.",
    "Ich will mir Hilfe holen, bevor es wieder eskaliert.",
]
GOALS = [
    "Die Kinder kommen pünktlich zur Schule.",
    "Die Mutter hat zwei Abende in der Woche für sich.",
    "Die Familie isst dreimal in der Woche gemeinsam.",
    "Der Sohn geht einmal in der Woche zum Sportverein.",
    "Konflikte werden ohne Schreien gelöst.",
]
STEPS = [
    "Wecker und Morgenplan gemeinsam aufschreiben",
    "Anmeldung beim Sportverein",
    "Gespräch mit der Klassenlehrerin vereinbaren",
    "Oma fragt, ob sie dienstags die Kinder abholt",
]
NOTES = [
    "Hausbesuch: Die Familie hat den Wochenplan umgesetzt, die Stimmung ist ruhiger.",
    "Telefonat mit der Schule: Fehlzeiten im letzten Monat deutlich weniger.",
    "Gespräch mit der Mutter über die Abendroutine; nächste Schritte vereinbart.",
    "Termin abgesagt, neuer Termin in der kommenden Woche.",
    "Die Familie möchte die Unterstützung durch die Großeltern ausbauen.",
    "Fallbesprechung im Team: Hilfe wird wie geplant fortgesetzt.",
]
RESOURCES = {
    ResourceKind.PERSONAL: ["Liest gern und beschäftigt sich gut selbst.", "Ist sportlich."],
    ResourceKind.SOCIAL: ["Die Oma wohnt in der Nähe.", "Eine Nachbarin hilft beim Einkauf."],
    ResourceKind.SOZIALRAUM: ["Offener Treff im Quartier.", "Hausaufgabenhilfe der Bücherei."],
}
FACTS = [
    "Das Kind kam mehrfach ohne Frühstück und ohne Jacke in die Kita.",
    "Nachbarn melden lautstarke Auseinandersetzungen am Abend.",
    "Die Jugendliche berichtet, dass sie zu Hause nicht mehr schlafen möchte.",
]
PROJECTS = [
    ("Elterncafé", "Eltern"),
    ("Gruppe für Alleinerziehende", "Alleinerziehende"),
    ("Offener Treff", "Jugendliche"),
    ("Hausaufgabenhilfe", "Schulkinder"),
    ("Sommerferienprogramm", "Kinder"),
    ("Spielplatzprojekt", "Familien"),
    ("Väterfrühstück", "Väter"),
    ("Sprachcafé", "zugewanderte Familien"),
]
HELP_WEIGHTS = {
    "31": 30,
    "30": 14,
    "27-2": 10,
    "35a-amb": 8,
    "34": 8,
    "33": 7,
    "32": 5,
    "29": 4,
    "35": 3,
    "41": 3,
    "SR-flex": 5,
    "28": 2,
    "41-stat": 1,
}
INDIVIDUAL_SHARE, CROSS_CASE_SHARE = 0.88, 0.08


class City:
    """The generator's state: ids handed out, what later tables need to know of earlier ones."""

    def __init__(self, scale: Scale, seed: int, today: datetime.date, out: Callable) -> None:
        self.scale = scale
        self.rng = random.Random(seed)  # noqa: S311 - invented data, not secrets
        self.today = today
        self.years = [today.year - 2, today.year - 1, today.year]
        self.start = D(self.years[0], 1, 1)
        self.out = out
        self.loader = Loader()
        self.seconds: dict[str, float] = {}
        self.ids: dict[str, int] = defaultdict(int)
        self.tz = datetime.UTC

    # helpers ------------------------------------------------------------------------------

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def at(self, day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def stage(self, name: str, build: Callable[[], None]) -> None:
        began = time.perf_counter()
        build()
        self.seconds[name] = time.perf_counter() - began
        self.out(f"  {name}: {self.seconds[name]:.1f} s")

    # ground floor -------------------------------------------------------------------------

    def ground(self) -> None:
        s, rng, load = self.scale, self.rng, self.loader.load
        self.regions = []
        for i in range(s.regions):
            name = REGION_NAMES[i] if i < len(REGION_NAMES) else f"Bezirk {i + 1}"
            # Letters only, as the case search expects of a case number ("AS-2026-0042").
            code = REGION_CODES[i] if i < len(REGION_CODES) else f"X{chr(65 + i % 26)}{i}"
            self.regions.append((i + 1, code, name))
        load(Region, ["id", "code", "name"], self.regions)

        teams = []
        self.region_teams: dict[int, list[int]] = {}
        for region_id, _, name in self.regions:
            ids = []
            for k in range(s.teams_in_region):
                letter = chr(ord("A") + k) if k < 26 else str(k + 1)
                team_id = self.next_id("team")
                teams.append((team_id, region_id, f"ASD {name} {letter}", "", ""))
                ids.append(team_id)
            self.region_teams[region_id] = ids
        load(AsdTeam, ["id", "region_id", "name", "email", "phone"], teams)

        self.sozialraeume: list[tuple[int, int, int, str, str]] = []  # id, region, team, code, name
        # The teams whose caseworkers steer a Sozialraum's cases: with two teams per region one
        # (A for the first and third Sozialraum, B for the others), with more teams several
        # each; the Sozialraum's own team (`asd_team`) is the first of them.
        self.sozialraum_teams: dict[int, list[int]] = {}
        for region_id, code, name in self.regions:
            region_teams = self.region_teams[region_id]
            for j in range(s.sozialraeume_per_region):
                sr_id = self.next_id("sozialraum")
                if len(region_teams) <= s.sozialraeume_per_region:
                    self.sozialraum_teams[sr_id] = [region_teams[j % len(region_teams)]]
                else:
                    self.sozialraum_teams[sr_id] = region_teams[j :: s.sozialraeume_per_region]
                team = self.sozialraum_teams[sr_id][0]
                self.sozialraeume.append(
                    (sr_id, region_id, team, f"{code}-{j + 1}", f"{name} {j + 1}")
                )
        load(
            Sozialraum,
            ["id", "region_id", "asd_team_id", "code", "name", "description", "valid_from"],
            ((i, r, t, c, n, "", D(2000, 1, 1)) for i, r, t, c, n in self.sozialraeume),
        )
        self.region_sozialraeume: dict[int, list[int]] = defaultdict(list)
        self.sozialraum_region: dict[int, int] = {}
        for sr_id, region_id, *_ in self.sozialraeume:
            self.region_sozialraeume[region_id].append(sr_id)
            self.sozialraum_region[sr_id] = region_id

        names = [p + stem + suffix for p in PREFIXES for stem in STEMS for suffix in SUFFIXES]
        rng.shuffle(names)
        segments = []
        self.streets: dict[int, list[tuple[str, str]]] = {}
        for index, (sr_id, *_) in enumerate(self.sozialraeume):
            postcode = f"{20000 + index * 10:05d}"
            streets = []
            for k in range(s.streets_per_sozialraum):
                position = index * s.streets_per_sozialraum + k
                street = names[position % len(names)]
                if position >= len(names):
                    street = f"{street} {position // len(names) + 1}"
                streets.append((street, postcode))
                segments.append(
                    (
                        self.next_id("segment"),
                        street,
                        street_key(street),
                        postcode,
                        None,
                        None,
                        "all",
                        sr_id,
                        D(2000, 1, 1),
                    )
                )
            self.streets[sr_id] = streets
        load(
            StreetSegment,
            [
                "id",
                "street",
                "street_key",
                "postcode",
                "number_from",
                "number_to",
                "parity",
                "sozialraum_id",
                "valid_from",
            ],
            segments,
        )
        load(
            Population,
            ["id", "sozialraum_id", "year", "minors", "young_adults"],
            (
                (self.next_id("population"), sr_id, year, minors, minors * 15 // 100)
                for sr_id, *_ in self.sozialraeume
                for minors in [rng.randint(2500, 7000)]
                for year in [self.years[0] - 1, *self.years]
            ),
        )

        self.providers = []
        self.hourly_rate: dict[int, Decimal] = {}
        for i in range(s.providers):
            self.providers.append(
                (
                    i + 1,
                    f"Träger {i + 1:03d} gGmbH",
                    f"T{i + 1:03d}",
                    "gGmbH",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    True,
                )
            )
            self.hourly_rate[i + 1] = Decimal(rng.randint(5200, 7800)) / 100
        load(
            Provider,
            [
                "id",
                "name",
                "short_name",
                "legal_form",
                "street",
                "postcode",
                "city",
                "contact_person",
                "phone",
                "email",
                "website",
                "is_active",
            ],
            self.providers,
        )
        # Every provider works in one to three regions; the first two of each region lead there
        # and carry more of its assignments.
        self.region_providers: dict[int, list[int]] = defaultdict(list)
        self.region_provider_weights: dict[int, list[int]] = defaultdict(list)
        roles = []
        for index, (provider_id, *_) in enumerate(self.providers):
            home = self.regions[index % s.regions][0]
            regions = {home} | {
                rng.choice(self.regions)[0] for _ in range(rng.choice([0, 0, 1, 2]))
            }
            for region_id in sorted(regions):
                lead = region_id == home and index < 2 * s.regions
                roles.append((self.next_id("rp"), region_id, provider_id, lead, D(2015, 1, 1)))
                self.region_providers[region_id].append(provider_id)
                self.region_provider_weights[region_id].append(6 if lead else 1)
        load(RegionProvider, ["id", "region_id", "provider_id", "is_lead", "valid_from"], roles)
        load(
            Agreement,
            ["id", "provider_id", "region_id", "kind", "title", "hourly_rate", "valid_from"],
            (
                (
                    pid,
                    pid,
                    None,
                    AgreementKind.SERVICE,
                    "Leistungsvereinbarung",
                    self.hourly_rate[pid],
                    D(2015, 1, 1),
                )
                for pid, *_ in self.providers
            ),
        )
        self.users()

    def users(self) -> None:
        s, rng = self.scale, self.rng
        password = make_password(PASSWORD)
        joined = self.at(D(2015, 1, 1))
        rows = []

        def user(username: str, role: str, team=None, provider=None, staff=False) -> int:
            user_id = self.next_id("user")
            rows.append(
                (
                    user_id,
                    password,
                    None,
                    staff,
                    username,
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    "",
                    staff,
                    True,
                    joined,
                    role,
                    team,
                    provider,
                )
            )
            return user_id

        self.caseworkers: dict[int, list[int]] = defaultdict(list)  # by team
        self.caseworker_team: dict[int, int] = {}
        self.team_leads: dict[int, list[int]] = defaultdict(list)  # by region
        for region_id, code, _ in self.regions:
            teams = self.region_teams[region_id]
            for k in range(s.caseworkers_in_region):
                first = region_id == 1 and k == 0
                username = ACCOUNTS["caseworker"] if first else f"asd-{code.lower()}-{k + 1:02d}"
                team = teams[k % len(teams)]
                caseworker = user(username, Role.CASEWORKER, team=team)
                self.caseworkers[team].append(caseworker)
                self.caseworker_team[caseworker] = team
            for k, team in enumerate(teams):
                first = region_id == 1 and k == 0
                username = ACCOUNTS["team_lead"] if first else f"leitung-{code.lower()}-{k + 1}"
                self.team_leads[region_id].append(user(username, Role.TEAM_LEAD, team=team))
        self.provider_staff: dict[int, list[int]] = {}
        for provider_id, *_ in self.providers:
            staff = []
            for k in range(s.staff_per_provider):
                first = provider_id == 1 and k == 0
                username = (
                    ACCOUNTS["provider_staff"] if first else f"traeger-{provider_id:03d}-{k + 1}"
                )
                staff.append(user(username, Role.PROVIDER_STAFF, provider=provider_id))
            self.provider_staff[provider_id] = staff
        self.planners = [
            user(ACCOUNTS["planner"] if k == 0 else f"planung-{k + 1}", Role.PLANNER)
            for k in range(3)
        ]
        self.admin = user(ACCOUNTS["admin"], Role.ADMIN, staff=True)
        self.loader.load(
            User,
            [
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "role",
                "asd_team_id",
                "provider_id",
            ],
            rows,
        )
        self.region_caseworkers = {
            region_id: [u for team in self.region_teams[region_id] for u in self.caseworkers[team]]
            for region_id, *_ in self.regions
        }
        # Who may steer a Sozialraum's cases (with one team per Sozialraum: that team, in order).
        self.sozialraum_caseworkers = {
            sr_id: [u for team in teams for u in self.caseworkers[team]]
            for sr_id, teams in self.sozialraum_teams.items()
        }

    # network ------------------------------------------------------------------------------

    def network(self) -> None:
        s, rng, load = self.scale, self.rng, self.loader.load
        cells = self.boundaries()
        types = list(PartnerType.values)
        partners = []
        self.sozialraum_partners: dict[int, list[int]] = defaultdict(list)
        for k in range(s.partners):
            sr_id = self.sozialraeume[k % len(self.sozialraeume)][0]
            kind = types[k % len(types)]
            street, postcode = rng.choice(self.streets[sr_id])
            west, south, east, north = cells[sr_id]
            partner_id = self.next_id("partner")
            partners.append(
                (
                    partner_id,
                    f"{PartnerType(kind).label} {k + 1:04d}",
                    kind,
                    street,
                    str(rng.randint(1, 120)),
                    postcode,
                    "Großstadt",
                    sr_id,
                    False,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    Decimal(f"{rng.uniform(west, east):.6f}"),
                    Decimal(f"{rng.uniform(south, north):.6f}"),
                    rng.random() > 0.03,
                )
            )
            self.sozialraum_partners[sr_id].append(partner_id)
        load(
            Partner,
            [
                "id",
                "name",
                "partner_type",
                "street",
                "house_number",
                "postcode",
                "city",
                "sozialraum_id",
                "sozialraum_overridden",
                "contact_person",
                "phone",
                "email",
                "website",
                "reachability",
                "accessibility",
                "longitude",
                "latitude",
                "is_active",
            ],
            partners,
        )
        groups = list(TargetGroup.values)
        offers = []
        self.sozialraum_offers: dict[int, list[int]] = defaultdict(list)
        for partner in partners:
            partner_id, sr_id = partner[0], partner[7]
            for _ in range(rng.choice([1, 1, 2, 2, 3])):
                offers.append(self.offer(partner_id, None, None, groups))
                self.sozialraum_offers[sr_id].append(offers[-1][0])
        for provider_id, *_ in self.providers:
            for sr_id in rng.sample([x[0] for x in self.sozialraeume], 2):
                offers.append(self.offer(None, provider_id, sr_id, groups))
                self.sozialraum_offers[sr_id].append(offers[-1][0])
        load(
            Offer,
            [
                "id",
                "partner_id",
                "provider_id",
                "sozialraum_id",
                "title",
                "description",
                "target_group",
                "age_min",
                "age_max",
                "languages",
                "is_free",
                "fee_note",
                "schedule",
                "place",
                "referral_required",
                "valid_from",
                "valid_until",
            ],
            offers,
        )
        self.conferences()

    def offer(self, partner, provider, sozialraum, groups) -> tuple:
        rng = self.rng
        title, group = rng.choice(PROJECTS)
        age_min = rng.choice([None, 0, 3, 6, 10, 14])
        age_max = None if age_min is None else age_min + rng.choice([3, 6, 10])
        ended = rng.random() < 0.1
        return (
            self.next_id("offer"),
            partner,
            provider,
            sozialraum,
            f"{title} für {group}",
            f"Ein Angebot für {group} im Quartier, offen und ohne Anmeldung.",
            rng.choice(groups),
            age_min,
            age_max,
            "Deutsch",
            rng.random() < 0.8,
            "",
            "dienstags 15–17 Uhr",
            "",
            False,
            None if not ended else D(2020, 1, 1),
            None if not ended else D(self.years[0], 6, 30),
        )

    def boundaries(self) -> dict[int, tuple[float, float, float, float]]:
        """A grid: regions side by side, their Sozialräume as cells; neighbours share an edge."""
        s = self.scale
        per_row = math.ceil(math.sqrt(s.sozialraeume_per_region))
        region_cols = math.ceil(math.sqrt(s.regions))
        cell_w, cell_h = 0.02, 0.015
        cells, grid, region_rows, boundary_rows = {}, {}, [], []
        for r, (region_id, *_) in enumerate(self.regions):
            rx, ry = r % region_cols, r // region_cols
            for j, sr_id in enumerate(self.region_sozialraeume[region_id]):
                gx, gy = rx * per_row + j % per_row, ry * per_row + j // per_row
                west, south = 10.0 + gx * cell_w, 53.5 + gy * cell_h
                cells[sr_id] = (west, south, west + cell_w, south + cell_h)
                grid[(gx, gy)] = sr_id
            x0, y0 = 10.0 + rx * per_row * cell_w, 53.5 + ry * per_row * cell_h
            region_rows.append((region_id, _square(x0, y0, per_row * cell_w, per_row * cell_h)))
        now = self.at(self.today)
        for sr_id, (west, south, east, north) in cells.items():
            boundary_rows.append(
                (sr_id, sr_id, _square(west, south, east - west, north - south), now)
            )
        self.loader.load(
            SozialraumBoundary, ["id", "sozialraum_id", "geometry", "imported_at"], boundary_rows
        )
        self.loader.load(
            RegionBoundary,
            ["id", "region_id", "geometry", "imported_at"],
            ((rid, rid, geometry, now) for rid, geometry in region_rows),
        )
        pairs = []
        for (gx, gy), sr_id in grid.items():
            for other in (grid.get((gx + 1, gy)), grid.get((gx, gy + 1))):
                if other:
                    pairs += [(sr_id, other), (other, sr_id)]
        through = SozialraumBoundary.neighbours.through
        self.loader.load(
            through,
            ["id", "from_sozialraumboundary_id", "to_sozialraumboundary_id"],
            ((k + 1, a, b) for k, (a, b) in enumerate(pairs)),
        )
        return cells

    def conferences(self) -> None:
        rng, load = self.rng, self.loader.load
        rows, agreements, invited = [], [], []
        for sr_id, region_id, *_ in self.sozialraeume:
            staff = self.region_caseworkers[region_id]
            for year in self.years:
                for month in (2, 5, 9, 11):
                    day = D(year, month, rng.randint(1, 28))
                    conference_id = self.next_id("conference")
                    rows.append(
                        (
                            conference_id,
                            day,
                            "Sozialraumkonferenz",
                            sr_id,
                            None,
                            "1. Berichte aus den Einrichtungen\n2. Bedarfe im Quartier",
                            "",
                        )
                    )
                    for partner_id in rng.sample(
                        self.sozialraum_partners[sr_id],
                        min(5, len(self.sozialraum_partners[sr_id])),
                    ):
                        invited.append((self.next_id("invited"), conference_id, partner_id))
                    for _ in range(2):
                        due = day + datetime.timedelta(days=rng.randint(14, 90))
                        done = None
                        if due < self.today and rng.random() < 0.8:
                            done = min(self.today, due + datetime.timedelta(rng.randint(-10, 10)))
                        agreements.append(
                            (
                                self.next_id("agreement"),
                                conference_id,
                                "Flyer zum Quartierstreff an alle Kitas verteilen.",
                                rng.choice(staff),
                                due,
                                done,
                            )
                        )
        load(
            Conference,
            ["id", "date", "title", "sozialraum_id", "region_id", "agenda", "minutes"],
            rows,
        )
        load(
            ConferenceAgreement,
            ["id", "conference_id", "text", "owner_id", "due_on", "done_on"],
            agreements,
        )
        load(Conference.invited_partners.through, ["id", "conference_id", "partner_id"], invited)

    # cases --------------------------------------------------------------------------------

    def cases(self) -> None:
        help_types_ensure()
        self.help_types = {
            code: (pk, placement)
            for code, pk, placement in HelpType.objects.values_list("code", "pk", "is_placement")
        }
        self.help_codes = [c for c in HELP_WEIGHTS if c in self.help_types]
        self.help_weights = [HELP_WEIGHTS[c] for c in self.help_codes]
        self.help_names = dict(HelpType.objects.values_list("pk", "name"))
        self.rows: dict[type, list[tuple]] = defaultdict(list)
        self.audit: list[tuple] = []
        # What the budgets need of each assignment and project (see `money`).
        self.assignment_costs: list[tuple] = []
        self.project_costs: list[tuple] = []
        self.sequences: dict[tuple[int, int], int] = defaultdict(int)

        rng = self.rng
        days = (self.today - self.start).days
        opened = sorted(
            self.start + datetime.timedelta(rng.randint(0, days)) for _ in range(self.scale.cases)
        )
        region_weights = [rng.uniform(0.7, 1.3) for _ in self.regions]
        for opened_on in opened:
            region_id = rng.choices(self.regions, weights=region_weights)[0][0]
            sr_id = rng.choice(self.region_sozialraeume[region_id])
            roll = rng.random()
            if roll < INDIVIDUAL_SHARE:
                self.individual_case(region_id, sr_id, opened_on)
            else:
                kind = (
                    CaseKind.CROSS_CASE
                    if roll < INDIVIDUAL_SHARE + CROSS_CASE_SHARE
                    else CaseKind.CASE_INDEPENDENT
                )
                self.project_case(region_id, sr_id, opened_on, kind)
        self.case_tables_load()

    def case_row(
        self, region_id, sr_id, opened_on, kind, status, closed_on, end_reason, steering, **fields
    ) -> int:
        case_id = self.next_id("case")
        year = opened_on.year
        self.sequences[(region_id, year)] += 1
        number = f"{self.regions[region_id - 1][1]}-{year}-{self.sequences[(region_id, year)]:04d}"
        self.case_numbers[case_id] = number
        self.rows[Case].append(
            (
                case_id,
                number,
                kind,
                status,
                region_id,
                sr_id,
                "",
                steering,
                fields.get("title", ""),
                opened_on,
                closed_on,
                end_reason,
                fields.get("concern", ""),
                fields.get("will", ""),
                fields.get("street", ""),
                fields.get("house_number", ""),
                fields.get("postcode", ""),
                fields.get("target_group", ""),
                fields.get("participants_count"),
                fields.get("project_goals", ""),
                fields.get("outcome", ""),
                self.at(opened_on, 8),
                steering,
            )
        )
        self.audit.append(
            (
                self.at(opened_on, 8),
                steering,
                AuditAction.CREATE,
                "case",
                case_id,
                number,
                "Falleingang",
            )
        )
        return case_id

    def status_path(self, case_id, path, dates, user) -> None:
        previous = ""
        for status, day in zip(path, dates, strict=True):
            self.rows[CaseStatusChange].append(
                (self.next_id("status"), case_id, previous, status, "", user, self.at(day, 10))
            )
            previous = status

    def individual_case(self, region_id: int, sr_id: int, opened_on: datetime.date) -> None:
        rng, today = self.rng, self.today
        age = (today - opened_on).days
        steering = rng.choice(self.sozialraum_caseworkers[sr_id])
        team = self.caseworker_team[steering]
        closed_share = min(0.85, age / 900)
        roll = rng.random()
        if age < 75:
            status = CaseStatus.INTAKE if roll < 0.5 else CaseStatus.CLARIFICATION
            if age > 30 and roll > 0.9:
                status = CaseStatus.NO_HELP
        elif roll < closed_share:
            status = CaseStatus.CLOSED
        else:
            status = rng.choices(
                [
                    CaseStatus.RUNNING,
                    CaseStatus.NO_HELP,
                    CaseStatus.HELP_DECIDED,
                    CaseStatus.CLARIFICATION,
                    CaseStatus.INTAKE,
                ],
                weights=[70, 12, 6, 7, 5],
            )[0]
        with_help = status in (CaseStatus.RUNNING, CaseStatus.HELP_DECIDED) or (
            status == CaseStatus.CLOSED and rng.random() < 0.75
        )
        closed_on, end_reason = None, ""
        help_start = opened_on + datetime.timedelta(rng.randint(21, 70))
        if status == CaseStatus.CLOSED:
            if with_help:
                closed_on = self.day_between(help_start + datetime.timedelta(90), today)
                closed_on = min(closed_on, help_start + datetime.timedelta(720), today)
                end_reason = rng.choice([EndReason.GOALS_REACHED] * 4 + list(EndReason.values[1:5]))
            else:
                closed_on = self.day_between(opened_on + datetime.timedelta(10), today)
                end_reason = rng.choice([EndReason.NO_HELP_NEEDED, EndReason.TRANSFERRED])
        street, postcode = rng.choice(self.streets[sr_id])
        case_id = self.case_row(
            region_id,
            sr_id,
            opened_on,
            CaseKind.INDIVIDUAL,
            status,
            closed_on,
            end_reason,
            steering,
            concern=rng.choice(CONCERNS),
            will=rng.choice(WILLS),
            street=street,
            house_number=str(rng.randint(1, 120)),
            postcode=postcode,
        )
        last = closed_on or today
        self.persons(case_id, region_id, opened_on)
        self.resources(case_id, sr_id, opened_on)
        goal_ids = self.goals(case_id, opened_on, status == CaseStatus.CLOSED, last)
        path = {
            CaseStatus.INTAKE: [CaseStatus.INTAKE],
            CaseStatus.CLARIFICATION: [CaseStatus.INTAKE, CaseStatus.CLARIFICATION],
            CaseStatus.NO_HELP: [CaseStatus.INTAKE, CaseStatus.CLARIFICATION, CaseStatus.NO_HELP],
            CaseStatus.HELP_DECIDED: [
                CaseStatus.INTAKE,
                CaseStatus.CLARIFICATION,
                CaseStatus.HELP_DECIDED,
            ],
            CaseStatus.RUNNING: [
                CaseStatus.INTAKE,
                CaseStatus.CLARIFICATION,
                CaseStatus.HELP_DECIDED,
                CaseStatus.RUNNING,
            ],
        }
        if status == CaseStatus.CLOSED:
            steps = (path[CaseStatus.RUNNING] if with_help else [CaseStatus.INTAKE]) + [
                CaseStatus.CLOSED
            ]
        else:
            steps = path[status]
        dates = [opened_on]
        for _ in steps[1:-1]:
            dates.append(min(help_start, dates[-1] + datetime.timedelta(rng.randint(3, 20))))
        if len(steps) > 1:
            dates.append(
                closed_on
                or min(today, help_start if with_help else dates[-1] + datetime.timedelta(7))
            )
        self.status_path(case_id, steps, [max(d, opened_on) for d in dates], steering)

        assignments = []
        if with_help:
            assignments = self.helps(
                case_id, region_id, sr_id, steering, help_start, status, closed_on, goal_ids
            )
        self.notes(case_id, steering, opened_on, last, assignments)
        if rng.random() < 0.12:
            self.risks(case_id, region_id, steering, opened_on, last, assignments)
        if rng.random() < 0.03:
            held = self.day_between(opened_on, last)
            consultation_id = self.next_id("consultation")
            self.rows[PeerConsultation].append(
                (
                    consultation_id,
                    case_id,
                    held,
                    "Wie gewinnen wir den Vater für die Hilfe?",
                    "Den Fußballverein als Türöffner nutzen.",
                    "Gespräch beim Training anbieten.",
                    steering,
                )
            )
            for user_id in rng.sample(self.caseworkers[team], min(3, len(self.caseworkers[team]))):
                self.rows[PeerConsultation.participants.through].append(
                    (self.next_id("participant"), consultation_id, user_id)
                )
        for _ in range(rng.choice([0, 1, 1, 2])):
            self.audit.append(
                (
                    self.at(self.day_between(opened_on, last), 11, rng.randint(0, 59)),
                    steering,
                    AuditAction.VIEW,
                    "case",
                    case_id,
                    self.case_numbers[case_id],
                    "Fallakte",
                )
            )

    def persons(self, case_id: int, region_id: int, opened_on: datetime.date) -> None:
        rng = self.rng
        family = rng.choice(LAST_NAMES)
        people = [(PersonRole.CHILD, "") for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
        people += [(PersonRole.GUARDIAN, "Mutter")]
        if rng.random() < 0.5:
            people.append((PersonRole.GUARDIAN, "Vater"))
        if rng.random() < 0.1:
            people.append((PersonRole.OTHER, "Großmutter"))
        for role, relation in people:
            first = rng.choice(FIRST_NAMES)
            birth = None
            if role == PersonRole.CHILD:
                birth = opened_on - datetime.timedelta(rng.randint(200, 17 * 365))
            person_id = self.next_id("person")
            key = name_key(first, family)
            self.rows[Person].append(
                (person_id, case_id, role, first, family, birth, relation, "", key)
            )
            # The search's words of the name, as cases.services.case_search_words_keep writes them.
            for word in sorted(name_words(key)):
                self.rows[SearchWord].append(
                    (self.next_id("search_word"), case_id, person_id, region_id, word)
                )

    def resources(self, case_id: int, sr_id: int, opened_on: datetime.date) -> None:
        rng = self.rng
        offer_used = False
        for kind in rng.sample(list(ResourceKind.values), rng.choice([1, 1, 2])):
            partner = offer = None
            if kind == ResourceKind.SOZIALRAUM and self.sozialraum_partners[sr_id]:
                partner = rng.choice(self.sozialraum_partners[sr_id])
                if not offer_used and self.sozialraum_offers[sr_id] and rng.random() < 0.3:
                    offer, offer_used = rng.choice(self.sozialraum_offers[sr_id]), True
            self.rows[Resource].append(
                (
                    self.next_id("resource"),
                    case_id,
                    kind,
                    rng.choice(RESOURCES[kind]),
                    partner,
                    offer,
                    self.at(opened_on, 9),
                )
            )

    def goals(self, case_id, opened_on, closed, last) -> list[int]:
        rng = self.rng
        ids = []
        for text in rng.sample(GOALS, rng.choice([1, 2, 2, 3])):
            goal_id = self.next_id("goal")
            achieved = self.day_between(opened_on, last) if closed and rng.random() < 0.6 else None
            self.rows[Goal].append((goal_id, case_id, text, achieved, self.at(opened_on, 9)))
            ids.append(goal_id)
        return ids

    def helps(self, case_id, region_id, sr_id, steering, start, status, closed_on, goal_ids):
        """One help (sometimes two in a row), each with its plan, reviews and assignment(s)."""
        rng, today = self.rng, self.today
        end_of_case = closed_on or today
        spans = [(start, None)]
        if rng.random() < 0.15 and (end_of_case - start).days > 120:
            switch = self.day_between(
                start + datetime.timedelta(60), end_of_case - datetime.timedelta(40)
            )
            spans = [(start, switch), (switch + datetime.timedelta(rng.randint(1, 20)), None)]
        assignments = []
        for index, (help_start, ended) in enumerate(spans):
            if index == len(spans) - 1:
                ended = closed_on
            code = rng.choices(self.help_codes, weights=self.help_weights)[0]
            help_type_id, placement = self.help_types[code]
            hours = None if placement else Decimal(rng.choice([2, 3, 4, 5, 6, 8]))
            monthly = Decimal(rng.randint(3000, 6500)) if placement else None
            location = ""
            if placement:
                location = rng.choices(list(PlacementLocation.values), weights=[3, 3, 2, 2])[0]
            planned_end = help_start + datetime.timedelta(rng.randint(180, 540))
            help_id = self.next_id("help")
            self.rows[Help].append(
                (
                    help_id,
                    case_id,
                    sr_id,
                    region_id,
                    help_type_id,
                    hours,
                    monthly,
                    location,
                    help_start,
                    planned_end,
                    ended,
                    "Im Hilfeplan mit der Familie vereinbart.",
                    steering,
                    self.at(help_start, 9),
                )
            )
            plan_id = self.next_id("plan")
            self.rows[HelpPlan].append((plan_id, help_id, case_id, self.at(help_start, 9)))
            self.reviews(plan_id, case_id, steering, help_start, ended)
            commissioned = not (status == CaseStatus.HELP_DECIDED and rng.random() < 0.5)
            if commissioned:
                assignments += self.assignments(
                    case_id,
                    help_id,
                    region_id,
                    sr_id,
                    steering,
                    help_start,
                    planned_end,
                    ended,
                    hours,
                    monthly,
                    help_type_id,
                )
        for goal_id in goal_ids:
            for text in rng.sample(STEPS, rng.choice([0, 1, 2])):
                due = start + datetime.timedelta(rng.randint(14, 120))
                done = due if due < end_of_case and rng.random() < 0.7 else None
                self.rows[ActionStep].append(
                    (self.next_id("step"), goal_id, text, rng.choice(StepOwner.values), due, done)
                )
        return assignments

    def reviews(self, plan_id, case_id, steering, start, ended) -> None:
        """Reviews every six months; a running help has exactly one open review (some overdue)."""
        rng, today = self.rng, self.today
        last = ended or today
        due = add_months(start, 6)
        held = []
        while due <= last:
            held.append(due)
            due = add_months(due, 6)
        rows = self.rows[HelpPlanReview]
        overdue = ended is None and held and rng.random() < 0.15
        for index, day in enumerate(held):
            if overdue and index == len(held) - 1:
                rows.append((self.next_id("review"), plan_id, case_id, day, None, "", "", None))
                return
            on = min(today, max(start, day + datetime.timedelta(rng.randint(-10, 10))))
            rows.append(
                (
                    self.next_id("review"),
                    plan_id,
                    case_id,
                    day,
                    on,
                    "Familie, ASD, Träger",
                    "Ziele überprüft, Hilfe wird fortgesetzt.",
                    steering,
                )
            )
        if ended is None:
            rows.append((self.next_id("review"), plan_id, case_id, due, None, "", "", None))

    def assignments(
        self,
        case_id,
        help_id,
        region_id,
        sr_id,
        steering,
        help_start,
        planned_end,
        ended,
        hours,
        monthly,
        help_type_id,
    ) -> list[tuple[int, int, datetime.date, datetime.date]]:
        rng, today = self.rng, self.today
        start = min(help_start + datetime.timedelta(rng.randint(0, 14)), ended or today, today)
        start = max(start, help_start)
        parts = [(start, ended)]
        span_end = ended or today
        if rng.random() < 0.08 and (span_end - start).days > 60:
            middle = start + (span_end - start) // 2
            parts = [(start, middle), (middle + datetime.timedelta(1), ended)]
        result = []
        providers = self.region_providers[region_id]
        weights = self.region_provider_weights[region_id]
        for part_start, part_end in parts:
            provider = rng.choices(providers, weights=weights)[0]
            assignment_id = self.next_id("assignment")
            status = AssignmentStatus.ACTIVE if part_end is None else AssignmentStatus.ENDED
            self.rows[Assignment].append(
                (
                    assignment_id,
                    case_id,
                    help_id,
                    provider,
                    None,
                    status,
                    part_start,
                    max(planned_end, part_start),
                    part_end,
                    "",
                    "Unterstützung nach Hilfeplan.",
                    steering,
                    self.at(part_start, 10),
                )
            )
            self.assignment_costs.append(
                (
                    assignment_id,
                    case_id,
                    region_id,
                    sr_id,
                    provider,
                    steering,
                    part_start,
                    max(planned_end, part_start),
                    part_end,
                    hours,
                    monthly,
                    help_type_id,
                )
            )
            result.append((assignment_id, provider, part_start, part_end or today))
        return result

    def notes(self, case_id, steering, opened_on, last, assignments) -> None:
        rng, rows = self.rng, self.rows[Note]
        for _ in range(rng.choice([1, 1, 2, 3])):
            day = self.day_between(opened_on, last)
            rows.append(
                (
                    self.next_id("note"),
                    case_id,
                    None,
                    NoteKind.ASD,
                    rng.choice(NOTES),
                    rng.random() < 0.7,
                    steering,
                    self.at(day, 14, rng.randint(0, 59)),
                )
            )
        for assignment_id, provider, start, end in assignments:
            author = rng.choice(self.provider_staff[provider])
            months = max(1, (end - start).days // 60)
            for _ in range(min(6, rng.randint(1, months))):
                day = self.day_between(start, end)
                kind = NoteKind.REPORT if rng.random() < 0.15 else NoteKind.PROGRESS
                rows.append(
                    (
                        self.next_id("note"),
                        case_id,
                        assignment_id,
                        kind,
                        rng.choice(NOTES),
                        False,
                        author,
                        self.at(day, 15, rng.randint(0, 59)),
                    )
                )

    def risks(self, case_id, region_id, steering, opened_on, last, assignments) -> None:
        rng, today = self.rng, self.today
        for _ in range(rng.choice([1, 1, 2])):
            day = self.day_between(opened_on, last)
            level = rng.choices(
                [RiskLevel.NONE, RiskLevel.LATENT, RiskLevel.ACUTE], weights=[40, 45, 15]
            )[0]
            by, assignment = steering, None
            if assignments and rng.random() < 0.5:
                assignment_id, provider, start, end = rng.choice(assignments)
                by, assignment = rng.choice(self.provider_staff[provider]), assignment_id
                day = self.day_between(start, end)
            acknowledged = level != RiskLevel.NONE and (
                rng.random() < (0.97 if (today - day).days > 10 else 0.4)
            )
            risk_id, at = self.next_id("risk"), self.at(day, 12)
            self.rows[RiskAssessment].append(
                # the result recorded with the report, by its author
                (
                    risk_id,
                    case_id,
                    assignment,
                    level,
                    rng.choice(FACTS),
                    by,
                    at,
                    by,
                    at,
                    level != RiskLevel.NONE and not acknowledged,
                    # alert_rank, as `cases.protection.alert_rank_of_level` keeps it
                    0 if level == RiskLevel.ACUTE else 2,
                )
            )
            if not acknowledged:
                continue
            seen = self.at(min(today, day + datetime.timedelta(1)), 9)
            acks = [("team_lead", self.team_leads[region_id][0])]
            if by != steering:  # a provider's report: the steering caseworker takes note too
                acks.append(("steering", steering))
            for role, user_id in acks:
                self.rows[RiskAcknowledgement].append(
                    (self.next_id("risk_ack"), risk_id, role, user_id, seen)
                )
            if level == RiskLevel.ACUTE:  # its Schutzplan, reviewed four weeks on
                review_on = day + datetime.timedelta(28)
                closed_on = review_on if review_on < today else None
                self.rows[SafetyPlan].append(
                    (self.next_id("safety_plan"), risk_id, case_id, review_on, closed_on, seen)
                )

    def project_case(self, region_id, sr_id, opened_on, kind) -> None:
        rng, today = self.rng, self.today
        steering = rng.choice(self.sozialraum_caseworkers[sr_id])
        age = (today - opened_on).days
        closed_on, end_reason = None, ""
        if age < 20 and rng.random() < 0.5:
            status = CaseStatus.INTAKE
        elif rng.random() < min(0.8, age / 1200):
            status = CaseStatus.CLOSED
            closed_on = min(today, self.day_between(opened_on + datetime.timedelta(60), today))
            end_reason = EndReason.PROJECT_COMPLETED
        else:
            status = CaseStatus.RUNNING
        title, group = rng.choice(PROJECTS)
        sr_name = self.sozialraum_name[sr_id]
        case_id = self.case_row(
            region_id,
            sr_id,
            opened_on,
            kind,
            status,
            closed_on,
            end_reason,
            steering,
            title=f"{title} {sr_name}",
            target_group=group,
            participants_count=rng.randint(5, 40),
            project_goals="Begegnung ermöglichen, Selbsthilfe stärken.",
            outcome="Die Gruppe trifft sich inzwischen selbstständig." if closed_on else "",
        )
        # The search's words of the title, as cases.services.case_search_words_keep writes them.
        for word in sorted(title_words(f"{title} {sr_name}")):
            self.rows[SearchWord].append(
                (self.next_id("search_word"), case_id, None, region_id, word)
            )
        steps = [CaseStatus.INTAKE]
        dates = [opened_on]
        if status != CaseStatus.INTAKE:
            steps.append(CaseStatus.RUNNING)
            dates.append(min(today, opened_on + datetime.timedelta(rng.randint(1, 20))))
        if closed_on:
            steps.append(CaseStatus.CLOSED)
            dates.append(max(closed_on, dates[-1]))
        self.status_path(case_id, steps, dates, steering)
        providers = rng.sample(
            self.region_providers[region_id], min(2, len(self.region_providers[region_id]))
        )
        for provider in providers[: rng.choice([1, 2])]:
            self.rows[Case.providers.through].append((self.next_id("cp"), case_id, provider))
        partners = self.sozialraum_partners[sr_id]
        for partner in rng.sample(partners, min(len(partners), rng.choice([1, 2, 3]))):
            self.rows[Case.partners.through].append((self.next_id("cpa"), case_id, partner))
        if status != CaseStatus.INTAKE:
            self.project_costs.append(
                (
                    case_id,
                    region_id,
                    sr_id,
                    providers[0],
                    steering,
                    opened_on,
                    closed_on,
                    kind,
                    f"{title} {sr_name}",
                )
            )
        self.notes(case_id, steering, opened_on, closed_on or today, [])

    def case_tables_load(self) -> None:
        load = self.loader.load
        self.audit.sort()
        tables = [
            (
                Case,
                [
                    "id",
                    "number",
                    "kind",
                    "status",
                    "region_id",
                    "sozialraum_id",
                    "sozialraum_override_reason",
                    "steering_caseworker_id",
                    "title",
                    "opened_on",
                    "closed_on",
                    "end_reason",
                    "concern",
                    "will",
                    "street",
                    "house_number",
                    "postcode",
                    "target_group",
                    "participants_count",
                    "project_goals",
                    "outcome",
                    "created_at",
                    "created_by_id",
                ],
            ),
            (Case.providers.through, ["id", "case_id", "provider_id"]),
            (Case.partners.through, ["id", "case_id", "partner_id"]),
            (
                CaseStatusChange,
                [
                    "id",
                    "case_id",
                    "from_status",
                    "to_status",
                    "reason",
                    "changed_by_id",
                    "changed_at",
                ],
            ),
            (
                Person,
                [
                    "id",
                    "case_id",
                    "role",
                    "first_name",
                    "last_name",
                    "birth_date",
                    "relation",
                    "phone",
                    "name_key",
                ],
            ),
            (SearchWord, ["id", "case_id", "person_id", "region_id", "word"]),
            (
                Resource,
                ["id", "case_id", "kind", "description", "partner_id", "offer_id", "created_at"],
            ),
            (Goal, ["id", "case_id", "text", "achieved_on", "created_at"]),
            (ActionStep, ["id", "goal_id", "text", "owner", "due_on", "done_on"]),
            (
                Help,
                [
                    "id",
                    "case_id",
                    "sozialraum_id",
                    "region_id",
                    "help_type_id",
                    "hours_per_week",
                    "monthly_cost",
                    "placement_location",
                    "starts_on",
                    "planned_end_on",
                    "ended_on",
                    "rationale",
                    "decided_by_id",
                    "decided_at",
                ],
            ),
            (HelpPlan, ["id", "help_id", "case_id", "created_at"]),
            (
                HelpPlanReview,
                [
                    "id",
                    "help_plan_id",
                    "case_id",
                    "due_on",
                    "held_on",
                    "participants",
                    "summary",
                    "recorded_by_id",
                ],
            ),
            (
                Assignment,
                [
                    "id",
                    "case_id",
                    "help_id",
                    "provider_id",
                    "alliance_id",
                    "status",
                    "starts_on",
                    "ends_on",
                    "ended_on",
                    "provider_contact",
                    "instructions",
                    "commissioned_by_id",
                    "commissioned_at",
                ],
            ),
            (
                Note,
                [
                    "id",
                    "case_id",
                    "assignment_id",
                    "kind",
                    "text",
                    "internal",
                    "author_id",
                    "created_at",
                ],
            ),
            (
                RiskAssessment,
                [
                    "id",
                    "case_id",
                    "assignment_id",
                    "level",
                    "facts",
                    "assessed_by_id",
                    "assessed_at",
                    "concluded_by_id",
                    "concluded_at",
                    "is_open",
                    "alert_rank",
                ],
            ),
            (RiskAcknowledgement, ["id", "assessment_id", "role", "user_id", "at"]),
            (
                SafetyPlan,
                ["id", "assessment_id", "case_id", "review_on", "closed_on", "created_at"],
            ),
            (
                PeerConsultation,
                ["id", "case_id", "held_on", "question", "ideas", "next_step", "recorded_by_id"],
            ),
            (PeerConsultation.participants.through, ["id", "peerconsultation_id", "user_id"]),
        ]
        for model, columns in tables:
            load(model, columns, self.rows.pop(model, []))
        # What the review services keep on each case: the day its earliest open review is due.
        cases_review_due_fill()
        load(
            AuditEntry,
            ["id", "at", "user_id", "action", "object_type", "object_id", "case_number", "detail"],
            ((k + 1, *row) for k, row in enumerate(self.audit)),
        )
        self.audit = []
        load(
            CaseNumberSequence,
            ["id", "region_id", "year", "last"],
            (
                (k + 1, r, y, last)
                for k, ((r, y), last) in enumerate(sorted(self.sequences.items()))
            ),
        )

    # money --------------------------------------------------------------------------------

    def money(self) -> None:
        """Three fiscal years: commitments for assignments and projects, payments, the ledger."""
        rng, today = self.rng, self.today
        year_index = {year: k for k, year in enumerate(self.years)}
        budget_id = {}
        for year in self.years:
            budget_id[(year, None)] = self.next_id("budget")
            for region_id, *_ in self.regions:
                budget_id[(year, region_id)] = self.next_id("budget")
        self.budget_id = budget_id

        # Each commitment: id, budget, kind, title, sozialraum, provider, basis, hours, rate,
        # monthly, starts, ends, ended, year_end, by, assignment, bound, release, paid,
        # paid_until, cancelled, booked_on.
        commitments = []
        for (
            assignment_id,
            case_id,
            region_id,
            sr_id,
            provider,
            steering,
            start,
            planned_end,
            ended,
            hours,
            monthly,
            help_type_id,
        ) in self.assignment_costs:
            # One commitment per fiscal year the assignment runs in (as `budgets.assignments`
            # binds it), each cut at the year's bounds; a year that would begin after the help
            # ended was never bound.
            for year in range(start.year, min(planned_end.year, today.year) + 1):
                year_start = max(start, D(year, 1, 1))
                if ended is not None and ended < year_start:
                    break
                commitments.append(
                    self.assignment_commitment(
                        year, year_start, planned_end, ended, hours, monthly, provider,
                        budget_id[(year, region_id)], sr_id, steering, assignment_id,
                        f"{self.help_names[help_type_id]} · {self.case_numbers[case_id]}",
                    )
                )  # fmt: skip
        for (
            _case,
            region_id,
            sr_id,
            provider,
            steering,
            opened_on,
            closed_on,
            kind,
            title,
        ) in self.project_costs:
            last_day = closed_on or today
            for year in range(opened_on.year, last_day.year + 1):
                start = max(opened_on, D(year, 1, 1))
                end = min(last_day if closed_on else D(year, 12, 31), D(year, 12, 31))
                if end < start:
                    continue
                share = Decimal((end - start).days + 1) / Decimal(365)
                amount = money_round(Decimal(rng.randint(40, 600)) * 100 * share)
                if amount <= 0:
                    continue
                elapsed = min(today, end)
                paid = ZERO
                if elapsed >= start:
                    part = Decimal((elapsed - start).days + 1) / Decimal((end - start).days + 1)
                    paid = money_round(amount * part * Decimal(rng.randint(90, 100)) / 100)
                cancelled = rng.random() < 0.004
                commitments.append(
                    [
                        self.next_id("commitment"),
                        budget_id[(year, region_id)],
                        kind,
                        f"{title} {year}",
                        sr_id,
                        provider,
                        CostBasis.AMOUNT,
                        None,
                        None,
                        None,
                        start,
                        end,
                        None,
                        amount,
                        steering,
                        None,
                        amount,
                        ZERO,
                        ZERO if cancelled else paid,
                        elapsed,
                        cancelled,
                        max(D(year, 1, 1), start - datetime.timedelta(rng.randint(0, 10))),
                    ]
                )
        self.commitments = commitments
        self.ledger(year_index)

    def assignment_commitment(
        self, year, start, planned_end, ended, hours, monthly, provider, budget, sr_id, steering,
        assignment_id, title,
    ) -> list:  # fmt: skip
        """One year's commitment of an assignment: bound, released, paid (see `money`)."""
        rng, today = self.rng, self.today
        basis = CostBasis.MONTHLY if monthly else CostBasis.HOURS
        rate = self.hourly_rate[provider] if hours else None

        def cost(until) -> Decimal:
            if basis == CostBasis.HOURS:
                return calculations.hours_cost(
                    hours_per_week=hours, hourly_rate=rate, starts_on=start, ends_on=until,
                    year=year,
                )  # fmt: skip
            return calculations.monthly_cost(
                monthly_amount=monthly, starts_on=start, ends_on=until, year=year
            )

        bound = cost(planned_end)
        release, ended_on = ZERO, None
        period_end = min(today, D(year, 12, 31), planned_end)
        if ended is not None and ended.year == year:
            ended_on = ended
            period_end = min(period_end, ended)
            release = bound - cost(min(ended, planned_end))
        paid = ZERO
        if period_end >= start:
            paid = money_round(cost(period_end) * Decimal(rng.randint(85, 100)) / 100)
        paid = min(paid, bound - release)
        return [
            self.next_id("commitment"), budget, CaseKind.INDIVIDUAL, title, sr_id, provider,
            basis, hours, rate, monthly, start, planned_end, ended_on, cost(None), steering,
            assignment_id, bound, release, paid, period_end, False,
            max(D(year, 1, 1), start - datetime.timedelta(rng.randint(0, 10))),
        ]  # fmt: skip

    def ledger(self, year_index) -> None:
        rng, today, load = self.rng, self.today, self.loader.load
        planner = self.planners[0]
        committed = defaultdict(lambda: ZERO)  # (year, region) → net bound
        for c in self.commitments:
            if not c[20]:
                committed[c[1]] += c[16] - c[17]
        # Entries: (booked_on, order, budget, kind, figure, amount, commitment, payment,
        # transfer, split, reverses key, text, reason, created_by, key)
        entries: list[tuple] = []
        # The commitments' cached bound and paid sums, summed as the entries are made.
        commitment_sums: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
        order = iter(range(10**9))

        def entry(
            day,
            budget,
            kind,
            figure,
            amount,
            by,
            text,
            commitment=None,
            payment=None,
            transfer=None,
            split=None,
            reverses=None,
            reason="",
        ) -> int:
            key = next(order)
            if commitment is not None and figure != Figure.ALLOCATED:
                commitment_sums[(commitment, figure)] += amount
            entries.append(
                (
                    day,
                    key,
                    budget,
                    kind,
                    figure,
                    amount,
                    commitment,
                    payment,
                    transfer,
                    split,
                    reverses,
                    text[:300],
                    reason,
                    by,
                )
            )
            return key

        # Allocations: the reserve, the split, transfers and carry-overs, sized so that every
        # region keeps some money free.
        splits, shares, reserves, fiscal_years, requests = [], [], [], [], []
        carry = {}
        for year in self.years[:-1]:
            for region_id, *_ in self.regions:
                if rng.random() < 0.5:
                    bound = committed[self.budget_id[(year, region_id)]]
                    carry[(year, region_id)] = max(
                        Decimal(100), money_round(bound * Decimal("0.02"))
                    )
        transfers = defaultdict(list)  # year → [(region, amount, day)]
        for year in self.years:
            for _ in range(2):
                region_id = rng.choice(self.regions)[0]
                day = self.day_between(D(year, 3, 1), min(today, D(year, 10, 31)))
                transfers[year].append((region_id, Decimal(rng.randint(20, 80)) * 1000, day))
        for year in self.years:
            fy_id = year_index[year] + 1
            reserve_budget = self.budget_id[(year, None)]
            region_shares = {}
            for region_id, *_ in self.regions:
                budget = self.budget_id[(year, region_id)]
                need = committed[budget] * Decimal(rng.randint(103, 112)) / 100
                need += carry.get((year, region_id), ZERO)
                need -= carry.get((year - 1, region_id), ZERO)
                need -= sum((a for r, a, _ in transfers[year] if r == region_id), ZERO)
                region_shares[region_id] = Decimal(max(1000, math.ceil(need / 1000) * 1000))
            distributable = sum(region_shares.values(), ZERO)
            transferred = sum((a for _, a, _ in transfers[year]), ZERO)
            reserve = Decimal(
                math.ceil((distributable * Decimal("0.03") + transferred) / 1000) * 1000
            )
            fiscal_years.append(
                (fy_id, year, distributable + reserve, planner, self.at(D(year - 1, 11, 15)))
            )
            reserves.append((fy_id, fy_id, reserve, None, reserve))
            opened = D(year, 1, 2)
            entry(
                opened,
                reserve_budget,
                EntryKind.ALLOCATION,
                Figure.ALLOCATED,
                reserve,
                planner,
                f"Vorwegabzug {year}",
            )
            split_id = fy_id
            splits.append(
                (
                    split_id,
                    fy_id,
                    SplitMethod.MANUAL,
                    "Nach Fallzahlen und Bedarfen des Vorjahres.",
                    planner,
                    self.at(opened),
                    distributable,
                )
            )
            for region_id, amount in region_shares.items():
                shares.append((self.next_id("share"), split_id, region_id, amount))
                entry(
                    opened,
                    self.budget_id[(year, region_id)],
                    EntryKind.ALLOCATION,
                    Figure.ALLOCATED,
                    amount,
                    planner,
                    f"Zuweisung {year} ({SplitMethod.MANUAL.label})",
                    split=split_id,
                    reason="Nach Fallzahlen und Bedarfen des Vorjahres.",
                )
            for region_id, amount, day in transfers[year]:
                request_id = self.next_id("request")
                lead = self.team_leads[region_id][0]
                budget = self.budget_id[(year, region_id)]
                requests.append(
                    (
                        request_id,
                        budget,
                        amount,
                        "Mehrere Inobhutnahmen im Frühjahr.",
                        lead,
                        self.at(day - datetime.timedelta(7)),
                        TransferStatus.APPROVED,
                        planner,
                        self.at(day),
                        "",
                    )
                )
                name = self.regions[region_id - 1][2]
                entry(
                    day,
                    reserve_budget,
                    EntryKind.TRANSFER,
                    Figure.ALLOCATED,
                    -amount,
                    planner,
                    f"Umbuchung an Region {name}",
                    transfer=request_id,
                    reason="Mehrere Inobhutnahmen im Frühjahr.",
                )
                entry(
                    day,
                    budget,
                    EntryKind.TRANSFER,
                    Figure.ALLOCATED,
                    amount,
                    planner,
                    "Umbuchung aus dem Vorwegabzug",
                    transfer=request_id,
                    reason="Mehrere Inobhutnahmen im Frühjahr.",
                )
        # One request waiting for a decision, one refused, both in the current year.
        year = self.years[-1]
        for status in (TransferStatus.PENDING, TransferStatus.REJECTED):
            region_id = self.regions[0][0]
            pending = status == TransferStatus.PENDING
            requests.append(
                (
                    self.next_id("request"),
                    self.budget_id[(year, region_id)],
                    Decimal(25000),
                    "Zusätzliche Familienhilfen.",
                    self.team_leads[region_id][0],
                    self.at(min(today, D(year, 6, 1))),
                    status,
                    None if pending else planner,
                    None if pending else self.at(min(today, D(year, 6, 8))),
                    "" if pending else "Der Vorwegabzug ist für Unterbringungen reserviert.",
                )
            )
        for (year, region_id), amount in carry.items():
            day = D(year + 1, 1, 15)
            text = f"Übertrag {year} → {year + 1} für Sozialraumprojekte"
            entry(
                day,
                self.budget_id[(year, region_id)],
                EntryKind.CARRY_OVER,
                Figure.ALLOCATED,
                -amount,
                planner,
                text,
            )
            entry(
                day,
                self.budget_id[(year + 1, region_id)],
                EntryKind.CARRY_OVER,
                Figure.ALLOCATED,
                amount,
                planner,
                text,
            )

        # Commitments, releases and cancellations.
        for c in self.commitments:
            (cid, budget, _k, title, *_r, by, _a, bound, release, _p, _u, cancelled, booked) = c[
                :22
            ]
            key = entry(
                booked,
                budget,
                EntryKind.COMMITMENT,
                Figure.COMMITTED,
                bound,
                by,
                f"Bewilligung: {title}",
                commitment=cid,
            )
            if release > 0:
                day = min(today, c[12] + datetime.timedelta(rng.randint(0, 5)))
                entry(
                    day,
                    budget,
                    EntryKind.RELEASE,
                    Figure.COMMITTED,
                    -release,
                    by,
                    f"Freigabe (vorzeitig beendet am {c[12]:%d.%m.%Y}): {title}",
                    commitment=cid,
                    reason="Hilfe vorzeitig beendet.",
                )
            if cancelled:
                day = min(today, booked + datetime.timedelta(rng.randint(1, 20)))
                entry(
                    day,
                    budget,
                    EntryKind.REVERSAL,
                    Figure.COMMITTED,
                    -bound,
                    by,
                    f"Storno: Bewilligung: {title}",
                    commitment=cid,
                    reverses=key,
                    reason="Doppelt erfasst.",
                )

        # Payments fill the ledger up to its target size, spread by how long each commitment ran.
        payers = [c for c in self.commitments if c[18] > 0]
        left = max(0, self.scale.ledger_entries - len(entries))
        reversals = left // 300
        count = max(len(payers), left - reversals)
        weights = [max(1, (c[19] - c[10]).days // 30 + 1) for c in payers]
        plan = _spread(count, weights, [int(c[18] / CENT) for c in payers], rng)
        payments, paid_entries = [], []
        for c, n in zip(payers, plan, strict=True):
            cid, budget, title, by, start, until, paid = (
                c[0],
                c[1],
                c[3],
                c[14],
                c[10],
                c[19],
                c[18],
            )
            cents = int(paid / CENT)
            each, rest = divmod(cents, n)
            span = max(0, (until - start).days)
            for k in range(n):
                amount = Decimal(each + (1 if k < rest else 0)) / 100
                day = start + datetime.timedelta(days=span * (k + 1) // n)
                payment_id = self.next_id("payment")
                payments.append(
                    (payment_id, cid, amount.quantize(CENT), day, "", by, self.at(day, 11))
                )
                key = entry(
                    day,
                    budget,
                    EntryKind.PAYMENT,
                    Figure.PAID,
                    amount.quantize(CENT),
                    by,
                    f"Zahlung: {title}",
                    commitment=cid,
                    payment=payment_id,
                )
                paid_entries.append((key, day, budget, cid, amount.quantize(CENT), by, title))
        for key, day, budget, cid, amount, by, title in rng.sample(
            paid_entries, min(reversals, len(paid_entries))
        ):
            entry(
                min(today, day + datetime.timedelta(rng.randint(1, 20))),
                budget,
                EntryKind.REVERSAL,
                Figure.PAID,
                -amount,
                by,
                f"Storno: Zahlung: {title}",
                commitment=cid,
                reverses=key,
                reason="Doppelt überwiesen.",
            )
        paid_entries.clear()

        load(FiscalYear, ["id", "year", "total", "created_by_id", "created_at"], fiscal_years)
        load(
            Reserve,
            ["id", "fiscal_year_id", "amount", "percentage", "resolved_amount"],
            reserves,
        )
        # Cached figures start at zero and are set once the entries are written (below).
        budgets = [
            (pk, year_index[year] + 1, region, ZERO, ZERO, ZERO)
            for (year, region), pk in self.budget_id.items()
        ]
        load(
            Budget,
            [
                "id",
                "fiscal_year_id",
                "region_id",
                "cached_allocated",
                "cached_committed",
                "cached_paid",
            ],
            budgets,
        )
        load(
            BudgetSplit,
            [
                "id",
                "fiscal_year_id",
                "method",
                "rationale",
                "decided_by_id",
                "decided_at",
                "distributable",
            ],
            splits,
        )
        load(BudgetSplitShare, ["id", "split_id", "region_id", "amount"], shares)
        load(
            ReserveTransferRequest,
            [
                "id",
                "budget_id",
                "amount",
                "justification",
                "requested_by_id",
                "requested_at",
                "status",
                "decided_by_id",
                "decided_at",
                "decision_note",
            ],
            requests,
        )
        load(
            Commitment,
            [
                "id",
                "budget_id",
                "kind",
                "title",
                "sozialraum_id",
                "provider_id",
                "basis",
                "hours_per_week",
                "hourly_rate",
                "monthly_cost",
                "starts_on",
                "ends_on",
                "ended_on",
                "year_end_amount",
                "created_by_id",
                "assignment_id",
                "is_cancelled",
                "is_project_carry_over",
                "override_by_id",
                "override_reason",
                "created_at",
                "cached_bound",
                "cached_paid",
            ],
            (
                (
                    *c[:16],
                    c[20],
                    False,
                    None,
                    "",
                    self.at(c[21], 9),
                    commitment_sums[(c[0], Figure.COMMITTED)],
                    commitment_sums[(c[0], Figure.PAID)],
                )
                for c in self.commitments
            ),
        )
        # The budgets' totals by kind and help type, from the same sums.
        help_type_of = {row[0]: row[11] for row in self.assignment_costs}
        projection: dict[int, Decimal] = defaultdict(lambda: ZERO)
        totals: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for c in self.commitments:
            total = totals[(c[1], c[2], help_type_of.get(c[15]))]
            total[0] += commitment_sums[(c[0], Figure.COMMITTED)]
            total[1] += commitment_sums[(c[0], Figure.PAID)]
        load(
            CommitmentTotal,
            ["id", "budget_id", "kind", "help_type_id", "bound", "paid"],
            (
                (index + 1, *key, bound, paid)
                for index, (key, (bound, paid)) in enumerate(sorted(totals.items(), key=str))
            ),
        )
        # The same by provider and Sozialraum, and each budget's projection to 31 December from
        # its running commitments (`Budget.cached_projection`), as the booking service keeps them.
        place_totals: dict[tuple, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for c in self.commitments:
            place = place_totals[(c[1], c[5], c[4])]
            place[0] += commitment_sums[(c[0], Figure.COMMITTED)]
            place[1] += commitment_sums[(c[0], Figure.PAID)]
            if c[12] is None and not c[20]:
                projection[c[1]] += c[13] - commitment_sums[(c[0], Figure.COMMITTED)]
        load(
            CommitmentPlaceTotal,
            ["id", "budget_id", "provider_id", "sozialraum_id", "bound", "paid"],
            (
                (index + 1, *key, bound, paid)
                for index, (key, (bound, paid)) in enumerate(sorted(place_totals.items(), key=str))
            ),
        )
        load(
            Payment,
            ["id", "commitment_id", "amount", "paid_on", "note", "created_by_id", "created_at"],
            payments,
        )
        payments.clear()

        entries.sort(key=lambda e: (e[0], e[1]))
        # Reversals name the entry they cancel by its key; entries get their ids only now.
        reversed_keys = {e[10] for e in entries if e[10] is not None}
        ids = {e[1]: index + 1 for index, e in enumerate(entries) if e[1] in reversed_keys}
        cache = defaultdict(lambda: ZERO)

        free_texts: list[tuple] = []

        def rows():
            day, second = None, 0
            for index, e in enumerate(entries):
                (
                    booked,
                    _key,
                    budget,
                    kind,
                    figure,
                    amount,
                    commitment,
                    payment,
                    transfer,
                    split,
                    reverses,
                    text,
                    reason,
                    by,
                ) = e
                second = second + 1 if booked == day else 0
                day = booked
                cache[(budget, figure)] += amount
                created = self.at(booked, 8) + datetime.timedelta(seconds=second)
                yield (
                    index + 1,
                    budget,
                    kind,
                    figure,
                    amount,
                    booked,
                    commitment,
                    payment,
                    transfer,
                    split,
                    ids[reverses] if reverses is not None else None,
                    by,
                    created,
                )
                # The free text beside the entry (budgets.LedgerText), keyed by its id.
                free_texts.append((index + 1, text, reason, None, ""))

        load(
            LedgerEntry,
            [
                "id",
                "budget_id",
                "kind",
                "figure",
                "amount",
                "booked_on",
                "commitment_id",
                "payment_id",
                "transfer_request_id",
                "split_id",
                "reverses_id",
                "created_by_id",
                "created_at",
            ],
            rows(),
        )
        load(LedgerText, ["entry_id", "text", "reason", "erased_on", "erased_because"], free_texts)
        free_texts.clear()
        entries.clear()
        ids.clear()
        # The cached figures, summed here from the entries just written (not read back).
        columns = {
            Figure.ALLOCATED: "cached_allocated",
            Figure.COMMITTED: "cached_committed",
            Figure.PAID: "cached_paid",
        }
        for pk in self.budget_id.values():
            Budget.objects.filter(pk=pk).update(
                **{column: cache[(pk, figure)] for figure, column in columns.items()},
                cached_projection=projection[pk],
            )


def _square(west: float, south: float, width: float, height: float) -> dict:
    ring = [
        [west, south],
        [west + width, south],
        [west + width, south + height],
        [west, south + height],
        [west, south],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _spread(total: int, weights: list[int], caps: list[int], rng: random.Random) -> list[int]:
    """Split `total` into one count per weight (each at least 1, at most its cap), by weight."""
    if not weights:
        return []
    whole = sum(weights)
    counts = [max(1, min(cap, total * w // whole)) for w, cap in zip(weights, caps, strict=True)]
    missing = total - sum(counts)
    order = list(range(len(counts)))
    rng.shuffle(order)
    while missing > 0:
        moved = False
        for index in order:
            if missing == 0:
                break
            if counts[index] < caps[index]:
                counts[index] += 1
                missing -= 1
                moved = True
        if not moved:
            break
    return counts


def city_generate(
    *,
    scale: Scale | None = None,
    seed: int = 8,
    today: datetime.date | None = None,
    out: Callable[[str], None] = print,
) -> Summary:
    """Build the city into an empty database (see the module's docstring)."""
    scale = scale or Scale()
    city = City(scale, seed, today or timezone.localdate(), out)
    city.case_numbers = {}
    city.sozialraum_name = {}
    city.stage("Raum, Träger, Konten", city.ground)
    for sr_id, _region, _team, _code, name in city.sozialraeume:
        city.sozialraum_name[sr_id] = name
    city.stage("Netzwerk", city.network)
    city.stage("Fälle", city.cases)
    city.stage("Geld", city.money)
    city.stage("Sequenzen", sequences_reset)
    # VACUUM cannot run inside a transaction (as in a test); there the statistics do not matter.
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        city.stage("VACUUM ANALYZE", _vacuum_analyze)
    return Summary(city.loader.counts, city.seconds, city.today, city.years)


def _vacuum_analyze() -> None:
    # Fresh tables: statistics for the planner and a visibility map for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
