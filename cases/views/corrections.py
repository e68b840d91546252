"""Berichtigung of a note, a help plan review record and a § 8a assessment.

Each view loads the case through `case_for_user` (404 outside the user's scope) and the record
through the case; `correction_require` answers 403 with the reason when the user may not
correct it (e.g. "Berichtigung nur durch die Teamleitung nach 14 Tagen"). Helps and commissions
move money: their views are in `budgets.correction_views`.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cases.corrections import correction_require, note_correct, review_correct, risk_correct
from cases.forms_corrections import NoteCorrectionForm, ReviewCorrectionForm, RiskCorrectionForm
from cases.models import NoteKind
from cases.permissions import assignment_for_user, can_work_on_assignment, case_for_user
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.models import Role

INTRO = (
    "Eine Berichtigung überschreibt nichts: die bisherige Fassung bleibt mit Zeitpunkt, Ihrem "
    "Namen und dem Grund in der Akte sichtbar und im Zugriffsprotokoll vermerkt."
)


def _post(request: AuthenticatedHttpRequest):
    return request.POST if request.method == "POST" else None


@role_required(*ASD)
def note_correct_view(request: AuthenticatedHttpRequest, pk: int, note_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    note = get_object_or_404(case.notes.select_related("case"), pk=note_pk)
    correction_require(request.user, note)
    asd_note = note.kind == NoteKind.ASD
    form = NoteCorrectionForm(
        _post(request), asd_note=asd_note, initial={"text": note.text, "internal": note.internal}
    )

    def save(data: dict) -> str:
        note_correct(
            user=request.user,
            note=note,
            text=data["text"],
            internal=data.get("internal", note.internal),
            reason=data["reason"],
        )
        return "Die Berichtigung ist gespeichert; die bisherige Fassung bleibt sichtbar."

    return case_step(
        request,
        case=case,
        form=form,
        title=f"{note.get_kind_display()} berichtigen",
        intro=INTRO,
        save=save,
        anchor="notizen",
    )


@role_required(*ASD)
def review_correct_view(request: AuthenticatedHttpRequest, pk: int, review_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    review = get_object_or_404(case.reviews.select_related("case"), pk=review_pk)
    correction_require(request.user, review)
    form = ReviewCorrectionForm(
        _post(request),
        initial={
            "held_on": review.held_on,
            "participants": review.participants,
            "summary": review.summary,
        },
    )

    def save(data: dict) -> str:
        review_correct(user=request.user, review=review, **data)
        return "Die Berichtigung ist gespeichert; die bisherige Fassung bleibt sichtbar."

    return case_step(
        request,
        case=case,
        form=form,
        title="Hilfeplangespräch berichtigen",
        intro=INTRO,
        save=save,
        anchor="hilfeplan",
    )


@role_required(*ASD)
def risk_correct_view(request: AuthenticatedHttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    assessment = get_object_or_404(case.risk_assessments.select_related("case"), pk=risk_pk)
    correction_require(request.user, assessment)
    form = RiskCorrectionForm(_post(request), initial={"facts": assessment.facts})

    def save(data: dict) -> str:
        risk_correct(user=request.user, assessment=assessment, **data)
        return "Die Berichtigung ist gespeichert; die bisherige Fassung bleibt sichtbar."

    return case_step(
        request,
        case=case,
        form=form,
        title="Gefährdungseinschätzung berichtigen",
        intro=INTRO,
        save=save,
        anchor="gefaehrdung",
    )


@role_required(Role.PROVIDER_STAFF, *ASD)
def assignment_note_correct_view(
    request: AuthenticatedHttpRequest, pk: int, entry_pk: int
) -> HttpResponse:
    """Provider staff correct their own entry on a running assignment of their provider (the
    ASD corrects in the case file). 404 for an assignment or entry outside the user's scope."""
    assignment = assignment_for_user(request.user, pk)
    note = get_object_or_404(assignment.notes.select_related("case"), pk=entry_pk)
    if request.user.effective_role != Role.PROVIDER_STAFF:
        raise PermissionDenied("Der ASD berichtigt Einträge in der Fallakte.")
    if not can_work_on_assignment(request.user, assignment):
        raise PermissionDenied(
            "Diese Falldurchführung ist beendet; es sind keine Einträge mehr möglich."
        )
    correction_require(request.user, note)
    form = NoteCorrectionForm(_post(request), asd_note=False, initial={"text": note.text})

    def save(data: dict) -> str:
        note_correct(
            user=request.user, note=note, text=data["text"], internal=False, reason=data["reason"]
        )
        return "Die Berichtigung ist gespeichert; die bisherige Fassung bleibt sichtbar."

    return case_step(
        request,
        case=assignment.case,
        form=form,
        title=f"{note.get_kind_display()} berichtigen",
        intro=INTRO,
        save=save,
        back_url=reverse("cases:assignment_detail", args=[assignment.pk]) + "#notizen",
    )
