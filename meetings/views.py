"""Pages of the Sozialraumteam. Thin: each loads its objects through the selectors that take
the user (404 outside the scope, 403 for who may read but not change), validates one form and
calls one service."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases.audit import audit_record
from cases.models import AuditAction, Case
from cases.permissions import can_change_case, case_for_user, region_of_asd
from meetings import selectors, services
from meetings.forms import (
    AgendaForm,
    AttendeeForm,
    ConferenceForm,
    DecisionForm,
    DiscussionForm,
    IdeaForm,
    MeetingForm,
    MinutesForm,
    ProviderSummaryForm,
    PutForwardForm,
)
from meetings.minutes import minutes_pdf
from meetings.models import AgendaItem, TeamMeeting
from meetings.pseudonyms import presentation_for
from meetings.services import PHASES
from sozialraum.access import ASD, AuthenticatedHttpRequest, asd_region_id, role_required
from sozialraum.forms import form_saved
from sozialraum.models import Role

READERS = (*ASD, Role.PROVIDER_STAFF)


def _post(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _meeting_url(meeting: TeamMeeting, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def _step(
    request: AuthenticatedHttpRequest,
    *,
    form: Any,
    title: str,
    back_url: str,
    intro: str = "",
    context: dict | None = None,
) -> HttpResponse:
    return render(
        request,
        "meetings/step.html",
        {"form": form, "title": title, "back_url": back_url, "intro": intro, **(context or {})},
        status=422 if form.errors else 200,
    )


@role_required(*READERS)
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    meetings = selectors.meetings_visible_to(request.user).order_by("-date", "-id")[:100]
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "meetings": meetings,
            "may_plan": request.user.effective_role == Role.TEAM_LEAD,
        },
    )


@role_required(Role.TEAM_LEAD)
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MeetingForm(_post(request), region_id=asd_region_id(request.user))
    created: list[TeamMeeting] = []

    def save(data: dict) -> str:
        created.append(services.meeting_plan(user=request.user, **data))
        return "Die Sitzung ist geplant. Schlagen Sie jetzt die Tagesordnung vor."

    if form_saved(request, form, save):
        return redirect("meetings:agenda", pk=created[0].pk)
    return _step(request, form=form, title="Teamsitzung planen", back_url=reverse("meetings:list"))


@role_required(*READERS)
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk)
    items = selectors.agenda_for(user=request.user, meeting=meeting)
    for view in items:
        audit_record(
            user=request.user, action=AuditAction.VIEW, obj=view.item.case, detail="Teamsitzung"
        )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "attendees": selectors.attendees_of(meeting),
            "may_manage": selectors.can_manage_meeting(request.user, meeting),
            "may_add_idea": selectors.can_add_idea(request.user, meeting),
            "is_asd": region_of_asd(request.user) == meeting.region_id,
            "minutes_refusal": selectors.minutes_refusal(request.user, meeting),
            "minutes_open": meeting.held_at is not None and meeting.minutes_closed_at is None,
        },
    )


@role_required(Role.TEAM_LEAD)
def attendee_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk, for_change=True)
    form = AttendeeForm(_post(request), meeting=meeting)

    def save(data: dict) -> str:
        services.attendee_add(user=request.user, meeting=meeting, **data)
        return "Auf die Liste gesetzt."

    if form_saved(request, form, save):
        return redirect(_meeting_url(meeting, "teilnehmende"))
    intro = (
        "Die Sitzung hat bereits stattgefunden: wer jetzt ergänzt wird, liest das Protokoll "
        "nicht rückwirkend."
        if meeting.held_at
        else ""
    )
    return _step(
        request,
        form=form,
        title="Teilnehmende ergänzen",
        back_url=_meeting_url(meeting, "teilnehmende"),
        intro=intro,
        context={"meeting": meeting},
    )


def _candidate_label(candidate: selectors.Candidate) -> str:
    case = candidate.case
    return (
        f"Fall {case.number} – {candidate.reason_label} ({candidate.detail}), "
        f"{case.get_status_display()}, Fallsteuerung "
        f"{case.steering_caseworker.get_full_name() or case.steering_caseworker.username}"
    )


@role_required(Role.TEAM_LEAD)
def agenda_prepare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk, for_change=True)
    candidates = selectors.agenda_candidates(meeting)
    labels = {c.key: _candidate_label(c) for c in candidates}
    form = AgendaForm(_post(request), candidates=candidates, labels=labels)

    def save(data: dict) -> str:
        items = services.agenda_take(user=request.user, meeting=meeting, candidates=form.chosen())
        return f"{len(items)} Fälle stehen auf der Tagesordnung."

    if candidates and form_saved(request, form, save):
        return redirect(_meeting_url(meeting, "tagesordnung"))
    return render(
        request,
        "meetings/agenda_prepare.html",
        {"meeting": meeting, "form": form, "candidates": candidates},
        status=422 if form.errors else 200,
    )


@role_required(Role.TEAM_LEAD)
@require_POST
def meeting_hold(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk, for_change=True)
    try:
        services.meeting_hold(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Die Sitzung ist als durchgeführt vermerkt.")
    return redirect(_meeting_url(meeting))


def _item(
    request: AuthenticatedHttpRequest, pk: int, item_pk: int, *, for_change: bool = False
) -> tuple[TeamMeeting, AgendaItem]:
    meeting = selectors.meeting_for_user(request.user, pk, for_change=for_change)
    item = get_object_or_404(
        meeting.items.select_related("case", "meeting", "provider_summary_by"), pk=item_pk
    )
    return meeting, item


@role_required(*READERS)
def item_detail(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One agenda item: its presentation, the ideas (with the form to add one), the decision."""
    meeting, item = _item(request, pk, item_pk)
    may_add_idea = selectors.can_add_idea(request.user, meeting)
    idea_form = (
        IdeaForm(_post(request), meeting=meeting, prefix_id=item.pk) if may_add_idea else None
    )

    def save(data: dict) -> str:
        services.idea_add(user=request.user, item=item, **data)
        return "Die Idee ist festgehalten."

    if request.method == "POST":
        if idea_form is None:
            raise PermissionDenied(
                "Ideen bringen die Teilnehmenden ein, solange das Protokoll offen ist."
            )
        if form_saved(request, idea_form, save):
            return redirect(reverse("meetings:item", args=[meeting.pk, item.pk]) + "#ideen")
    view = next(
        v for v in selectors.agenda_for(user=request.user, meeting=meeting) if v.item.pk == item.pk
    )
    audit_record(user=request.user, action=AuditAction.VIEW, obj=item.case, detail="Teamsitzung")
    may_manage = selectors.can_manage_meeting(request.user, meeting)
    return render(
        request,
        "meetings/item_detail.html",
        {
            "meeting": meeting,
            "view": view,
            "item": item,
            "idea_form": idea_form,
            "may_manage": may_manage and not meeting.minutes_closed_at,
            "is_asd": region_of_asd(request.user) == meeting.region_id,
        },
        status=422 if idea_form is not None and idea_form.errors else 200,
    )


