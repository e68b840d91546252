"""Writes of the Sozialraumteam: planning a meeting, its list of attendees and agenda, ideas,
decisions (which land on the case as a proposal in the same transaction), closing the minutes,
putting a case forward, and the Familienrat with the office's agreement.
"""

import datetime
from collections.abc import Collection, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AllocationKind, AllocationProposal, AuditAction, Case, CaseKind, Goal
from cases.permissions import region_of_asd
from cases.proposals import allocation_propose
from cases.services import case_require_open, goal_add
from meetings.models import (
    AgendaItem,
    AllocationDecision,
    Attendee,
    ConsultationRequest,
    FamilyGroupConference,
    Idea,
    TeamMeeting,
)
from meetings.pseudonyms import scrubber_for
from meetings.selectors import Candidate, can_add_idea, can_manage_meeting, staff_choosable
from network.models import Offer, Partner
from sozialraum.models import Provider, Role, Sozialraum, User

# How far from today a meeting can be planned: beyond that a date is a typing error.
PLAN_DAYS_BACK = 366
PLAN_DAYS_AHEAD = 366


def _require_manager(user: User, meeting: TeamMeeting) -> None:
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied("Das darf die Teamleitung der Region.")


def _require_open_minutes(meeting: TeamMeeting) -> None:
    if meeting.minutes_closed_at is not None:
        raise ValidationError(
            "Das Protokoll dieser Sitzung ist abgeschlossen; es ändert sich nicht mehr."
        )


def meeting_date_errors(date: datetime.date, *, today: datetime.date) -> dict[str, str]:
    if date < today - datetime.timedelta(days=PLAN_DAYS_BACK):
        return {"date": "Das Datum liegt mehr als ein Jahr zurück. Bitte prüfen Sie die Eingabe."}
    if date > today + datetime.timedelta(days=PLAN_DAYS_AHEAD):
        return {
            "date": "Das Datum liegt mehr als ein Jahr in der Zukunft. "
            "Bitte prüfen Sie die Eingabe."
        }
    return {}


@transaction.atomic
def meeting_plan(
    *,
    user: User,
    sozialraum: Sozialraum | None,
    date: datetime.date,
    place: str = "",
    today: datetime.date | None = None,
) -> TeamMeeting:
    """Plan a meeting of the user's region (for one Sozialraum or the whole region); the
    team lead is on the list from the start."""
    region_id = region_of_asd(user)
    if region_id is None or user.effective_role != Role.TEAM_LEAD:
        raise PermissionDenied("Teamsitzungen plant die Teamleitung.")
    errors = meeting_date_errors(date, today=today or timezone.localdate())
    if sozialraum is not None and sozialraum.region_id != region_id:
        errors["sozialraum"] = "Der Sozialraum gehört nicht zu Ihrer Region."
    if errors:
        raise ValidationError(errors)
    meeting = TeamMeeting(
        region_id=region_id, sozialraum=sozialraum, date=date, place=place.strip(), created_by=user
    )
    meeting.full_clean()
    meeting.save()
    Attendee.objects.create(meeting=meeting, user=user)
    return meeting


@transaction.atomic
def attendee_add(
    *,
    user: User,
    meeting: TeamMeeting,
    staff: User | None = None,
    partner: Partner | None = None,
    guest_name: str = "",
) -> Attendee:
    """Put a colleague (ASD of the region or staff of a Träger working in it) or a partner's
    guest on the list. Who is added after the meeting took place does not read its minutes."""
    _require_manager(user, meeting)
    _require_open_minutes(meeting)
    if (staff is None) == (partner is None):
        raise ValidationError(
            "Bitte wählen Sie entweder eine Fachkraft oder einen Netzwerkpartner (genau eines)."
        )
    if staff is not None and not staff_choosable(meeting).filter(pk=staff.pk).exists():
        raise ValidationError(
            {"staff": "Diese Person arbeitet nicht in der Region oder steht schon auf der Liste."}
        )
    attendee = Attendee(
        meeting=meeting,
        user=staff,
        partner=partner,
        guest_name=guest_name.strip() if partner is not None else "",
    )
    attendee.full_clean()
    attendee.save()
    return attendee


