"""Reads of the Sozialraumteam: which meetings a person sees, the proposed agenda, the minutes
each attendee may read, and the team's week.

Access: ASD staff see the meetings of their region; Träger staff only the meetings they attend
(as a named attendee). Planners and administrators see none (they get figures elsewhere).
Minutes: the region's ASD read them; a Träger attendee reads them only if she was on the list
before the meeting took place (`Attendee.added_at <= TeamMeeting.held_at`) — an attendee added
afterwards was not there and does not read retroactively (docs/architecture.md).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import (
    AllocationProposal,
    Case,
    CaseKind,
    CaseStatus,
    HelpPlanReview,
    RiskAssessment,
)
from cases.permissions import region_of_asd
from cases.proposals import proposals_unconfirmed_of_region
from meetings.models import (
    AgendaItem,
    AgendaReason,
    Attendee,
    ConsultationRequest,
    FamilyGroupConference,
    Idea,
    TeamMeeting,
)
from meetings.pseudonyms import Presentation, Scrubber, presentation_for, scrubber_for
from network.models import Offer
from sozialraum.models import RegionProvider, Role, Sozialraum, User

# Reviews due up to this many days after the meeting come onto its agenda.
REVIEW_LOOKAHEAD_DAYS = 21


def meetings_visible_to(user: User) -> QuerySet[TeamMeeting]:
    region_id = region_of_asd(user)
    meetings = TeamMeeting.objects.select_related("region", "sozialraum")
    if region_id is not None:
        return meetings.filter(region_id=region_id)
    if user.effective_role == Role.PROVIDER_STAFF:
        return meetings.filter(attendees__user=user).distinct()
    return meetings.none()


def can_manage_meeting(user: User, meeting: TeamMeeting) -> bool:
    """The region's team lead prepares the agenda, records decisions and closes the minutes."""
    return user.effective_role == Role.TEAM_LEAD and region_of_asd(user) == meeting.region_id


def meeting_for_user(user: User, pk: int, *, for_change: bool = False) -> TeamMeeting:
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404("Sitzung nicht gefunden.")
    if for_change and not can_manage_meeting(user, meeting):
        raise PermissionDenied(
            "Die Sitzung bereitet die Teamleitung der Region vor; Sie können sie einsehen."
        )
    return meeting


def can_add_idea(user: User, meeting: TeamMeeting) -> bool:
    if meeting.minutes_closed_at is not None:
        return False
    if region_of_asd(user) == meeting.region_id:
        return True
    return meeting.attendees.filter(user=user).exists()


def minutes_refusal(user: User, meeting: TeamMeeting) -> str:
    """Why `user` may not read the minutes; '' when she may."""
    if meeting.minutes_closed_at is None or meeting.held_at is None:
        return "Das Protokoll ist noch nicht abgeschlossen."
    if region_of_asd(user) == meeting.region_id:
        return ""
    attendance = meeting.attendees.filter(user=user).first()
    if attendance is None or attendance.added_at > meeting.held_at:
        return (
            "Das Protokoll lesen nur Teilnehmende, die zur Sitzung eingetragen waren; "
            "wer danach ergänzt wurde, liest es nicht rückwirkend."
        )
    return ""


def attendees_of(meeting: TeamMeeting) -> list[Attendee]:
    return list(meeting.attendees.select_related("user__provider", "user__asd_team", "partner"))


@dataclass
class ItemView:
    item: AgendaItem
    presentation: Presentation
    scrub: Scrubber
    ideas: list[tuple[Idea, str]] = field(default_factory=list)
    decision_note: str = ""
    discussion: str = ""
    requests: list[str] = field(default_factory=list)


def agenda_for(*, user: User, meeting: TeamMeeting) -> list[ItemView]:
    """The agenda as `user` may read it: each item's presentation and the meeting's texts about
    it scrubbed for those who read the case pseudonymised."""
    items = (
        meeting.items.select_related(
            "case",
            "decision__provider",
            "decision__offer",
            "decision__proposal__responsible",
            "decision__proposal__confirmed_by",
        )
        .prefetch_related(
            "case__persons",
            "case__resources",
            "case__assignments",
            "ideas__partner",
            "ideas__offer",
            "ideas__proposed_by",
            "requests",
        )
        .order_by("position", "id")
    )
    views = []
    for item in items:
        presentation, scrub = presentation_for(
            user=user, case=item.case, on=meeting.date, summary=item.provider_summary
        )
        ideas = [(idea, scrub(idea.text)) for idea in item.ideas.all()]
        decision = getattr(item, "decision", None)
        views.append(
            ItemView(
                item=item,
                presentation=presentation,
                scrub=scrub,
                ideas=ideas,
                decision_note=scrub(decision.note) if decision else "",
                discussion=scrub(item.discussion),
                requests=[scrub(r.question) for r in item.requests.all()],
            )
        )
    return views


