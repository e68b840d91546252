"""The demo town's Sozialraumteams: per Sozialraum a past meeting with closed minutes and the
next one with its proposed agenda; one case with a Familienrat the office agreed to; a few
group offers with places. Through the services, so the demo shows what the pages would write.
"""

import datetime

from django.utils import timezone

from cases.models import AllocationKind, Case, CaseKind, CaseStatus
from meetings import services
from meetings.models import AgendaItem, TeamMeeting
from meetings.selectors import (
    agenda_candidates,
    offers_of_area,
    provider_summary_draft,
    staff_choosable,
)
from network.models import Offer, Partner, TargetGroup
from sozialraum.demo import town_staff_ensure
from sozialraum.models import Role, Sozialraum, User


def _lead_of(region_id: int) -> User | None:
    return (
        User.objects.filter(role=Role.TEAM_LEAD, asd_team__region_id=region_id, is_active=True)
        .order_by("-is_demo_account", "pk")
        .first()
    )


def _group_offers_places() -> None:
    # Demo data only: the network's demo knows no places yet; parents' and families' offers
    # become group offers with a few places free.
    for index, offer in enumerate(
        Offer.objects.filter(target_group__in=(TargetGroup.PARENTS, TargetGroup.FAMILIES))
        .filter(capacity__isnull=True)
        .order_by("pk")[:8]
    ):
        Offer.objects.filter(pk=offer.pk).update(capacity=12, places_free=index % 4)


def _meeting_past(*, lead: User, sozialraum: Sozialraum, today: datetime.date) -> None:
    meeting = services.meeting_plan(
        user=lead,
        sozialraum=sozialraum,
        date=today - datetime.timedelta(days=14),
        place=f"Stadtteilbüro {sozialraum.name}",
        today=today,
    )
    _attendees(lead=lead, meeting=meeting)
    candidates = [c for c in agenda_candidates(meeting) if c.reason != "review"][:1]
    if candidates:
        services.agenda_take(user=lead, meeting=meeting, candidates=candidates)
    services.meeting_hold(user=lead, meeting=meeting, today=today)
    offers = list(offers_of_area(meeting)[:2])
    for item in meeting.items.select_related("case"):
        _summary_release(lead=lead, item=item)
        for offer in offers:
            services.idea_add(
                user=lead,
                item=item,
                text=f"Die Familie könnte „{offer.title}“ kennenlernen.",
                partner=offer.partner,
                offer=offer,
            )
        first_offer = offers[0] if offers else None
        services.decision_record(
            user=lead,
            item=item,
            kind=AllocationKind.PARTNER_OFFER if first_offer else AllocationKind.CLARIFICATION,
            responsible=item.case.steering_caseworker,
            offer=first_offer,
            note="Zuerst das Angebot im Sozialraum; in acht Wochen sehen wir wieder hin.",
        )
    services.minutes_close(user=lead, meeting=meeting, note="Nächste Sitzung in drei Wochen.")


def _meeting_next(*, lead: User, sozialraum: Sozialraum, today: datetime.date) -> None:
    meeting = services.meeting_plan(
        user=lead,
        sozialraum=sozialraum,
        date=today + datetime.timedelta(days=7),
        place=f"Stadtteilbüro {sozialraum.name}",
        today=today,
    )
    _attendees(lead=lead, meeting=meeting)
    candidates = agenda_candidates(meeting)
    if not candidates:
        # Nothing new in the Sozialraum: a caseworker puts a running case forward instead.
        case = (
            Case.objects.filter(sozialraum=sozialraum, kind=CaseKind.INDIVIDUAL)
            .exclude(status=CaseStatus.CLOSED)
            .order_by("pk")
            .first()
        )
        if case is not None:
            services.case_put_forward(
                user=case.steering_caseworker,
                case=case,
                question="Welche Ideen hat der Sozialraum für die Nachmittage der Kinder?",
            )
            candidates = agenda_candidates(meeting)
    if candidates:
        services.agenda_take(user=lead, meeting=meeting, candidates=candidates)
    # The first item's presentation for the Träger is released, the others are still to write.
    first = meeting.items.select_related("case").order_by("position", "id").first()
    if first is not None:
        _summary_release(lead=lead, item=first)


