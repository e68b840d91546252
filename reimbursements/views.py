"""Pages of cost reimbursement. Thin: load through a selector that takes the user, validate,
call one service, redirect. Case-related pages of the ASD are audited like case records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from billing.selectors import checker_region_id
from cases.audit import audit_record
from cases.models import AuditAction
from cases.permissions import case_for_user
from reimbursements import services
from reimbursements.forms import (
    AcknowledgeForm,
    ClaimForm,
    DisputeForm,
    HelpLookupForm,
    OfficeForm,
    ReceiptForm,
    ReceiptReverseForm,
    ReceivedApproveForm,
    ReceivedClaimForm,
    ReceivedRejectForm,
    SendForm,
    SettleForm,
    WithdrawForm,
)
from reimbursements.letters import claim_letter_pdf
from reimbursements.models import ClaimStatus, ReceivedStatus, YouthOffice
from reimbursements.selectors import (
    HELP_READERS,
    MANAGERS,
    OFFICE_MAINTAINERS,
    case_for_received_claim,
    claim_for_user,
    claims_managed_by,
    claims_of_help,
    help_for_claim,
    help_period_end,
    helps_of_case,
    helps_of_case_number,
    live_receipts,
    may_maintain_offices,
    may_manage_help,
    office_for_user,
    offices_for_user,
    received_claim_for_user,
    received_claims_to_check,
    received_claims_visible_to,
)
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.models import Role

LIST_LIMIT = 200


def _errors_onto(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


@role_required(*MANAGERS)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Claims to other offices and claims received, for the planners and the team leads."""
    claims = claims_managed_by(request.user).order_by("-created_at", "-pk")
    status = request.GET.get("status", "")
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    received = received_claims_visible_to(request.user).order_by("-received_on", "-pk")
    return render(
        request,
        "reimbursements/home.html",
        {
            "claims": claims[:LIST_LIMIT],
            "received": received[:LIST_LIMIT],
            "to_check": received_claims_to_check(request.user).count(),
            "statuses": ClaimStatus.choices,
            "status": status,
            "may_maintain": may_maintain_offices(request.user),
        },
    )


@role_required(*MANAGERS)
def help_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the help for a new claim by the case number (type and dates only, no names).

    The number is posted; the result is shown at a URL with the case's id (`?fall=`), so that
    no case number stands in the browser's history or an access log."""
    if request.method == "POST":
        form = HelpLookupForm(request.POST)
        if form.is_valid():
            found = helps_of_case_number(request.user, form.cleaned_data["number"]).first()
            if found is not None:
                return redirect(f"{reverse('reimbursements:help_lookup')}?fall={found.case_id}")
            form.add_error("number", "Zu dieser Fallnummer gibt es keine Hilfe, die Sie sehen.")
        context = {"form": form, "helps": []}
        return render(request, "reimbursements/help_lookup.html", context, status=422)
    case_id = request.GET.get("fall", "")
    helps = []
    if case_id.isascii() and case_id.isdigit():
        helps = list(helps_of_case(request.user, int(case_id)))
    context = {"form": HelpLookupForm(), "helps": helps, "asked": bool(case_id)}
    return render(request, "reimbursements/help_lookup.html", context)


@role_required(*MANAGERS)
def office_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "reimbursements/office_list.html",
        {
            "offices": offices_for_user(request.user),
            "may_maintain": may_maintain_offices(request.user),
        },
    )


def _office_form(request: AuthenticatedHttpRequest, office: YouthOffice | None) -> HttpResponse:
    form = OfficeForm(request.POST or None, instance=office)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_save(user=request.user, office=form.instance)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, "Das Jugendamt ist gespeichert.")
            return redirect("reimbursements:office_list")
    return render(request, "reimbursements/office_form.html", {"form": form, "office": office})


@role_required(*OFFICE_MAINTAINERS)
def office_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _office_form(request, None)


@role_required(*OFFICE_MAINTAINERS)
def office_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _office_form(request, office_for_user(request.user, pk))