def provider_summary_draft(case: Case) -> str:
    """The first draft of the Träger's presentation: the family's concern, will and resources
    with the names and street the case records replaced (`pseudonyms.Scrubber`)."""
    scrub = scrubber_for(case)
    parts = [f"Anliegen: {scrub(case.concern)}" if case.concern else ""]
    parts.append(f"Wille: {scrub(case.will)}" if case.will else "")
    resources = [scrub(r.description) for r in case.resources.all()]
    parts.append("Ressourcen: " + "; ".join(resources) if resources else "")
    return "\n\n".join(part for part in parts if part)


@dataclass(frozen=True)
class Candidate:
    case: Case
    reason: str
    detail: str

    @property
    def key(self) -> str:
        return f"{self.case.pk}:{self.reason}"

    @property
    def reason_label(self) -> str:
        return AgendaReason(self.reason).label


def _area_cases(meeting: TeamMeeting) -> QuerySet[Case]:
    cases = Case.objects.filter(region_id=meeting.region_id, kind=CaseKind.INDIVIDUAL)
    if meeting.sozialraum_id:
        cases = cases.filter(sozialraum_id=meeting.sozialraum_id)
    return cases.exclude(status=CaseStatus.CLOSED)


def agenda_candidates(meeting: TeamMeeting) -> list[Candidate]:
    """Cases of the meeting's area waiting for a decision, not yet on its agenda: new intakes
    (in intake or clarification, no unconfirmed proposal), reviews due by shortly after the
    meeting, and cases a caseworker put forward for collegial consultation."""
    on_agenda = meeting.items.values("case_id")
    area = _area_cases(meeting).exclude(pk__in=on_agenda)
    pending = AllocationProposal.objects.filter(case=OuterRef("pk"), confirmed_at__isnull=True)
    candidates: list[Candidate] = []
    seen: set[int] = set()
    requests = (
        ConsultationRequest.objects.filter(taken_up_in__isnull=True, case__in=area)
        .select_related("case")
        .order_by("requested_at")
    )
    for request in requests:
        if request.case_id not in seen:
            seen.add(request.case_id)
            candidates.append(
                Candidate(
                    request.case,
                    AgendaReason.CONSULTATION,
                    f"vorgelegt am {timezone.localtime(request.requested_at):%d.%m.%Y}",
                )
            )
    intakes = (
        area.filter(status__in=(CaseStatus.INTAKE, CaseStatus.CLARIFICATION))
        .annotate(pending=Exists(pending))
        .filter(pending=False)
        .order_by("opened_on", "pk")
    )
    for case in intakes:
        if case.pk not in seen:
            seen.add(case.pk)
            candidates.append(
                Candidate(case, AgendaReason.INTAKE, f"Eingang {case.opened_on:%d.%m.%Y}")
            )
    horizon = meeting.date + datetime.timedelta(days=REVIEW_LOOKAHEAD_DAYS)
    reviews = (
        HelpPlanReview.objects.still_open()
        .filter(case__in=area, due_on__lte=horizon)
        .select_related("case")
        .order_by("due_on")
    )
    for review in reviews:
        if review.case_id not in seen:
            seen.add(review.case_id)
            candidates.append(
                Candidate(review.case, AgendaReason.REVIEW, f"fällig {review.due_on:%d.%m.%Y}")
            )
    return candidates


def staff_choosable(meeting: TeamMeeting) -> QuerySet[User]:
    """Who can be put on the list: ASD staff of the region and staff of the Träger working in
    it."""
    providers = RegionProvider.objects.valid_on(meeting.date).filter(region_id=meeting.region_id)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role__in=(Role.CASEWORKER, Role.TEAM_LEAD), asd_team__region_id=meeting.region_id)
            | Q(role=Role.PROVIDER_STAFF, provider_id__in=providers.values("provider_id"))
        )
        .exclude(pk__in=meeting.attendees.filter(user__isnull=False).values("user_id"))
        .select_related("provider", "asd_team")
        .order_by("role", "last_name", "first_name")
    )


def asd_of_region(region_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role__in=(Role.CASEWORKER, Role.TEAM_LEAD),
        asd_team__region_id=region_id,
    ).order_by("last_name", "first_name")