@role_required(Role.TEAM_LEAD)
def decision_record(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item(request, pk, item_pk, for_change=True)
    if hasattr(item, "decision"):
        messages.info(request, "Zu diesem Fall ist in dieser Sitzung bereits entschieden.")
        return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)
    form = DecisionForm(
        _post(request), meeting=meeting, initial_responsible=item.case.steering_caseworker
    )

    def save(data: dict) -> str:
        services.decision_record(user=request.user, item=item, **data)
        return (
            "Die Entscheidung ist festgehalten und liegt der verantwortlichen Fachkraft als "
            "Vorschlag in der Fallakte vor."
        )

    if form_saved(request, form, save):
        return redirect(_meeting_url(meeting, f"top-{item.pk}"))
    presentation, _ = presentation_for(user=request.user, case=item.case, on=meeting.date)
    return _step(
        request,
        form=form,
        title="Entscheidung festhalten",
        intro=f"{presentation.heading}: zuerst die Ideen aus dem Sozialraum, dann die Einzelhilfe.",
        back_url=reverse("meetings:item", args=[meeting.pk, item.pk]),
        context={"meeting": meeting},
    )


@role_required(Role.TEAM_LEAD)
def discussion_edit(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item(request, pk, item_pk, for_change=True)
    form = DiscussionForm(_post(request), initial={"discussion": item.discussion})

    def save(data: dict) -> str:
        services.item_discussion_save(user=request.user, item=item, **data)
        return "Die Beratung ist gespeichert."

    if form_saved(request, form, save):
        return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)
    return _step(
        request,
        form=form,
        title="Beratung festhalten",
        back_url=reverse("meetings:item", args=[meeting.pk, item.pk]),
        context={"meeting": meeting},
    )