@role_required(*MANAGERS)
def claim_create(request: AuthenticatedHttpRequest, help_pk: int) -> HttpResponse:
    help_ = help_for_claim(request.user, help_pk)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_create(
                user=request.user,
                help_=help_,
                office=data["office"],
                legal_basis=data["legal_basis"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                their_reference=data["their_reference"],
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            audit_record(
                user=request.user,
                action=AuditAction.CREATE,
                obj=claim,
                detail="Erstattungsanspruch",
            )
            messages.success(
                request, f"Der Anspruch {claim.number} über den gezahlten Betrag ist angelegt."
            )
            return redirect("reimbursements:claim_detail", claim.pk)
    return render(
        request,
        "reimbursements/claim_form.html",
        {"form": form, "help": help_, "help_end": help_period_end(help_)},
    )


# The steps on a claim's page (the submit button's name): form class and success message;
# `_step` calls the step's service.
STEPS = {
    "send": (SendForm, "Der Anspruch ist als versandt erfasst."),
    "acknowledge": (AcknowledgeForm, "Die Anerkennung ist erfasst."),
    "receipt": (ReceiptForm, "Der Zahlungseingang ist als Einnahme gebucht."),
    "dispute": (DisputeForm, "Der Einwand ist erfasst; der Anspruch ist strittig."),
    "settle": (SettleForm, "Der Anspruch ist abgeschlossen."),
    "withdraw": (WithdrawForm, "Der Anspruch ist zurückgenommen."),
}


def _step(request: AuthenticatedHttpRequest, name: str, claim, data: dict) -> None:
    user = request.user
    if name == "send":
        services.claim_send(user=user, claim=claim, sent_on=data["sent_on"])
    elif name == "acknowledge":
        services.claim_acknowledge(
            user=user,
            claim=claim,
            acknowledged_on=data["acknowledged_on"],
            their_reference=data["their_reference"],
        )
    elif name == "receipt":
        services.claim_receipt_book(
            user=user, claim=claim, amount=data["amount"], received_on=data["received_on"]
        )
    elif name == "dispute":
        services.claim_dispute(user=user, claim=claim, reason=data["reason"])
    elif name == "settle":
        services.claim_settle(
            user=user, claim=claim, settled_on=data["settled_on"], note=data["note"]
        )
    elif name == "withdraw":
        services.claim_withdraw(user=user, claim=claim, reason=data["reason"])


@role_required(*MANAGERS, Role.CASEWORKER)
def claim_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_user(request.user, pk, for_change=request.method == "POST")
    may_change = may_manage_help(request.user, claim.help)
    forms = {name: form_class(None) for name, (form_class, _) in STEPS.items()}
    reverse_form = ReceiptReverseForm(
        request.POST if "reverse" in request.POST else None, receipts=live_receipts(claim)
    )
    if request.method == "POST" and "reverse" in request.POST:
        if reverse_form.is_valid():
            try:
                services.claim_receipt_reverse(
                    user=request.user,
                    receipt=reverse_form.cleaned_data["receipt"],
                    reason=reverse_form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors_onto(reverse_form, error)
            else:
                audit_record(
                    user=request.user,
                    action=AuditAction.CHANGE,
                    obj=claim,
                    detail="Erstattungsanspruch",
                )
                messages.success(request, "Der Zahlungseingang ist storniert.")
                return redirect("reimbursements:claim_detail", claim.pk)
    elif request.method == "POST":
        name = next((name for name in STEPS if name in request.POST), "")
        if name:
            form_class, success = STEPS[name]
            form = form_class(request.POST)
            forms[name] = form
            if form.is_valid():
                try:
                    _step(request, name, claim, form.cleaned_data)
                except ValidationError as error:
                    _errors_onto(form, error)
                else:
                    audit_record(
                        user=request.user,
                        action=AuditAction.CHANGE,
                        obj=claim,
                        detail="Erstattungsanspruch",
                    )
                    messages.success(request, success)
                    return redirect("reimbursements:claim_detail", claim.pk)
    else:
        audit_record(
            user=request.user, action=AuditAction.VIEW, obj=claim, detail="Erstattungsanspruch"
        )
    receipts = live_receipts(claim).order_by("received_on", "pk")
    received = receipts.aggregate(total=Sum("amount"))["total"] or 0
    return render(
        request,
        "reimbursements/claim_detail.html",
        {
            "claim": claim,
            "receipts": claim.receipts.select_related("entry__reversed_by").order_by(
                "received_on", "pk"
            ),
            "received_total": received,
            "open_amount": claim.amount - received,
            "may_change": may_change,
            "forms": forms,
            "reverse_form": reverse_form,
            "is_asd": request.user.effective_role in HELP_READERS,
        },
    )


@role_required(*MANAGERS)
def claim_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_user(request.user, pk, for_change=True)
    try:
        data = claim_letter_pdf(user=request.user, claim=claim)
    except ValidationError as error:  # the office's template of the letter does not render
        messages.error(request, " ".join(error.messages))
        return redirect("reimbursements:claim_detail", claim.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kostenerstattung-{claim.pk}.pdf"'
    return response


@role_required(*HELP_READERS)
def help_claims(request: AuthenticatedHttpRequest, case_pk: int, help_pk: int) -> HttpResponse:
    """The reimbursement of one help on the case: claims to other offices, and other offices'
    claims on the case. The ASD of the case reads; the region's team lead makes claims."""
    case = case_for_user(request.user, case_pk)
    help_ = case.helps.select_related("help_type").filter(pk=help_pk).first()
    if help_ is None:
        raise Http404("Hilfe nicht gefunden.")
    audit_record(user=request.user, action=AuditAction.VIEW, obj=help_, detail="Kostenerstattung")
    return render(
        request,
        "reimbursements/help_claims.html",
        {
            "case": case,
            "help": help_,
            "claims": claims_of_help(help_),
            "received": case.received_reimbursement_claims.select_related("office").order_by(
                "received_on", "pk"
            ),
            "may_claim": may_manage_help(request.user, help_),
        },
    )


@role_required(*MANAGERS)
def received_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReceivedClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = case_for_received_claim(request.user, data["case_number"])
        if case is None:
            form.add_error(
                "case_number", "Zu dieser Fallnummer gibt es keinen Fall in Ihrer Zuständigkeit."
            )
        else:
            try:
                claim = services.received_claim_record(
                    user=request.user,
                    office=data["office"],
                    case=case,
                    legal_basis=data["legal_basis"],
                    their_reference=data["their_reference"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    claimed_amount=data["claimed_amount"],
                    received_on=data["received_on"],
                )
            except ValidationError as error:
                _errors_onto(form, error)
            else:
                messages.success(
                    request,
                    "Die Forderung ist erfasst; sie wartet auf die Prüfung der Teamleitung.",
                )
                return redirect("reimbursements:received_detail", claim.pk)
    return render(request, "reimbursements/received_form.html", {"form": form})


@role_required(*MANAGERS, Role.CASEWORKER)
def received_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    claim = received_claim_for_user(request.user, pk)
    may_check = (
        claim.status == ReceivedStatus.RECEIVED
        and checker_region_id(request.user) == claim.case.region_id
    )
    approve_form = ReceivedApproveForm(request.POST if "approve" in request.POST else None)
    reject_form = ReceivedRejectForm(request.POST if "reject" in request.POST else None)
    if request.method == "POST":
        if not may_check:
            raise PermissionDenied("Diese Forderung prüft die Teamleitung der Region des Falls.")
        if "approve" in request.POST and approve_form.is_valid():
            try:
                services.received_claim_approve(
                    user=request.user,
                    claim_id=claim.pk,
                    amount=approve_form.cleaned_data["amount"],
                    reason=approve_form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors_onto(approve_form, error)
            else:
                messages.success(request, "Anerkannt: die Auszahlungsanordnung ist gebucht.")
                return redirect("reimbursements:received_detail", claim.pk)
        if "reject" in request.POST and reject_form.is_valid():
            try:
                services.received_claim_reject(
                    user=request.user, claim_id=claim.pk, reason=reject_form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _errors_onto(reject_form, error)
            else:
                messages.success(request, "Die Forderung ist abgelehnt.")
                return redirect("reimbursements:received_detail", claim.pk)
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=claim,
        detail="Erstattungsforderung",
    )
    return render(
        request,
        "reimbursements/received_detail.html",
        {
            "claim": claim,
            "may_check": may_check,
            "approve_form": approve_form,
            "reject_form": reject_form,
        },
    )