def _next_position(meeting: TeamMeeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def agenda_take(
    *, user: User, meeting: TeamMeeting, candidates: Sequence[Candidate]
) -> list[AgendaItem]:
    """Put the chosen proposed cases on the agenda, in the order proposed; a case put forward
    for consultation leaves the waiting list."""
    _require_manager(user, meeting)
    if meeting.held_at is not None:
        raise ValidationError("Die Sitzung hat stattgefunden; ihre Tagesordnung steht fest.")
    if not candidates:
        raise ValidationError({"cases": "Bitte wählen Sie mindestens einen Fall."})
    items = []
    position = _next_position(meeting)
    for candidate in candidates:
        if candidate.case.region_id != meeting.region_id:
            raise ValidationError(
                "Ein Fall einer anderen Region kommt nicht auf diese Tagesordnung."
            )
        item, created = AgendaItem.objects.get_or_create(
            meeting=meeting,
            case=candidate.case,
            defaults={"reason": candidate.reason, "position": position},
        )
        if created:
            position += 1
            items.append(item)
        ConsultationRequest.objects.filter(case=candidate.case, taken_up_in__isnull=True).update(
            taken_up_in=item
        )
    return items


@transaction.atomic
def meeting_hold(
    *, user: User, meeting: TeamMeeting, today: datetime.date | None = None
) -> TeamMeeting:
    """Record that the meeting took place (not before its day)."""
    _require_manager(user, meeting)
    meeting = TeamMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.held_at is not None:
        raise ValidationError("Die Sitzung ist bereits als durchgeführt vermerkt.")
    if meeting.date > (today or timezone.localdate()):
        raise ValidationError(
            f"Die Sitzung ist erst am {meeting.date:%d.%m.%Y}; vorher kann sie nicht "
            "stattgefunden haben."
        )
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["held_at"])
    return meeting


@transaction.atomic
def idea_add(
    *,
    user: User,
    item: AgendaItem,
    text: str,
    partner: Partner | None = None,
    offer: Offer | None = None,
) -> Idea:
    """ "Ideen für diese Familie": an attendee's idea, linked to a partner or offer."""
    meeting = item.meeting
    if not can_add_idea(user, meeting):
        raise PermissionDenied(
            "Ideen bringen die Teilnehmenden ein, solange das Protokoll offen ist."
        )
    text = text.strip()
    if not text and offer is None and partner is None:
        raise ValidationError(
            {"text": "Bitte beschreiben Sie die Idee oder wählen Sie ein Angebot."}
        )
    if offer is not None and partner is None:
        partner = offer.partner
    if not text and offer is not None:
        text = f"Angebot „{offer.title}“"
    if not text and partner is not None:
        text = f"Kontakt zu {partner.name}"
    idea = Idea(item=item, text=text, partner=partner, offer=offer, proposed_by=user)
    idea.full_clean()
    idea.save()
    return idea


@transaction.atomic
def item_discussion_save(*, user: User, item: AgendaItem, discussion: str) -> AgendaItem:
    _require_manager(user, item.meeting)
    _require_open_minutes(item.meeting)
    item.discussion = discussion.strip()
    item.full_clean()
    item.save(update_fields=["discussion"])
    return item


SUMMARY_MISSING = "Bitte fassen Sie das Anliegen der Familie für die Träger zusammen."
SUMMARY_NAMES = (
    "Der Text nennt noch {found} aus dem Fall. Bitte schreiben Sie Initialen oder eine "
    "Beschreibung („die Mutter“, „die Schule“) statt Namen, Straße und Datum."
)


