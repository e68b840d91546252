"""The demo town Lindenau: two regions, four Sozialräume, a street directory, providers, accounts.

Everything here is invented. The build is idempotent: running it again changes nothing but
resetting the demo accounts' passwords.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sozialraum.models import (
    Agreement,
    AgreementKind,
    AsdTeam,
    Parity,
    Population,
    Provider,
    ProviderAlliance,
    Region,
    RegionProvider,
    Role,
    Sozialraum,
    StreetSegment,
    User,
)

DEMO_PASSWORD = "demo-passwort"
START = datetime.date(2020, 1, 1)
REDRAWN = datetime.date(2024, 1, 1)

# (username, first name, last name, role, team key or provider short name)
DEMO_ACCOUNTS = [
    ("asd-nord", "Anna", "Berger", Role.CASEWORKER, "N"),
    ("asd-sued", "Murat", "Yılmaz", Role.CASEWORKER, "S"),
    ("leitung-nord", "Katrin", "Vogel", Role.TEAM_LEAD, "N"),
    ("traeger-a", "Jonas", "Krüger", Role.PROVIDER_STAFF, "KJH Lindenau"),
    ("traeger-b", "Lea", "Schmidt", Role.PROVIDER_STAFF, "Diakonie Süd"),
    ("planung", "Sabine", "Hoffmann", Role.PLANNER, None),
    ("admin", "Thomas", "Wagner", Role.ADMIN, None),
]

# The colleagues who carry the demo town's everyday cases (budgets/demo_town.py), so that the
# demo accounts' start pages keep their few showcase cases. They cannot log in.
TOWN_STAFF = [
    ("asd-nord-2", "Miriam", "Lorenz", Role.CASEWORKER, "N"),
    ("asd-nord-3", "Felix", "Hartmann", Role.CASEWORKER, "N"),
    ("asd-sued-2", "Svenja", "Albers", Role.CASEWORKER, "S"),
    ("asd-sued-3", "Kemal", "Aksoy", Role.CASEWORKER, "S"),
    ("leitung-sued", "Renate", "Brodersen", Role.TEAM_LEAD, "S"),
    ("kjh-2", "Tobias", "Reimers", Role.PROVIDER_STAFF, "KJH Lindenau"),
    ("awo-1", "Helga", "Paulsen", Role.PROVIDER_STAFF, "AWO Lindenau"),
    ("teich-1", "Ole", "Carstens", Role.PROVIDER_STAFF, "Familienhilfe Am Teich"),
    ("diakonie-2", "Irina", "Sokolova", Role.PROVIDER_STAFF, "Diakonie Süd"),
    ("caritas-1", "Benedikt", "Franke", Role.PROVIDER_STAFF, "Caritas"),
    ("sprungbrett-1", "Dilara", "Öztürk", Role.PROVIDER_STAFF, "Sprungbrett"),
]

PROVIDERS = [
    # short name, name, legal form, street, contact, phone
    ("KJH Lindenau", "Kinder- und Jugendhilfe Lindenau", "e.V.", "Birkenallee 12", "Jonas Krüger"),
    ("Diakonie Süd", "Diakonisches Werk Lindenau-Süd", "gGmbH", "Kirchplatz 3", "Lea Schmidt"),
    ("AWO Lindenau", "AWO Kreisverband Lindenau", "e.V.", "Mühlenweg 40", "Petra Lange"),
    ("Caritas", "Caritasverband Lindenau", "e.V.", "Marktstraße 7", "Stefan Brandt"),
    ("Familienhilfe Am Teich", "Familienhilfe Am Teich", "gGmbH", "Teichstraße 5", "Nina Roth"),
    ("Sprungbrett", "Sprungbrett Jugendhilfe", "gGmbH", "Bahnhofstraße 88", "Ali Demir"),
]

# Region code → [(provider short name, is lead)]
REGION_PROVIDERS = {
    "N": [("KJH Lindenau", True), ("AWO Lindenau", True), ("Familienhilfe Am Teich", False)],
    "S": [("Diakonie Süd", True), ("Caritas", False), ("Sprungbrett", False)],
}

# Sozialraum code → (name, region, population 2024/2025/2026 as (minors, young adults))
SOZIALRAEUME = {
    "N1": ("Lindenau-Heide", "N", [(2140, 410), (2185, 402), (2230, 415)]),
    "N2": ("Am Mühlenteich", "N", [(1620, 330), (1598, 341), (1611, 338)]),
    "S1": ("Altstadt", "S", [(1890, 520), (1912, 533), (1950, 541)]),
    "S2": ("Bahnhofsviertel", "S", [(2410, 610), (2475, 622), (2520, 640)]),
}

NORTH, SOUTH = "24850", "24852"
# street, postcode, from, to, parity, Sozialraum code; all valid from START unless noted.
STREETS = [
    ("Heideweg", NORTH, None, None, Parity.ALL, "N1"),
    ("Birkenallee", NORTH, None, None, Parity.ALL, "N1"),
    ("Am Sportplatz", NORTH, None, None, Parity.ALL, "N1"),
    ("Kiefernweg", NORTH, None, None, Parity.ALL, "N1"),
    ("Schulstraße", NORTH, 1, 48, Parity.ALL, "N1"),
    ("Schulstraße", NORTH, 49, None, Parity.ALL, "N2"),
    ("Mühlenweg", NORTH, None, None, Parity.ALL, "N2"),
    ("Teichstraße", NORTH, None, None, Parity.ALL, "N2"),
    ("Am Mühlenteich", NORTH, None, None, Parity.ALL, "N2"),
    ("Eichendorffstraße", NORTH, None, None, Parity.ALL, "N2"),
    # The regions meet at Lange Straße, as Norderstedt's meet at one street.
    ("Lange Straße", NORTH, 1, 120, Parity.ALL, "N2"),
    ("Lange Straße", SOUTH, 121, None, Parity.ALL, "S1"),
    ("Marktstraße", SOUTH, None, None, Parity.ALL, "S1"),
    ("Kirchplatz", SOUTH, None, None, Parity.ALL, "S1"),
    ("Rosengasse", SOUTH, None, None, Parity.ALL, "S1"),
    ("Hauptstraße", SOUTH, None, None, Parity.ODD, "S1"),
    ("Hauptstraße", SOUTH, None, None, Parity.EVEN, "S2"),
    ("Gleisweg", SOUTH, None, None, Parity.ALL, "S2"),
    ("Am Güterbahnhof", SOUTH, None, None, Parity.ALL, "S2"),
    ("Theodor-Heuss-Straße", SOUTH, None, None, Parity.ALL, "S2"),
    # Parkweg exists in both postcodes: without the PLZ the address is ambiguous.
    ("Parkweg", NORTH, None, None, Parity.ALL, "N1"),
    ("Parkweg", SOUTH, None, None, Parity.ALL, "S2"),
]
# Redrawn on 1 January 2024: Bahnhofstraße moved from the Altstadt to the Bahnhofsviertel.
REDRAWN_STREETS = [
    ("Bahnhofstraße", SOUTH, None, None, Parity.ALL, "S1", START, REDRAWN - datetime.timedelta(1)),
    ("Bahnhofstraße", SOUTH, None, None, Parity.ALL, "S2", REDRAWN, None),
]


@transaction.atomic
def demo_town_build() -> bool:
    """Build the demo town; return False if it was already there (accounts are refreshed)."""
    created = not Region.objects.filter(code="N").exists()
    if created:
        _build_space()
        _build_providers()
    _build_accounts()
    return created


def _build_space() -> None:
    regions = {
        "N": Region.objects.create(code="N", name="Nord"),
        "S": Region.objects.create(code="S", name="Süd"),
    }
    teams = {
        code: AsdTeam.objects.create(
            region=region,
            name=f"ASD {region.name}",
            email=f"asd-{code.lower()}@jugendamt-lindenau.example",
            phone=f"04100 123-{40 if code == 'N' else 50}",
        )
        for code, region in regions.items()
    }
    sozialraeume: dict[str, Sozialraum] = {}
    for code, (name, region_code, figures) in SOZIALRAEUME.items():
        # S2 was the "Südstadt" until it was redrawn as the Bahnhofsviertel.
        start = REDRAWN if code == "S2" else START
        sozialraum = Sozialraum.objects.create(
            code=code,
            name=name,
            region=regions[region_code],
            asd_team=teams[region_code],
            valid_from=start,
        )
        sozialraeume[code] = sozialraum
        for year, (minors, young_adults) in zip((2024, 2025, 2026), figures, strict=True):
            Population.objects.create(
                sozialraum=sozialraum, year=year, minors=minors, young_adults=young_adults
            )
    old_south = Sozialraum.objects.create(
        code="S2",
        name="Südstadt",
        region=regions["S"],
        asd_team=teams["S"],
        valid_from=START,
        valid_until=REDRAWN - datetime.timedelta(1),
    )
    sozialraeume["S2"].predecessors.add(old_south)

    rows = [(*row, START, None) for row in STREETS] + REDRAWN_STREETS
    for street, postcode, number_from, number_to, parity, code, valid_from, valid_until in rows:
        target = sozialraeume[code]
        pieces = [(target, max(valid_from, target.valid_from), valid_until)]
        if target.valid_from > valid_from:
            # Before the redraw the street belonged to the predecessor: history stays correct.
            pieces.append((old_south, valid_from, target.valid_from - datetime.timedelta(1)))
        for sozialraum, piece_from, piece_until in pieces:
            StreetSegment.objects.create(
                street=street,
                postcode=postcode,
                number_from=number_from,
                number_to=number_to,
                parity=parity,
                sozialraum=sozialraum,
                valid_from=piece_from,
                valid_until=piece_until,
            )


def _build_providers() -> None:
    today = timezone.localdate()
    providers: dict[str, Provider] = {}
    for short_name, name, legal_form, street, contact in PROVIDERS:
        providers[short_name] = Provider.objects.create(
            name=f"{name} {legal_form}",
            short_name=short_name,
            legal_form=legal_form,
            street=street,
            postcode=NORTH if "Süd" not in name and short_name != "Sprungbrett" else SOUTH,
            city="Lindenau",
            contact_person=contact,
            phone="04100 55" + str(len(providers) + 1).zfill(3),
            email=f"kontakt@{short_name.lower().replace(' ', '-')}.example",
        )
    for region_code, entries in REGION_PROVIDERS.items():
        region = Region.objects.get(code=region_code)
        for short_name, is_lead in entries:
            RegionProvider.objects.create(
                region=region, provider=providers[short_name], is_lead=is_lead, valid_from=START
            )
            Agreement.objects.create(
                provider=providers[short_name],
                region=region,
                kind=AgreementKind.COOPERATION if is_lead else AgreementKind.SERVICE,
                title=(
                    f"Kooperationsvereinbarung Sozialraum {region.name}"
                    if is_lead
                    else f"Leistungsvereinbarung ambulante Hilfen {region.name}"
                ),
                hourly_rate=Decimal("64.80") if is_lead else Decimal("61.20"),
                # Relative to today: the demo town's two years of helps all have a rate.
                valid_from=datetime.date(today.year - 2, 1, 1),
                valid_until=datetime.date(today.year + 1, 12, 31),
            )
    alliance = ProviderAlliance.objects.create(
        name="Trägerverbund Lindenau-Süd",
        region=Region.objects.get(code="S"),
        lead_provider=providers["Diakonie Süd"],
        valid_from=START,
    )
    alliance.members.set(
        [providers["Diakonie Süd"], providers["Caritas"], providers["Sprungbrett"]]
    )


def _build_accounts() -> None:
    for username, first_name, last_name, role, membership in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.role = first_name, last_name, role
        user.email = f"{username}@jugendamt-lindenau.example"
        user.asd_team = (
            AsdTeam.objects.get(region__code=membership)
            if role
            in (
                Role.CASEWORKER,
                Role.TEAM_LEAD,
            )
            else None
        )
        user.provider = (
            Provider.objects.get(short_name=membership) if role == Role.PROVIDER_STAFF else None
        )
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.is_active = True
        user.is_demo_account = True  # may skip the second factor, in demo mode only
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()


def town_staff_ensure() -> dict[str, User]:
    """The demo town's further colleagues (TOWN_STAFF), created once; {username: user}."""
    staff: dict[str, User] = {}
    for username, first_name, last_name, role, membership in TOWN_STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                role=role,
                email=f"{username}@jugendamt-lindenau.example",
                asd_team=AsdTeam.objects.get(region__code=membership)
                if role in (Role.CASEWORKER, Role.TEAM_LEAD)
                else None,
                provider=Provider.objects.get(short_name=membership)
                if role == Role.PROVIDER_STAFF
                else None,
            )
            user.set_unusable_password()
            user.full_clean()
            user.save()
        staff[username] = user
    return staff
