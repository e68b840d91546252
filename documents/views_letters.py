"""Letter pages: the administrators' template editor (preview before saving), a case's
letters (preview, then make and keep), the Bescheid, the Hilfeplan as the family reads it with
the family's agreement, batches of invitations with progress, and the access-checked downloads.

Cases are loaded through `cases.permissions.case_for_user` (404 outside the user's scope, 403
where a change is asked and not allowed); every object of a case through that case.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers

from cases.audit import audit_record
from cases.models import (
    Assignment,
    AssignmentStatus,
    AuditAction,
    Case,
    HelpPlan,
)
from cases.permissions import can_change_case, case_for_user
from cases.selectors import open_reviews
from documents import letters
from documents.forms_letters import (
    AgreementForm,
    BatchForm,
    DecisionNoticeForm,
    LetterTemplateForm,
)
from documents.letters_schema import LetterKind, placeholder_rows
from documents.models import BatchState, DecisionNotice, SentLetter
from documents.print_files import combined_removal_day
from documents.selectors_letters import (
    agreements_of_help_plan,
    batch_for_user,
    commission_notice_context,
    decision_notice_context,
    help_plan_letter_context,
    invitation_context,
    letters_of_case,
    letters_of_help_plan,
    reviews_for_batch,
    template_current,
    template_versions,
    templates_overview,
)
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import Role

ADMIN = (Role.ADMIN,)


def _post(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# Templates (administrators) ----------------------------------------------------------------------


@role_required(*ADMIN)
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    letters.letter_templates_ensure()
    return render(
        request, "documents/letters/template_list.html", {"templates": templates_overview()}
    )


@role_required(*ADMIN)
def template_edit(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in LetterKind.values:
        raise Http404("Diese Briefvorlage gibt es nicht.")
    letters.letter_templates_ensure()
    current = template_current(kind)
    assert current is not None
    form = LetterTemplateForm(_post(request), kind=kind, initial=current.parts())
    sheet = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            parts = {name: form.cleaned_data.get(name, "") for name in current.parts()}
            try:
                if "save" in request.POST:
                    version = letters.letter_template_save(
                        user=request.user, kind=kind, parts=parts, note=form.cleaned_data["note"]
                    )
                    messages.success(
                        request,
                        f"Die Vorlage ist als Version {version.number} gespeichert. Neue Briefe "
                        "verwenden sie; bereits versandte Briefe bleiben unverändert.",
                    )
                    return redirect("documents:letter_template_edit", kind=kind)
                sheet = letters.letter_template_preview(kind=kind, parts=parts)
                status = 200
            except ValidationError as error:
                form_errors_add(form, error)
    return render(
        request,
        "documents/letters/template_edit.html",
        {
            "kind": kind,
            "kind_label": LetterKind(kind).label,
            "form": form,
            "sheet": sheet,
            "current": current,
            "versions": template_versions(kind)[:20],
            "placeholders": placeholder_rows(kind),
        },
        status=status,
    )


# A case's letters --------------------------------------------------------------------------------


@role_required(*ASD)
def case_letters(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    audit_record(user=request.user, action=AuditAction.VIEW, obj=case, detail="Briefe")
    return render(
        request,
        "documents/letters/case_letters.html",
        {
            "case": case,
            "can_change": can_change_case(request.user, case),
            "sent": list(letters_of_case(case)[:100]),
            "plans": list(
                HelpPlan.objects.filter(case=case).select_related("help__help_type").order_by("id")
            ),
            "reviews": list(
                open_reviews()
                .filter(case=case)
                .select_related("help_plan__help__help_type")
                .order_by("due_on", "id")
            ),
            "assignments": list(
                case.assignments.filter(status=AssignmentStatus.ACTIVE).select_related(
                    "provider", "help__help_type"
                )
            ),
            "notices": list(DecisionNotice.objects.filter(case=case).select_related("help_type")),
        },
    )


def _letter_subject(case: Case, kind: str, obj_pk: int) -> tuple[Any, dict]:
    """The object a letter is about (through the case: another case's id is a 404) and the
    letter's context."""
    from django.utils import timezone

    today = timezone.localdate()
    if kind == LetterKind.HELP_PLAN:
        plan = get_object_or_404(
            HelpPlan.objects.filter(case=case).select_related("help__help_type", "case"), pk=obj_pk
        )
        return plan, help_plan_letter_context(plan=plan, today=today)
    if kind == LetterKind.INVITATION:
        review = get_object_or_404(
            open_reviews()
            .filter(case=case)
            .select_related("help_plan__help__help_type", "case", "invited_provider"),
            pk=obj_pk,
        )
        return review, invitation_context(review=review, today=today)
    if kind == LetterKind.DECISION_NOTICE:
        notice = get_object_or_404(
            DecisionNotice.objects.filter(case=case).select_related(
                "help_type", "help__help_type", "recipient", "case"
            ),
            pk=obj_pk,
        )
        return notice, decision_notice_context(notice=notice, today=today)
    if kind == LetterKind.COMMISSION_NOTICE:
        assignment = get_object_or_404(
            Assignment.objects.filter(case=case).select_related(
                "provider", "help__help_type", "case"
            ),
            pk=obj_pk,
        )
        return assignment, commission_notice_context(assignment=assignment, today=today)
    raise Http404("Diese Briefart gibt es nicht.")


def _send(user, kind: str, obj: Any) -> SentLetter:
    if kind == LetterKind.HELP_PLAN:
        return letters.help_plan_letter_send(user=user, plan=obj)
    if kind == LetterKind.INVITATION:
        return letters.invitation_send(user=user, review=obj)
    if kind == LetterKind.DECISION_NOTICE:
        return letters.decision_notice_send(user=user, notice=obj)
    return letters.commission_notice_send(user=user, assignment=obj)


@role_required(*ASD)
def letter_send(request: AuthenticatedHttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    """GET: the letter as it will read (current templates, the case's data); POST: make the
    PDF and keep it on the case."""
    case = case_for_user(request.user, pk, for_change=True)
    obj, context = _letter_subject(case, kind, obj_pk)
    refusal = ""
    if request.method == "POST":
        try:
            letter = _send(request.user, kind, obj)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"Der Brief „{letter.document.title}“ ist erstellt und in der Fallakte abgelegt"
                + (
                    f" (Version {letter.document.version})." if letter.document.version > 1 else "."
                ),
            )
            return redirect("documents:case_letters", pk=case.pk)
    if kind == LetterKind.DECISION_NOTICE and not obj.legal_basis.strip():
        # Said before anyone presses the button: this Bescheid cannot be made.
        refusal = letters.NO_LEGAL_BASIS
    sheet = None
    if not refusal:
        try:
            sheet = letters.letter_render(kind=kind, context=context).sheet
        except ValidationError as error:
            refusal = " ".join(error.messages)
    audit_record(user=request.user, action=AuditAction.VIEW, obj=case, detail="Briefvorschau")
    return render(
        request,
        "documents/letters/letter_send.html",
        {
            "case": case,
            "kind_label": LetterKind(kind).label,
            "sheet": sheet,
            "refusal": refusal,
            "kind": kind,
            "obj_pk": obj_pk,
        },
        status=422 if refusal and request.method == "POST" else 200,
    )


@role_required(*ASD)
def decision_notice_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = DecisionNoticeForm(_post(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            notice = letters.decision_notice_create(
                user=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Der Bescheid ist angelegt. Prüfen Sie die Vorschau.")
            return redirect(
                "documents:letter_send",
                pk=case.pk,
                kind=LetterKind.DECISION_NOTICE,
                obj_pk=notice.pk,
            )
    return render(
        request,
        "documents/letters/decision_notice_form.html",
        {"case": case, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# The Hilfeplan as the family's document ----------------------------------------------------------


def _plan(case: Case, help_pk: int) -> HelpPlan:
    return get_object_or_404(
        HelpPlan.objects.filter(case=case).select_related("help__help_type", "case"),
        help_id=help_pk,
    )


@role_required(*ASD)
def help_plan_family(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    """What the family will read (the Hilfeplan letter from the current template and the
    case's data), the versions sent, and the family's agreement."""
    from django.utils import timezone

    case = case_for_user(request.user, pk)
    plan = _plan(case, help_pk)
    refusal = ""
    sheet = None
    try:
        context = help_plan_letter_context(plan=plan, today=timezone.localdate())
        sheet = letters.letter_render(kind=LetterKind.HELP_PLAN, context=context).sheet
    except ValidationError as error:
        refusal = " ".join(error.messages)
    audit_record(user=request.user, action=AuditAction.VIEW, obj=plan, detail="Hilfeplan Familie")
    return render(
        request,
        "documents/letters/help_plan_family.html",
        {
            "case": case,
            "plan": plan,
            "sheet": sheet,
            "refusal": refusal,
            "sent": letters_of_help_plan(plan),
            "agreements": agreements_of_help_plan(plan),
            "can_change": can_change_case(request.user, case),
        },
    )


@role_required(*ASD)
def help_plan_agreement(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    plan = _plan(case, help_pk)
    form = AgreementForm(_post(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letters.help_plan_agreement_record(
                user=request.user,
                plan=plan,
                way=data["way"],
                given_on=data["given_on"],
                given_by=data["given_by"],
                note=data["note"],
                uploaded=data["file"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Die Zustimmung der Familie ist festgehalten.")
            return redirect("documents:help_plan_family", pk=case.pk, help_pk=plan.help_id)
    return render(
        request,
        "documents/letters/agreement_form.html",
        {"case": case, "plan": plan, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# Downloads ---------------------------------------------------------------------------------------


def _pdf_response(letter: SentLetter) -> FileResponse:
    try:
        handle = letter.document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Die Datei des Briefs fehlt.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=letter.document.file_name,
        content_type="application/pdf",
    )


@role_required(*ASD)
def letter_download(request: AuthenticatedHttpRequest, pk: int, letter_pk: int) -> FileResponse:
    case = case_for_user(request.user, pk)
    letter = get_object_or_404(letters_of_case(case), pk=letter_pk)
    audit_record(user=request.user, action=AuditAction.EXPORT, obj=letter, detail="Brief")
    return _pdf_response(letter)


# Batches -----------------------------------------------------------------------------------------


@role_required(*ASD)
def batch_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    reviews = list(reviews_for_batch(request.user)[:2000])
    form = BatchForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            batch = letters.letter_batch_request(
                user=request.user,
                reviews=reviews,
                with_combined=form.cleaned_data["with_combined"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return redirect("documents:letter_batch", batch_pk=batch.pk)
    return render(
        request,
        "documents/letters/batch_form.html",
        {"form": form, "reviews": reviews[:50], "count": len(reviews)},
        status=422 if request.method == "POST" else 200,
    )


def _batch_status(batch) -> dict:
    return {
        "state": batch.state,
        "state_label": batch.get_state_display(),
        "progress": batch.progress,
        "step": batch.step,
        "error": batch.error,
        # Never reached the broker (Redis away): the check every minute queues it again.
        "waits_for_broker": batch.state == BatchState.WAITING and batch.queued_at is None,
        "finished": not batch.is_open,
    }


@role_required(*ASD)
def batch_detail(request: AuthenticatedHttpRequest, batch_pk: int) -> HttpResponse:
    batch = batch_for_user(user=request.user, pk=batch_pk)
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(_batch_status(batch))
    else:
        response = render(
            request,
            "documents/letters/batch_detail.html",
            {
                "batch": batch,
                "status": _batch_status(batch),
                "combined_removal_day": combined_removal_day(batch),
                "combined_days": settings.LETTER_BATCH_COMBINED_DAYS,
                "letters": list(
                    SentLetter.objects.filter(batch=batch)
                    .select_related("case", "document")
                    .order_by("id")[:500]
                ),
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


@role_required(*ASD)
def batch_download(request: AuthenticatedHttpRequest, batch_pk: int) -> FileResponse:
    batch = batch_for_user(user=request.user, pk=batch_pk)
    if batch.combined_removed_on:
        raise Http404(
            f"Das Sammel-PDF wurde am {batch.combined_removed_on:%d.%m.%Y} gelöscht; "
            "die Briefe liegen in den Fallakten."
        )
    if not batch.combined:
        raise Http404("Für diesen Briefstapel gibt es kein Sammel-PDF.")
    try:
        handle = batch.combined.open("rb")
    except FileNotFoundError:
        raise Http404("Das Sammel-PDF fehlt.") from None
    # The combined PDF holds every letter of the batch: each counts as read out.
    for letter in SentLetter.objects.filter(batch=batch).select_related("case"):
        audit_record(user=request.user, action=AuditAction.EXPORT, obj=letter, detail="Sammel-PDF")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"einladungen-{batch.pk}.pdf",
        content_type="application/pdf",
    )