def _summary_release(*, lead: User, item: AgendaItem) -> None:
    """The team lead releases the draft as it is: the demo's families name nobody the case
    does not record."""
    text = provider_summary_draft(item.case) or "Die Familie stellt ihr Anliegen selbst vor."
    services.item_provider_summary_release(user=lead, item=item, text=text)


def _attendees(*, lead: User, meeting: TeamMeeting) -> None:
    """The region's caseworkers with a demo account, one person of each Träger working in the
    region (the demo accounts first) and a partner's guest."""
    chosen: dict[tuple[str, int | None], User] = {}
    for person in staff_choosable(meeting).order_by("-is_demo_account", "pk"):
        key = ("provider", person.provider_id) if person.provider_id else ("asd", person.pk)
        if person.role == Role.PROVIDER_STAFF or person.is_demo_account:
            chosen.setdefault(key, person)
    for person in chosen.values():
        services.attendee_add(user=lead, meeting=meeting, staff=person)
    partner = (
        Partner.objects.filter(is_active=True, sozialraum=meeting.sozialraum).order_by("pk").first()
    )
    if partner is not None:
        services.attendee_add(
            user=lead, meeting=meeting, partner=partner, guest_name="Vertretung des Partners"
        )


def _conference(*, today: datetime.date) -> None:
    case = (
        Case.objects.filter(
            kind=CaseKind.INDIVIDUAL,
            status=CaseStatus.RUNNING,
            region__code="N",
            steering_caseworker__username="asd-nord",
        )
        .order_by("pk")
        .last()
    )
    if case is None:
        return
    lead = _lead_of(case.region_id)
    if lead is None:
        return
    start = max(case.opened_on, today - datetime.timedelta(days=40))
    conference = services.conference_save(
        user=case.steering_caseworker,
        case=case,
        data={
            "coordinator_name": "Birgit Sommer",
            "coordinator_organisation": "Familienrat-Büro Lindenau (unabhängige Koordination)",
            "preparation_on": start,
            "information_on": start + datetime.timedelta(days=14),
            "family_time_on": start + datetime.timedelta(days=14),
            "presentation_on": start + datetime.timedelta(days=14),
            "participants": "Mutter, beide Kinder, Großvater, Nachbarin, Trainer des Sportvereins",
            "plan": "Wir essen jeden Tag um 18 Uhr zusammen. Opa holt die Kinder dienstags und "
            "donnerstags von der Schule ab. Die Nachbarin ist da, wenn Mama Spätschicht hat.",
            "plan_goals": "Wir essen jeden Abend gemeinsam.\n"
            "Die Kinder haben an zwei Nachmittagen feste Ansprechpersonen aus der Familie.",
        },
    )
    services.conference_agree(user=lead, conference=conference)
    # A second Familienrat a few weeks on, whose plan waits for the office's agreement: the
    # team lead sees the step that turns the family's goals into Grobziele.
    services.conference_save(
        user=case.steering_caseworker,
        case=case,
        data={
            "coordinator_name": "Birgit Sommer",
            "coordinator_organisation": "Familienrat-Büro Lindenau (unabhängige Koordination)",
            "preparation_on": today - datetime.timedelta(days=10),
            "information_on": today - datetime.timedelta(days=3),
            "family_time_on": today - datetime.timedelta(days=3),
            "presentation_on": today - datetime.timedelta(days=3),
            "participants": "Mutter, beide Kinder, Großvater",
            "plan": "Wir schauen, ob die Abende klappen, und nehmen die Ferien dazu.",
            "plan_goals": "In den Herbstferien ist an jedem Tag jemand aus der Familie da.",
        },
    )


def demo_build() -> None:
    """Once: skipped when any meeting exists."""
    if TeamMeeting.objects.exists() or not Case.objects.exists():
        return
    today = timezone.localdate()
    town_staff_ensure()
    _group_offers_places()
    for sozialraum in Sozialraum.objects.valid_on(today).select_related("region").order_by("code"):
        lead = _lead_of(sozialraum.region_id)
        if lead is None:
            continue
        _meeting_past(lead=lead, sozialraum=sozialraum, today=today)
        _meeting_next(lead=lead, sozialraum=sozialraum, today=today)
    _conference(today=today)
