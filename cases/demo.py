"""Demo cases for Lindenau: all three kinds of work in every Sozialraum. Everything is invented.

Built through the services, so the demo holds what real use would: numbers, history, help
plans, assignments and audit entries. Dates are relative to today, so overdue reviews and
running helps stay plausible whenever the demo is built.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from cases.consent import sharing_record
from cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    ConcernChannel,
    ConcernSource,
    EndReason,
    HelpType,
    PersonRole,
    RiskLevel,
    SharingBasis,
    SharingCategory,
)
from cases.protection import ConcernInput, ResultInput, risk_report, safety_measure_add
from cases.services import (
    PersonInput,
    ResourceInput,
    action_step_add,
    assignment_create,
    case_intake,
    case_project_open,
    case_transition,
    consultation_record,
    help_decide,
    help_types_ensure,
    note_add,
    review_record,
)
from network.models import Partner
from sozialraum.models import Provider, Sozialraum, User

C, G, OTHER = "child", "guardian", "other"

# Sozialraum code, street, number, persons (role, first, last, birth date or age in years,
# relation), concern, will, resources, goals, what happened (see _steer), help type code,
# provider short name.
FAMILIES = [
    (
        "N1",
        "Heideweg",
        "7",
        [
            (C, "Mia", "Schröder", 9, ""),
            (C, "Ben", "Schröder", 6, ""),
            (G, "Jana", "Schröder", None, "Mutter"),
        ],
        "Wir möchten, dass der Morgen ohne Streit beginnt und die Kinder pünktlich in der Schule sind.",
        "Ich will lernen, ruhig zu bleiben, und die Oma öfter um Hilfe bitten.",
        [
            ("social", "Oma wohnt zwei Straßen weiter und holt Ben gern ab."),
            ("personal", "Mia liest gern und kann sich gut selbst beschäftigen."),
        ],
        [
            "Die Kinder kommen pünktlich zur Schule.",
            "Frau Schröder hat zwei Abende in der Woche für sich.",
        ],
        "running_overdue",
        "31",
        "KJH Lindenau",
    ),
    (
        "N1",
        "Birkenallee",
        "21",
        [(C, "Luca", "Neumann", 14, ""), (G, "Thomas", "Neumann", None, "Vater")],
        "Luca soll den Schulabschluss schaffen, und wir wollen wieder miteinander reden können.",
        "Luca: „Ich will Mechaniker werden.“ Vater: „Ich will ihm dabei helfen.“",
        [
            (
                "sozialraum",
                "Der Sportverein am Sportplatz sucht Jugendliche für das Fußballtraining.",
            ),
            ("personal", "Luca schraubt gern an Fahrrädern."),
        ],
        ["Luca hat einen Praktikumsplatz in einer Werkstatt."],
        "running_acute",
        "30",
        "AWO Lindenau",
    ),
    (
        "N1",
        "Kiefernweg",
        "3",
        [(C, "Emily", "Wagner", 3, ""), (G, "Sarah", "Wagner", None, "Mutter")],
        "Ich brauche einen Kitaplatz, damit ich meine Ausbildung weitermachen kann.",
        "Ich will die Ausbildung abschließen.",
        [("social", "Eine Nachbarin passt manchmal auf Emily auf.")],
        ["Emily hat einen Kitaplatz ab Frühjahr."],
        "clarification",
        None,
        None,
    ),
    (
        "N2",
        "Mühlenweg",
        "14",
        [
            (C, "Noah", "Becker", 11, ""),
            (C, "Lina", "Becker", 8, ""),
            (G, "Katharina", "Becker", None, "Mutter"),
            (OTHER, "Hans", "Becker", None, "Großvater"),
        ],
        "Seit der Trennung klappt zu Hause wenig. Wir wollen wieder einen Alltag, der funktioniert.",
        "Wir wollen als Familie zusammenbleiben und feste Zeiten einführen.",
        [
            ("social", "Der Großvater kommt dreimal die Woche zum Mittagessen."),
            ("sozialraum", "Das Familienzentrum Am Mühlenteich bietet ein Elterncafé an."),
        ],
        ["Es gibt feste Essens- und Schlafenszeiten.", "Noah geht wieder regelmäßig zur Schule."],
        "running",
        "31",
        "Familienhilfe Am Teich",
    ),
    (
        "N2",
        "Teichstraße",
        "2",
        [(C, "Jonas", "Hoffmann", 16, ""), (G, "Petra", "Hoffmann", None, "Mutter")],
        "Jonas kann zurzeit nicht zu Hause wohnen. Wir wollen, dass er in der Nähe bleibt.",
        "Jonas: „Ich will in meiner Schule bleiben.“",
        [("personal", "Jonas ist zuverlässig bei seinem Zeitungsjob.")],
        ["Jonas lebt in einer Wohngruppe in der Nähe und besucht weiter seine Schule."],
        "placement",
        "34",
        "KJH Lindenau",
    ),
    (
        "N2",
        "Eichendorffstraße",
        "9",
        [(C, "Sophie", "Koch", 7, ""), (G, "Andreas", "Koch", None, "Vater")],
        "Wir hatten Fragen zur Einschulung und zu Sophies Sprachentwicklung.",
        "Wir wollen eine gute Beratung und dann selbst entscheiden.",
        [("sozialraum", "Die Bücherei hat eine Vorlesestunde für Grundschulkinder.")],
        ["Sophie bekommt Sprachförderung in der Schule."],
        "closed_no_help",
        None,
        None,
    ),
    (
        "S1",
        "Marktstraße",
        "18",
        [
            (C, "Elif", "Demir", 12, ""),
            (C, "Can", "Demir", 5, ""),
            (G, "Ayşe", "Demir", None, "Mutter"),
        ],
        "Wir sind neu in Lindenau und möchten, dass die Kinder Anschluss finden.",
        "Ich will Deutsch lernen und die Lehrerinnen selbst verstehen.",
        [
            ("social", "Eine Cousine in der Rosengasse übersetzt bei Terminen."),
            ("sozialraum", "Der Deutschkurs im Familienzentrum hat Kinderbetreuung."),
        ],
        ["Elif besucht eine Hausaufgabenhilfe.", "Frau Demir besucht einen Deutschkurs."],
        "running_overdue",
        "SR-flex",
        "Diakonie Süd",
    ),
    (
        "S1",
        "Rosengasse",
        "4",
        [(C, "Leon", "Fischer", 15, ""), (G, "Monika", "Fischer", None, "Mutter")],
        "Leon war lange nicht in der Schule. Wir wollen einen Weg zurück.",
        "Leon: „Ich will nicht mehr die ganze Nacht zocken.“",
        [("personal", "Leon kann gut mit jüngeren Kindern umgehen.")],
        ["Leon geht wieder an drei Tagen pro Woche zur Schule."],
        "running",
        "35",
        "Caritas",
    ),
    (
        "S2",
        "Gleisweg",
        "11",
        [
            (C, "Marie", "Weber", 10, ""),
            (G, "Daniel", "Weber", None, "Vater"),
            (G, "Nadine", "Weber", None, "Mutter"),
        ],
        "Wir streiten viel über Mariens Handy und die Hausaufgaben. Wir wollen uns einigen.",
        "Wir wollen Regeln finden, die alle einhalten.",
        [("social", "Die Patentante unternimmt jedes zweite Wochenende etwas mit Marie.")],
        ["Die Familie hat einen gemeinsamen Plan für Handyzeiten."],
        "decided",
        "28",
        None,
    ),
    (
        "S2",
        "Theodor-Heuss-Straße",
        "30",
        [(C, "Finn", "Schulz", 17, ""), (G, "Claudia", "Schulz", None, "Mutter")],
        "Finn möchte ausziehen und selbstständig wohnen.",
        "Finn: „Ich will meine eigene Wohnung und meine Ausbildung schaffen.“",
        [("personal", "Finn hat einen Ausbildungsplatz als Koch.")],
        ["Finn wohnt im betreuten Einzelwohnen und schließt das erste Ausbildungsjahr ab."],
        "placement_outside",
        "34",
        "Sprungbrett",
    ),
    (
        "S2",
        "Am Güterbahnhof",
        "5",
        [(C, "Anna", "Klein", 4, ""), (G, "Julia", "Klein", None, "Mutter")],
        "Wir brauchen Unterstützung nach dem Umzug.",
        "",
        [],
        [],
        "intake",
        None,
        None,
    ),
]

# Sozialraum code, kind, title, target group, participants, goals, providers
PROJECTS = [
    (
        "N1",
        CaseKind.CROSS_CASE,
        "Gruppe für Alleinerziehende Lindenau-Heide",
        "Alleinerziehende Mütter und Väter mit Kindern unter 10 Jahren",
        11,
        "Austausch, gegenseitige Entlastung, Kinderbetreuung während der Treffen.",
        ["KJH Lindenau"],
    ),
    (
        "N1",
        CaseKind.CASE_INDEPENDENT,
        "Spielplatzfest Heide",
        "Familien im Quartier",
        140,
        "Nachbarschaft zusammenbringen, Angebote des Sozialraums vorstellen.",
        ["KJH Lindenau", "AWO Lindenau"],
    ),
    (
        "N2",
        CaseKind.CROSS_CASE,
        "Väter-Kind-Samstag",
        "Väter mit Kindern von 3 bis 12 Jahren",
        9,
        "Väter stärken, Kontakte unter Vätern.",
        ["Familienhilfe Am Teich"],
    ),
    (
        "N2",
        CaseKind.CASE_INDEPENDENT,
        "Sozialraumerkundung Am Mühlenteich",
        "Jugendliche von 12 bis 17 Jahren",
        23,
        "Mit Jugendlichen ihre Orte im Quartier erkunden und Wünsche sammeln.",
        ["AWO Lindenau"],
    ),
    (
        "S1",
        CaseKind.CROSS_CASE,
        "Hausaufgabenhilfe Altstadt",
        "Schulkinder der Klassen 3 bis 7",
        18,
        "Lernen mit Ehrenamtlichen in der Bücherei.",
        ["Diakonie Süd"],
    ),
    (
        "S1",
        CaseKind.CASE_INDEPENDENT,
        "Runder Tisch Altstadt",
        "Einrichtungen der Altstadt",
        15,
        "Netzwerk der Kitas, Schulen und Vereine festigen.",
        ["Diakonie Süd", "Caritas"],
    ),
    (
        "S2",
        CaseKind.CROSS_CASE,
        "Elterncafé Bahnhofsviertel",
        "Eltern mit Kindern unter 6 Jahren",
        14,
        "Erziehungsfragen besprechen, Deutsch im Alltag.",
        ["Caritas"],
    ),
    (
        "S2",
        CaseKind.CASE_INDEPENDENT,
        "Jugendtreff am Güterbahnhof aufbauen",
        "Jugendliche von 13 bis 18 Jahren",
        31,
        "Einen offenen Treff mit den Jugendlichen planen.",
        ["Sprungbrett"],
    ),
]

STEERING = {"N": "asd-nord", "S": "asd-sued"}
LEAD = {"N": "leitung-nord", "S": "asd-sued"}


def _birth(today: datetime.date, age: int | None) -> datetime.date | None:
    if age is None:
        return None
    return today.replace(year=today.year - age) - datetime.timedelta(days=37 * age % 300)


def demo_build() -> None:
    """Add the demo cases once (idempotent: nothing happens if cases exist)."""
    if Case.objects.exists():
        return
    help_types_ensure()
    today = timezone.localdate()
    sozialraeume = {s.code: s for s in Sozialraum.objects.valid_on(today).select_related("region")}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[*STEERING.values(), *LEAD.values(), "traeger-a", "traeger-b"]
        )
    }
    providers = {p.short_name: p for p in Provider.objects.all()}
    for index, family in enumerate(FAMILIES):
        _family_build(
            index, family, today=today, sozialraeume=sozialraeume, users=users, providers=providers
        )
    for code, kind, title, target, count, goals, provider_names in PROJECTS:
        sozialraum = sozialraeume[code]
        steering = users[STEERING[sozialraum.region.code]]
        case = case_project_open(
            user=steering,
            kind=kind,
            title=title,
            sozialraum=sozialraum,
            steering_caseworker=steering,
            opened_on=today - datetime.timedelta(days=120),
            target_group=target,
            participants_count=count,
            project_goals=goals,
            providers=[providers[name] for name in provider_names],
            partners=list(Partner.objects.filter(sozialraum=sozialraum, is_active=True)[:2]),
        )
        case_transition(user=steering, case=case, to_status=CaseStatus.RUNNING, reason="Start")


def _family_build(index, family, *, today, sozialraeume, users, providers) -> None:
    (
        code,
        street,
        number,
        persons,
        concern,
        will,
        resources,
        goals,
        story,
        help_code,
        provider_name,
    ) = family
    sozialraum = sozialraeume[code]
    region = sozialraum.region.code
    steering, lead = users[STEERING[region]], users[LEAD[region]]
    # Overdue stories started more than six months ago, so their first review is past due.
    started = today - datetime.timedelta(days=220 if story == "running_overdue" else 60)
    opened_on = today - datetime.timedelta(days=30 + 45 * index)
    if help_code is not None:
        opened_on = min(opened_on, started - datetime.timedelta(days=21))  # intake, then help
    case = case_intake(
        user=steering,
        sozialraum=sozialraum,
        steering_caseworker=steering,
        opened_on=opened_on,
        street=street,
        house_number=number,
        postcode="",
        concern=concern,
        will=will,
        persons=[
            PersonInput(
                role=role,
                first_name=first,
                last_name=last,
                birth_date=_birth(today, age),
                relation=relation,
            )
            for role, first, last, age, relation in persons
        ],
        resources=[ResourceInput(kind=kind, description=text) for kind, text in resources],
        goals=goals,
    )
    if story == "intake":
        return
    case = case_transition(
        user=steering,
        case=case,
        to_status=CaseStatus.CLARIFICATION,
        reason="Erstgespräch mit der Familie",
    )
    if story == "clarification":
        note_add(
            user=steering,
            case=case,
            text="Erstgespräch geführt; Kita-Anmeldung besprochen.",
            internal=True,
        )
        return
    if story == "closed_no_help":
        case_transition(
            user=steering, case=case, to_status=CaseStatus.NO_HELP, reason="Beratung genügte"
        )
        case_transition(
            user=steering,
            case=case,
            to_status=CaseStatus.CLOSED,
            end_reason=EndReason.NO_HELP_NEEDED,
            reason="Familie hat selbst eine Lösung gefunden",
        )
        return
    help_type = HelpType.objects.get(code=help_code)
    placement = help_type.is_placement
    help_ = help_decide(
        user=steering,
        case=case,
        help_type=help_type,
        starts_on=started,
        planned_end_on=started + datetime.timedelta(days=365),
        hours_per_week=None if placement else Decimal("4.00") + index % 3,
        monthly_cost=Decimal("5240.00") if placement else None,
        placement_location=("outside" if story == "placement_outside" else "sozialraum")
        if placement
        else "",
        rationale="Im Gespräch mit der Familie entschieden; die Familie will die Hilfe.",
    )
    if story == "decided" or provider_name is None:
        return
    assignment = assignment_create(
        user=steering,
        help_=help_,
        provider=providers[provider_name],
        starts_on=started,
        ends_on=started + datetime.timedelta(days=365),
        provider_contact="Fachkraft des Trägers",
        instructions="Mit der Familie an ihren Zielen arbeiten; Bericht zum Hilfeplangespräch.",
        with_home_visits=help_code == "31",  # SPFH works in the family's home
    )
    guardian = case.persons.filter(role=PersonRole.GUARDIAN).first()
    if guardian is not None:
        # Beyond the commission, the family agreed that the provider may know its resources.
        sharing_record(
            user=steering,
            case=case,
            basis=SharingBasis.CONSENT,
            categories=[SharingCategory.RESOURCES],
            purpose="Die Fachkraft des Trägers soll an die Stärken der Familie anknüpfen.",
            given_on=started,
            provider=providers[provider_name],
            given_by=guardian,
        )
    goal = case.goals.first()
    if goal:
        action_step_add(
            user=steering,
            goal=goal,
            text="Wochenplan gemeinsam aufschreiben",
            owner="family",
            due_on=today + datetime.timedelta(days=14),
        )
    note_add(
        user=steering,
        case=case,
        text="Bitte achten Sie auf die Termine mit der Schule.",
        internal=False,
    )
    note_add(
        user=steering,
        case=case,
        text="Interne Einschätzung des ASD zur Familiendynamik.",
        internal=True,
    )
    staff = (
        users.get("traeger-a")
        if provider_name == "KJH Lindenau"
        else users.get("traeger-b")
        if provider_name == "Diakonie Süd"
        else None
    )
    if staff:
        note_add(
            user=staff,
            case=case,
            assignment=assignment,
            kind="progress",
            text="Erster Hausbesuch: die Familie war offen und hat eigene Ideen eingebracht.",
        )
    if story == "running" and index % 2:
        review = case.reviews.first()
        assert review is not None  # deciding the help planned its first review
        review_record(
            user=steering,
            review=review,
            held_on=today - datetime.timedelta(days=3),
            participants="Familie, Träger, ASD",
            summary="Ziele teilweise erreicht; Hilfe läuft weiter.",
        )
    if story == "running_acute":
        risk_report(
            user=lead,
            case=case,
            children=list(case.persons.filter(role=PersonRole.CHILD)[:1]),
            concern=ConcernInput(
                known_on=today - datetime.timedelta(days=12),
                known_channel=ConcernChannel.PHONE,
                source=ConcernSource.SCHOOL,
                facts="Wiederholt unentschuldigtes Fehlen in der Schule.",
            ),
            result=ResultInput(level=RiskLevel.LATENT, assessors=[lead, steering]),
        )
        consultation_record(
            user=lead,
            case=case,
            held_on=today - datetime.timedelta(days=10),
            participants=[steering, lead],
            question="Wie erreichen wir den Vater besser?",
            ideas="Termine am Abend; Kontakt über den Sportverein.",
            next_step="Hausbesuch am Abend anbieten.",
        )
    if story == "running_overdue" and staff:
        acute = risk_report(
            user=staff,
            case=case,
            assignment=assignment,
            children=list(case.persons.filter(role=PersonRole.CHILD).order_by("-birth_date")[:1]),
            concern=ConcernInput(
                known_on=today,
                known_channel=ConcernChannel.OWN_OBSERVATION,
                source=ConcernSource.YOUTH_WELFARE,
                facts="Beim Hausbesuch war das jüngere Kind allein; die Mutter war nicht erreichbar.",
            ),
            result=ResultInput(
                level=RiskLevel.ACUTE,
                assessors=[staff],
                experienced_professional="Frau Dr. Albers (Kinderschutzzentrum)",
            ),
        )[0]
        # The ASD's first measure of the Schutzplan; the review date is still to be set.
        safety_measure_add(
            user=steering,
            assessment=acute,
            text="Die Mutter bringt das jüngere Kind täglich selbst in die Kita.",
            responsible="Mutter",
            due_on=today + datetime.timedelta(days=7),
        )
        # The school's call about the older child: reported, not yet assessed.
        older = list(case.persons.filter(role=PersonRole.CHILD).order_by("birth_date")[:1])
        if older and older[0].pk != acute.child_id:
            risk_report(
                user=steering,
                case=case,
                children=older,
                concern=ConcernInput(
                    known_on=today,
                    known_channel=ConcernChannel.PHONE,
                    source=ConcernSource.SCHOOL,
                    source_detail="Klassenlehrerin",
                    facts="Das ältere Kind kam diese Woche zweimal ohne Frühstück in die Schule.",
                ),
            )