@transaction.atomic
def item_provider_summary_release(*, user: User, item: AgendaItem, text: str) -> AgendaItem:
    """The team lead releases what Träger staff who are not commissioned read of the family's
    words: her own presentation without names. It must not name a person or the street the
    case records, nor a date (the scrubber would change it); a name recorded nowhere, such as
    a teacher's, only her reading can keep out, which is why it is released by a person."""
    _require_manager(user, item.meeting)
    _require_open_minutes(item.meeting)
    text = text.strip()
    if not text:
        raise ValidationError({"text": SUMMARY_MISSING})
    found = scrubber_for(item.case).found(text)
    if found:
        raise ValidationError({"text": SUMMARY_NAMES.format(found=found)})
    item.provider_summary = text
    item.provider_summary_by = user
    item.provider_summary_at = timezone.now()
    item.full_clean()
    item.save(update_fields=["provider_summary", "provider_summary_by", "provider_summary_at"])
    return item


@transaction.atomic
def decision_record(
    *,
    user: User,
    item: AgendaItem,
    kind: str,
    responsible: User | None,
    provider: Provider | None = None,
    offer: Offer | None = None,
    note: str = "",
) -> AllocationDecision:
    """The team's decision on an item; in the same transaction it lands on the case as a
    proposal the responsible caseworker confirms (`cases.proposals.allocation_propose`)."""
    meeting = item.meeting
    _require_manager(user, meeting)
    _require_open_minutes(meeting)
    if meeting.date > timezone.localdate():
        raise ValidationError(
            f"Entschieden wird in der Sitzung am {meeting.date:%d.%m.%Y}, nicht vorher."
        )
    if AllocationDecision.objects.filter(item=item).exists():
        raise ValidationError("Zu diesem Fall ist in dieser Sitzung bereits entschieden.")
    if kind not in AllocationKind.values:
        raise ValidationError({"kind": "Bitte wählen Sie eine Entscheidung."})
    proposal = allocation_propose(
        user=user,
        case=item.case,
        kind=kind,
        responsible=responsible,
        provider=provider,
        offer=offer,
        text=note,
        proposed_on=meeting.date,
    )
    decision = AllocationDecision(
        item=item,
        kind=kind,
        provider=proposal.provider,
        offer=proposal.offer,
        note=note.strip(),
        proposal=proposal,
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def minutes_close(*, user: User, meeting: TeamMeeting, note: str = "") -> TeamMeeting:
    """Close the minutes: from now on they are the record, and a PDF for the attendees."""
    _require_manager(user, meeting)
    meeting = TeamMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.held_at is None:
        raise ValidationError(
            "Das Protokoll lässt sich erst abschließen, wenn die Sitzung stattgefunden hat."
        )
    _require_open_minutes(meeting)
    meeting.minutes_note = note.strip()
    meeting.minutes_closed_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["minutes_note", "minutes_closed_at"])
    return meeting


@transaction.atomic
def case_put_forward(*, user: User, case: Case, question: str) -> ConsultationRequest:
    """A caseworker puts a case forward for the next meeting's collegial consultation."""
    case_require_open(case)
    if region_of_asd(user) != case.region_id:
        raise PermissionDenied("Fälle legen die ASD-Fachkräfte der Region vor.")
    if not case.kind == CaseKind.INDIVIDUAL:
        raise ValidationError("Zur Fallverteilung kommen fallspezifische Fälle.")
    if ConsultationRequest.objects.filter(case=case, taken_up_in__isnull=True).exists():
        raise ValidationError("Dieser Fall ist für die nächste Sitzung schon vorgemerkt.")
    request = ConsultationRequest(case=case, question=question.strip(), requested_by=user)
    request.full_clean()
    request.save()
    audit_record(user=user, action=AuditAction.CREATE, obj=case, detail="Vorlage Sozialraumteam")
    return request


# --- Familienrat ------------------------------------------------------------------------------

CONFERENCE_FIELDS = (
    "coordinator_name",
    "coordinator_organisation",
    "preparation_on",
    "information_on",
    "family_time_on",
    "presentation_on",
    "participants",
    "plan",
    "plan_goals",
)
PHASES = (
    ("preparation_on", "Vorbereitung"),
    ("information_on", "Informationsphase"),
    ("family_time_on", "Family-Time"),
    ("presentation_on", "Vorstellung des Plans"),
)


