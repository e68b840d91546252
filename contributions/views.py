"""Pages of the cost contributions. Thin: each loads its objects through the selectors that take
the user (404 outside the case's scope, 403 for who may read but not change), validates one form
and calls one service. Provider staff and planners reach none of them (403)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.audit import audit_record
from cases.models import AuditAction
from cases.permissions import can_change_case
from contributions import imports, selectors, services
from contributions.forms import (
    ContributionForm,
    EvidenceForm,
    ImportForm,
    ReceiptForm,
    WaiverForm,
)
from contributions.notice import notice_pdf
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.csv_import import ImportInvalid
from sozialraum.forms import form_errors_add, form_saved

MAX_BYTES = 5 * 1024 * 1024


def _post(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _step(request, *, form, title: str, back_url: str, intro: str = "", **context) -> HttpResponse:
    return render(
        request,
        "contributions/step.html",
        {"form": form, "title": title, "back_url": back_url, "intro": intro, **context},
        status=422 if form.errors else 200,
    )


@role_required(*ASD)
def help_contributions(request: AuthenticatedHttpRequest, case_pk: int, help_pk: int):
    help_ = selectors.help_for_user(request.user, case_pk=case_pk, help_pk=help_pk)
    audit_record(
        user=request.user, action=AuditAction.VIEW, obj=help_.case, detail="Kostenbeiträge"
    )
    return render(
        request,
        "contributions/help_contributions.html",
        {
            "help": help_,
            "case": help_.case,
            "contributions": selectors.contributions_of_help(help_),
            "evidence": selectors.evidence_of_case(help_.case_id),
            "can_change": can_change_case(request.user, help_.case),
        },
    )


@role_required(*ASD)
def evidence_create(request: AuthenticatedHttpRequest, case_pk: int, help_pk: int):
    help_ = selectors.help_for_user(request.user, case_pk=case_pk, help_pk=help_pk, for_change=True)
    form = EvidenceForm(_post(request), case=help_.case)
    back = reverse("contributions:help", args=[case_pk, help_pk])

    def save(data: dict) -> str:
        evidence = services.evidence_record(case=help_.case, user=request.user, **data)
        audit_record(
            user=request.user, action=AuditAction.CREATE, obj=evidence, detail="Einkommensnachweis"
        )
        return "Der Einkommensnachweis ist gespeichert."

    if form_saved(request, form, save):
        return redirect(back)
    return _step(request, form=form, title="Einkommensnachweis erfassen", back_url=back)


@role_required(*ASD)
def contribution_create(request: AuthenticatedHttpRequest, case_pk: int, help_pk: int):
    help_ = selectors.help_for_user(request.user, case_pk=case_pk, help_pk=help_pk, for_change=True)
    form = ContributionForm(_post(request), case=help_.case)
    back = reverse("contributions:help", args=[case_pk, help_pk])
    created: list = []

    def save(data: dict) -> str:
        contribution = services.contribution_set(help=help_, user=request.user, **data)
        audit_record(
            user=request.user, action=AuditAction.CREATE, obj=contribution, detail="Kostenbeitrag"
        )
        created.append(contribution)
        return "Der Kostenbeitrag ist festgesetzt. Die Forderungen entstehen monatlich."

    if form_saved(request, form, save):
        return redirect("contributions:detail", pk=created[0].pk)
    return _step(
        request,
        form=form,
        title="Kostenbeitrag festsetzen",
        back_url=back,
        intro="Der Betrag ergibt sich aus der Kostenbeitragstabelle; ein niedrigerer Betrag "
        "braucht eine Begründung.",
    )


@role_required(*ASD)
def contribution_detail(request: AuthenticatedHttpRequest, pk: int):
    contribution = selectors.contribution_for_user(request.user, pk)
    audit_record(
        user=request.user, action=AuditAction.VIEW, obj=contribution, detail="Kostenbeitrag"
    )
    claims = selectors.claims_of(contribution)
    return render(
        request,
        "contributions/contribution_detail.html",
        {
            "contribution": contribution,
            "claims": claims,
            "totals": selectors.contribution_totals(contribution),
            "can_change": can_change_case(request.user, contribution.case),
        },
    )


@role_required(*ASD)
def notice_download(request: AuthenticatedHttpRequest, pk: int):
    contribution = selectors.contribution_for_user(request.user, pk)
    try:
        data = notice_pdf(user=request.user, contribution=contribution)
    except ValidationError as error:  # the office's template of the letter does not render
        messages.error(request, " ".join(error.messages))
        return redirect("contributions:detail", contribution.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="Kostenbeitragsbescheid_{contribution.pk}.pdf"'
    )
    return response


@role_required(*ASD)
def receipt_create(request: AuthenticatedHttpRequest, pk: int):
    claim = selectors.claim_for_user(request.user, pk, for_change=True)
    form = ReceiptForm(_post(request))
    back = reverse("contributions:detail", args=[claim.contribution_id])

    def save(data: dict) -> str:
        receipt = services.receipt_record(claim=claim, user=request.user, **data)
        audit_record(
            user=request.user,
            action=AuditAction.CREATE,
            obj=claim.contribution,
            detail="Zahlungseingang Kostenbeitrag",
        )
        return f"Der Eingang ist gebucht (Buchung Nr. {receipt.entry_id})."

    if form_saved(request, form, save):
        return redirect(back)
    return _step(
        request,
        form=form,
        title=f"Zahlungseingang zur Forderung {claim.month:%m/%Y}",
        back_url=back,
        intro="Ein niedrigerer Betrag als gefordert bleibt als Teilzahlung stehen.",
    )


@role_required(*ASD)
def waiver_create(request: AuthenticatedHttpRequest, pk: int):
    claim = selectors.claim_for_user(request.user, pk, for_change=True)
    form = WaiverForm(_post(request))
    back = reverse("contributions:detail", args=[claim.contribution_id])

    def save(data: dict) -> str:
        services.waiver_record(claim=claim, user=request.user, **data)
        audit_record(
            user=request.user,
            action=AuditAction.CREATE,
            obj=claim.contribution,
            detail="Erlass Kostenbeitrag",
        )
        return "Der Erlass ist gespeichert; die Forderung bleibt mit ihm bestehen."

    if form_saved(request, form, save):
        return redirect(back)
    return _step(
        request, form=form, title=f"Erlass zur Forderung {claim.month:%m/%Y}", back_url=back
    )


@role_required(*ASD)
def arrears(request: AuthenticatedHttpRequest):
    claims = selectors.arrears_visible_to(request.user)
    return render(request, "contributions/arrears.html", {"claims": claims})


@role_required(*ASD)
def receipts_import(request: AuthenticatedHttpRequest):
    form = ImportForm(request.POST or None, request.FILES or None)
    dry_run = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data["file"].size > MAX_BYTES:
        form.add_error("file", "Die Datei ist größer als 5 MB. Bitte teilen Sie sie auf.")
    if request.method == "POST" and form.is_valid():
        try:
            rows, errors = imports.rows_read(form.cleaned_data["file"].read())
            if form.cleaned_data["take"]:
                count = imports.receipts_import(user=request.user, rows=rows, errors=errors)
                messages.success(request, f"{count} Eingänge gebucht.")
                return redirect("contributions:arrears")
            dry_run = imports.receipts_dry_run(user=request.user, rows=rows, errors=errors)
        except ImportInvalid as error:
            form.add_error("file", " ".join(str(e) for e in error.errors))
        except ValidationError as error:
            form_errors_add(form, error)
    return render(
        request,
        "contributions/import.html",
        {"form": form, "dry_run": dry_run},
        status=422 if form.errors else 200,
    )