@role_required(Role.TEAM_LEAD)
def provider_summary_edit(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The team lead writes and releases what uncommissioned Träger staff read of the family's
    words; the first draft is the case's texts with the names the case records replaced."""
    meeting, item = _item(request, pk, item_pk, for_change=True)
    initial = item.provider_summary or selectors.provider_summary_draft(item.case)
    form = ProviderSummaryForm(_post(request), initial={"text": initial})

    def save(data: dict) -> str:
        services.item_provider_summary_release(user=request.user, item=item, **data)
        return "Die Fallvorstellung für die Träger ist freigegeben."

    if form_saved(request, form, save):
        return redirect("meetings:item", pk=meeting.pk, item_pk=item.pk)
    return _step(
        request,
        form=form,
        title="Fallvorstellung für die Träger",
        intro=(
            "Der Entwurf ersetzt die Namen und die Straße, die der Fall kennt, durch Initialen. "
            "Bitte lesen Sie ihn ganz: Namen, die nur im Text stehen, erkennt das Portal nicht."
        ),
        back_url=reverse("meetings:item", args=[meeting.pk, item.pk]),
        context={"meeting": meeting},
    )


@role_required(Role.TEAM_LEAD)
def minutes_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk, for_change=True)
    form = MinutesForm(_post(request), initial={"note": meeting.minutes_note})

    def save(data: dict) -> str:
        services.minutes_close(user=request.user, meeting=meeting, **data)
        return "Das Protokoll ist abgeschlossen; die Teilnehmenden können es als PDF herunterladen."

    if form_saved(request, form, save):
        return redirect(_meeting_url(meeting))
    return _step(
        request,
        form=form,
        title="Protokoll abschließen",
        back_url=_meeting_url(meeting),
        context={"meeting": meeting},
    )


@role_required(*READERS)
def minutes_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_user(request.user, pk)
    refusal = selectors.minutes_refusal(request.user, meeting)
    if refusal:
        raise PermissionDenied(refusal)
    response = HttpResponse(
        minutes_pdf(user=request.user, meeting=meeting), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="Protokoll_Teamsitzung_{meeting.date:%Y-%m-%d}.pdf"'
    )
    return response


@role_required(*ASD)
def team_week(request: AuthenticatedHttpRequest) -> HttpResponse:
    week = selectors.team_week(user=request.user)
    return render(
        request,
        "meetings/team_week.html",
        {"week": week, "due_days": selectors.minutes_due_days()},
    )


@role_required(*ASD)
def case_put_forward(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    form = PutForwardForm(_post(request))

    def save(data: dict) -> str:
        services.case_put_forward(user=request.user, case=case, **data)
        return "Der Fall ist für die nächste Sitzung des Sozialraumteams vorgemerkt."

    if form_saved(request, form, save):
        return redirect(reverse("cases:detail", args=[case.pk]))
    return _step(
        request,
        form=form,
        title="Fall im Sozialraumteam vorlegen",
        intro=f"Fall {case.number}: die Fragestellung sehen auch die Träger in der Sitzung – "
        "bitte ohne Namen.",
        back_url=reverse("cases:detail", args=[case.pk]),
    )


# --- Familienrat ------------------------------------------------------------------------------


def _conference_case(
    request: AuthenticatedHttpRequest, pk: int, *, for_change: bool = False
) -> Case:
    case = case_for_user(request.user, pk, for_change=for_change)
    if not case.is_individual:
        raise Http404("Einen Familienrat gibt es nur in fallspezifischen Fällen.")
    return case


@role_required(*ASD)
def conference_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = _conference_case(request, pk)
    audit_record(user=request.user, action=AuditAction.VIEW, obj=case, detail="Familienrat")
    return render(
        request,
        "meetings/conference_list.html",
        {
            "case": case,
            "conferences": selectors.conferences_of_case(case),
            "can_change": can_change_case(request.user, case),
            "phases": PHASES,
        },
    )


@role_required(*ASD)
def conference_edit(
    request: AuthenticatedHttpRequest, pk: int, conference_pk: int | None = None
) -> HttpResponse:
    case = _conference_case(request, pk, for_change=True)
    conference = selectors.conference_for_case(case, conference_pk) if conference_pk else None
    initial = (
        {name: getattr(conference, name) for name in services.CONFERENCE_FIELDS}
        if conference
        else None
    )
    form = ConferenceForm(_post(request), initial=initial)

    def save(data: dict) -> str:
        services.conference_save(user=request.user, case=case, data=data, conference=conference)
        return "Der Familienrat ist gespeichert."

    if form_saved(request, form, save):
        return redirect("meetings:conferences", pk=case.pk)
    return _step(
        request,
        form=form,
        title="Familienrat" + (" bearbeiten" if conference else " anlegen"),
        intro=f"Fall {case.number}. Die Koordination ist unabhängig vom Fall (nicht die "
        "fallsteuernde Fachkraft).",
        back_url=reverse("meetings:conferences", args=[case.pk]),
    )


@role_required(*ASD)
@require_POST
def conference_agree(
    request: AuthenticatedHttpRequest, pk: int, conference_pk: int
) -> HttpResponse:
    case = _conference_case(request, pk, for_change=True)
    conference = selectors.conference_for_case(case, conference_pk)
    try:
        goals = services.conference_agree(user=request.user, conference=conference)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Das Jugendamt hat dem Plan zugestimmt. {len(goals)} Ziele der Familie stehen jetzt "
            "als Grobziele im Fall und im Hilfeplan zur Auswahl.",
        )
    return redirect("meetings:conferences", pk=case.pk)