def offers_of_area(meeting: TeamMeeting) -> QuerySet[Offer]:
    offers = Offer.objects.valid_on(meeting.date).select_related("partner", "provider")
    sozialraeume = Sozialraum.objects.filter(region_id=meeting.region_id)
    if meeting.sozialraum_id:
        sozialraeume = sozialraeume.filter(pk=meeting.sozialraum_id)
    return offers.filter(
        Q(sozialraum__in=sozialraeume)
        | Q(sozialraum__isnull=True, partner__sozialraum__in=sozialraeume)
    ).order_by("title")


# --- The team's week -------------------------------------------------------------------------


@dataclass
class TeamWeek:
    region_id: int
    next_meeting: TeamMeeting | None
    agenda: list[AgendaItem]
    reviews_due: list[HelpPlanReview]
    risks_open: list[RiskAssessment]
    unconfirmed: list[AllocationProposal]
    group_offers: list[Offer]
    warnings: list[str]


def minutes_due_days() -> int:
    return settings.SOZIALRAUM_MINUTES_DUE_DAYS


def team_week(*, user: User, today: datetime.date | None = None) -> TeamWeek:
    """The team lead's week: the next meeting's agenda, reviews due in the next seven days,
    open § 8a assessments, unconfirmed decisions, free places in group offers, and warnings
    (a decision without a responsible caseworker, a past meeting without minutes)."""
    region_id = region_of_asd(user)
    if region_id is None:
        raise PermissionDenied("Die Woche des Teams sehen die ASD-Fachkräfte der Region.")
    today = today or timezone.localdate()
    week_end = today + datetime.timedelta(days=7)
    next_meeting = (
        TeamMeeting.objects.filter(region_id=region_id, date__gte=today, held_at__isnull=True)
        .select_related("sozialraum", "region")
        .order_by("date", "id")
        .first()
    )
    agenda = (
        list(next_meeting.items.select_related("case").order_by("position", "id"))
        if next_meeting
        else []
    )
    reviews_due = list(
        HelpPlanReview.objects.filter(
            case__region_id=region_id,
            held_on__isnull=True,
            cancelled_on__isnull=True,
            due_on__lte=week_end,
        )
        .select_related("case")
        .order_by("due_on")[:50]
    )
    risks_open = list(
        RiskAssessment.objects.filter(case__region_id=region_id, level="")
        .select_related("case")
        .order_by("assessed_at")[:50]
    )
    unconfirmed = list(proposals_unconfirmed_of_region(region_id).order_by("proposed_on")[:50])
    sozialraeume = Sozialraum.objects.valid_on(today).filter(region_id=region_id)
    group_offers = list(
        Offer.objects.valid_on(today)
        .filter(capacity__isnull=False)
        .filter(
            Q(sozialraum__in=sozialraeume)
            | Q(sozialraum__isnull=True, partner__sozialraum__in=sozialraeume)
        )
        .select_related("partner", "provider", "sozialraum", "partner__sozialraum")
        .order_by("-places_free", "title")
    )
    warnings = []
    for proposal in unconfirmed:
        responsible = proposal.responsible
        if responsible is None or not responsible.is_active:
            warnings.append(
                f"Die Entscheidung vom {proposal.proposed_on:%d.%m.%Y} zu Fall "
                f"{proposal.case.number} hat keine verantwortliche Fachkraft"
                + (" (Konto inaktiv)" if responsible is not None else "")
                + ": bitte in der Fallakte bestätigen oder neu zuordnen."
            )
    due = minutes_due_days()
    late = TeamMeeting.objects.filter(
        region_id=region_id,
        minutes_closed_at__isnull=True,
        date__lt=today - datetime.timedelta(days=due),
    ).select_related("sozialraum", "region")
    for meeting in late:
        warnings.append(
            f"Die Teamsitzung vom {meeting.date:%d.%m.%Y} ({meeting.area_name}) hat nach mehr als "
            f"{due} Tagen noch kein abgeschlossenes Protokoll."
        )
    return TeamWeek(
        region_id=region_id,
        next_meeting=next_meeting,
        agenda=agenda,
        reviews_due=reviews_due,
        risks_open=risks_open,
        unconfirmed=unconfirmed,
        group_offers=group_offers,
        warnings=warnings,
    )


# --- Familienrat ------------------------------------------------------------------------------


def conferences_of_case(case: Case) -> QuerySet[FamilyGroupConference]:
    return FamilyGroupConference.objects.filter(case=case).select_related("agreed_by")


def conference_for_case(case: Case, pk: int) -> FamilyGroupConference:
    conference = conferences_of_case(case).filter(pk=pk).first()
    if conference is None:
        raise Http404("Familienrat nicht gefunden.")
    return conference
