"""Document pages: the documents of a case, upload, share, delete, the download, the
provider's view of shared documents, and the hand-over and move pages.

Cases are loaded through `cases.permissions` (404 outside the user's cases, 403 for a change
by someone who may only read); documents through `documents.selectors.document_for_user`.
Every download and every list of a case's documents leaves an audit entry.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_record
from cases.models import AuditAction, CaseStatus
from cases.permissions import (
    assignment_for_user,
    can_change_case,
    case_and_acting_for_user,
    case_for_user,
)
from cases.selectors import asd_staff_of_region
from cases.views.common import case_step
from documents import handover as handover_services
from documents import selectors, services
from documents.forms import (
    DocumentRemoveForm,
    DocumentShareForm,
    DocumentUploadForm,
    HandoverForm,
    MoveDecisionForm,
    MoveForm,
)
from documents.models import CaseMove, DocumentKind, Handover, MoveStatus
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.models import Role

PROVIDER_AND_ASD = (Role.PROVIDER_STAFF, *ASD)


def _post(request: AuthenticatedHttpRequest):
    return request.POST if request.method == "POST" else None


def documents_url(case_pk: int) -> str:
    return reverse("documents:case_documents", args=[case_pk])


@role_required(*ASD)
def case_documents(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case, acting_for = case_and_acting_for_user(request.user, pk)
    documents = list(selectors.documents_of_case(case=case))
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=case,
        detail="Dokumente des Falls",
        acting_for=acting_for,
    )
    moves = list(
        CaseMove.objects.filter(case=case).select_related(
            "previous_sozialraum", "proposed_sozialraum", "proposed_team", "decided_by"
        )
    )
    return render(
        request,
        "documents/case_documents.html",
        {
            "case": case,
            "documents": documents,
            "can_change": can_change_case(request.user, case, acting_for=acting_for),
            "is_team_lead": request.user.effective_role == Role.TEAM_LEAD,
            "handover": Handover.objects.filter(case=case).first(),
            "handover_refusal": handover_services.handover_refusal(case),
            "moves": moves,
            "open_move": next((m for m in moves if m.status == MoveStatus.PROPOSED), None),
            "is_open": case.status != CaseStatus.CLOSED,
        },
    )


@role_required(*ASD)
def document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = DocumentUploadForm(
        _post(request),
        request.FILES if request.method == "POST" else None,
        persons=case.persons.order_by("last_name", "first_name"),
        help_plans=case.help_plans.select_related("help__help_type").order_by("pk"),
        assessments=case.risk_assessments.order_by("-assessed_at"),
        max_mb=max(1, services.upload_limit_bytes() // 1_048_576),
    )

    def save(data: dict) -> str:
        document = services.document_upload(
            user=request.user,
            case=case,
            uploaded=data["file"],
            title=data["title"],
            kind=data["kind"],
            dated_on=data["dated_on"],
            source=data["source"],
            person=data["person"],
            help_plan=data["help_plan"],
            assessment=data["assessment"],
        )
        return f"Das Dokument „{document.title}“ ist gespeichert."

    return case_step(
        request,
        case=case,
        form=form,
        title="Dokument hochladen",
        save=save,
        back_url=documents_url(case.pk),
        adds=True,
    )


@role_required(*PROVIDER_AND_ASD)
def document_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    document = selectors.document_for_user(request.user, pk)
    inline = request.GET.get("ansicht") == "1" and document.is_inline
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404("Die Datei dieses Dokuments ist nicht mehr vorhanden.") from error
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=document,
        detail="Dokument angezeigt" if inline else "Dokument heruntergeladen",
    )
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=document.file_name,
        content_type=document.mime,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing served here may run code in the portal's origin. A shown image is sandboxed; a
    # shown PDF keeps the portal's own policy (Chrome's PDF viewer does not render sandboxed).
    if not inline or document.mime != "application/pdf":
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
        )
    return response


@role_required(*ASD)
def document_share(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for_user(request.user, pk)
    case = case_for_user(request.user, document.case_id, for_change=True)
    shareable = selectors.assignments_shareable(case=case)
    form = DocumentShareForm(
        _post(request),
        assignments=shareable,
        initial={"assignments": list(document.shares.values_list("assignment_id", flat=True))},
    )

    def save(data: dict) -> str:
        services.document_shares_set(
            user=request.user, document=document, assignments=list(data["assignments"])
        )
        return "Die Freigaben sind gespeichert."

    return case_step(
        request,
        case=case,
        form=form,
        title=f"Dokument freigeben: {document.title}",
        intro=(
            "Träger sehen nur Dokumente, die Sie hier für ihre laufende Falldurchführung "
            "freigeben – und nur, solange der Auftrag oder die Einwilligung besteht."
            if shareable
            else "Dieser Fall hat keine laufende Falldurchführung, für die Sie freigeben können."
        ),
        save=save,
        back_url=documents_url(case.pk),
    )


@role_required(*ASD)
def document_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_for_user(request.user, pk)
    case = case_for_user(request.user, document.case_id, for_change=True)
    form = DocumentRemoveForm(_post(request))

    def save(data: dict) -> str:
        services.document_remove(user=request.user, document=document)
        return "Das Dokument ist gelöscht."

    return case_step(
        request,
        case=case,
        form=form,
        title=f"Dokument löschen: {document.title}",
        save=save,
        back_url=documents_url(case.pk),
    )


@role_required(*PROVIDER_AND_ASD)
def assignment_documents(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for_user(request.user, pk)
    documents = list(selectors.documents_of_assignment(user=request.user, assignment=assignment))
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=assignment,
        detail="Falldurchführung: freigegebene Dokumente",
    )
    return render(
        request,
        "documents/assignment_documents.html",
        {"assignment": assignment, "documents": documents},
    )


# --- Hand-over and moves -------------------------------------------------------------------------


@role_required(*ASD)
def handover_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    refusal = handover_services.handover_refusal(case)
    if refusal:
        messages.error(request, refusal)
        return redirect(documents_url(case.pk))
    form = HandoverForm(
        _post(request),
        documents=selectors.documents_of_case(case=case).exclude(kind=DocumentKind.HANDOVER),
        initial={
            "moved_on": timezone.localdate(),
            "include_assessments": handover_services.assessments_required(case),
        },
    )

    def save(data: dict) -> str:
        handover_services.handover_create(
            user=request.user,
            case=case,
            moved_on=data["moved_on"],
            receiving_office=data["receiving_office"],
            receiving_address=data["receiving_address"],
            receiving_reference=data["receiving_reference"],
            include_assessments=data["include_assessments"],
            documents=list(data["documents"]),
        )
        return (
            "Die Übergabe ist erstellt und der Fall mit „Zuständigkeitswechsel“ beendet. "
            "PDF und JSON liegen bei den Dokumenten."
        )

    return case_step(
        request,
        case=case,
        form=form,
        title="Umzug in eine andere Stadt: Fall übergeben",
        intro=(
            "Übergeben werden die Hilfepläne und laufenden Hilfen, die Gefährdungseinschätzungen "
            "nur wenn Sie es wählen, und die Dokumente, die Sie auswählen. Danach ist der Fall "
            "beendet (Zuständigkeitswechsel, § 86 SGB VIII)."
        ),
        save=save,
        back_url=documents_url(case.pk),
        adds=True,
    )


@role_required(*ASD)
def move_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = MoveForm(_post(request), initial={"moved_on": timezone.localdate()})

    def save(data: dict) -> str:
        move = handover_services.move_record(
            user=request.user,
            case=case,
            moved_on=data["moved_on"],
            street=data["street"],
            house_number=data["house_number"],
            postcode=data["postcode"],
        )
        if move.proposed_sozialraum_id == move.previous_sozialraum_id:
            return (
                "Der Umzug ist erfasst; der Sozialraum bleibt derselbe. Die Teamleitung bestätigt."
            )
        return (
            f"Der Umzug ist erfasst. Vorschlag: Sozialraum {move.proposed_sozialraum}. "
            "Die Teamleitung bestätigt die neue Zuständigkeit."
        )

    return case_step(
        request,
        case=case,
        form=form,
        title="Umzug innerhalb der Stadt erfassen",
        intro="Das Straßenverzeichnis schlägt den neu zuständigen Sozialraum und das ASD-Team vor.",
        save=save,
        back_url=documents_url(case.pk),
        adds=True,
    )


@role_required(Role.TEAM_LEAD)
def move_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    move = get_object_or_404(CaseMove, pk=pk)
    case = case_for_user(request.user, move.case_id, for_change=True)
    move = get_object_or_404(
        CaseMove.objects.select_related(
            "proposed_sozialraum__region", "proposed_team", "previous_sozialraum", "case"
        ),
        pk=pk,
        case=case,
    )
    if move.status != MoveStatus.PROPOSED:
        raise PermissionDenied("Über diesen Umzug wurde bereits entschieden.")
    new_region = move.proposed_sozialraum.region_id if move.proposed_sozialraum else case.region_id
    form = MoveDecisionForm(_post(request), staff=asd_staff_of_region(new_region))

    def save(data: dict) -> str:
        handover_services.move_decide(
            user=request.user,
            move=move,
            confirm=data["decision"] == "confirm",
            note=data["note"],
            steering_caseworker=data["steering_caseworker"],
        )
        return "Die Entscheidung über den Umzug ist gespeichert."

    proposal = (
        f"Neue Anschrift: {move.street} {move.house_number} {move.postcode}. Bisher Sozialraum "
        f"{move.previous_sozialraum}; vorgeschlagen: Sozialraum {move.proposed_sozialraum}"
        + (f", ASD-Team {move.proposed_team}" if move.proposed_team else "")
        + "."
    )
    return case_step(
        request,
        case=case,
        form=form,
        title="Umzug bestätigen",
        intro=proposal,
        save=save,
        back_url=documents_url(case.pk),
    )