def conference_errors(*, case: Case, data: dict) -> dict[str, str]:
    """The coordinator is independent of the case; the phases follow one another."""
    errors: dict[str, str] = {}
    steering = case.steering_caseworker
    name = (data.get("coordinator_name") or "").strip().casefold()
    if name and name in {
        steering.get_full_name().strip().casefold(),
        steering.username.casefold(),
    }:
        errors["coordinator_name"] = (
            "Die Koordination eines Familienrats ist unabhängig vom Fall: die fallsteuernde "
            "Fachkraft kann sie nicht übernehmen."
        )
    earlier: tuple[str, datetime.date] | None = None
    for field, label in PHASES:
        day = data.get(field)
        if day is None:
            continue
        if day < case.opened_on:
            errors[field] = (
                f"{label}: das Datum liegt vor dem Falleingang ({case.opened_on:%d.%m.%Y})."
            )
        elif earlier is not None and day < earlier[1]:
            errors[field] = f"{label} kann nicht vor der Phase „{earlier[0]}“ liegen."
        earlier = (label, day)
    return errors


@transaction.atomic
def conference_save(
    *,
    user: User,
    case: Case,
    data: dict,
    conference: FamilyGroupConference | None = None,
) -> FamilyGroupConference:
    case_require_open(case)
    if conference is not None and conference.agreed_at is not None:
        raise ValidationError(
            "Dem Plan hat das Jugendamt bereits zugestimmt; er ändert sich nicht mehr."
        )
    errors = conference_errors(case=case, data=data)
    if errors:
        raise ValidationError(errors)
    conference = conference or FamilyGroupConference(case=case, created_by=user)
    for name in CONFERENCE_FIELDS:
        value = data.get(name)
        if name.endswith("_on"):
            setattr(conference, name, value)
        else:
            setattr(conference, name, (value or "").strip())
    conference.full_clean()
    conference.save()
    audit_record(user=user, action=AuditAction.CHANGE, obj=case, detail="Familienrat")
    return conference


@transaction.atomic
def conference_agree(*, user: User, conference: FamilyGroupConference) -> list[Goal]:
    """The office agrees to the family's plan: who and when are kept, and each goal of the plan
    becomes one of the case's Grobziele, in the family's words, for the help plan."""
    conference = FamilyGroupConference.objects.select_for_update().get(pk=conference.pk)
    if conference.agreed_at is not None:
        raise ValidationError("Dem Plan ist bereits zugestimmt.")
    if not conference.plan.strip():
        raise ValidationError("Ohne den Plan der Familie gibt es nichts zuzustimmen.")
    if conference.presentation_on is None:
        raise ValidationError(
            "Bitte tragen Sie zuerst ein, wann die Familie ihren Plan vorgestellt hat."
        )
    conference.agreed_at = timezone.now()
    conference.agreed_by = user
    conference.save(update_fields=["agreed_at", "agreed_by"])
    existing = set(conference.case.goals.values_list("text", flat=True))
    return [
        goal_add(user=user, case=conference.case, text=line)
        for line in conference.goal_lines
        if line not in existing
    ]


def meetings_erase_for_cases(*, case_ids: Collection[int], placeholder: str) -> None:
    """What the retention job of `privacy` calls when cases are anonymised: the Sozialraumteam's
    free texts about them (discussion, ideas, the decision's reasons, the question put forward,
    the Familienrat's participants and plan) may name people and are emptied or replaced. What
    stays: that the case was on an agenda, the kind of decision, the dates."""
    AgendaItem.objects.filter(case_id__in=case_ids).update(discussion="", provider_summary="")
    Idea.objects.filter(item__case_id__in=case_ids).update(text=placeholder)
    AllocationDecision.objects.filter(item__case_id__in=case_ids).update(note="")
    AllocationProposal.objects.filter(case_id__in=case_ids).update(text="")
    ConsultationRequest.objects.filter(case_id__in=case_ids).update(question=placeholder)
    FamilyGroupConference.objects.filter(case_id__in=case_ids).update(
        participants="", plan="", plan_goals=""
    )
