"""Corrections whose casework moves money: a decided help, a commission, a withdrawn case.

Case pages (under /faelle/), whose service spans casework and money (`budgets.corrections`), so
they live in the higher of the two apps like `budgets.casework_views`. Every view loads the case
through `case_for_user` (404 outside the user's scope); who may correct is checked before the
form is shown (403 with the reason) and again by the service.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from budgets import corrections
from cases.corrections import correction_require, withdraw_refusal
from cases.forms_corrections import AssignmentCorrectionForm, HelpCorrectionForm, WithdrawForm
from cases.permissions import case_for_user
from cases.views.common import case_step
from cases.views.corrections import INTRO
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import Role

SAVED = "Die Berichtigung ist gespeichert; die bisherige Fassung bleibt sichtbar."


def _post(request: AuthenticatedHttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@role_required(*ASD)
def help_correct_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    help_ = get_object_or_404(case.helps.select_related("help_type", "case"), pk=help_pk)
    correction_require(request.user, help_)
    form = HelpCorrectionForm(
        _post(request),
        placement=help_.help_type.is_placement,
        initial={
            field: getattr(help_, field)
            for field in (
                "hours_per_week",
                "monthly_cost",
                "placement_location",
                "starts_on",
                "planned_end_on",
                "rationale",
            )
        },
    )

    def save(data: dict[str, Any]) -> str:
        corrections.help_correct(user=request.user, help_=help_, **data)
        return SAVED

    return case_step(
        request,
        case=case,
        form=form,
        title=f"Hilfe berichtigen: {help_.help_type}",
        intro=INTRO,
        save=save,
        anchor="hilfen",
    )


@role_required(*ASD)
def assignment_correct_view(
    request: AuthenticatedHttpRequest, pk: int, assignment_pk: int
) -> HttpResponse:
    case = case_for_user(request.user, pk)
    assignment = get_object_or_404(
        case.assignments.select_related("case", "provider"), pk=assignment_pk
    )
    correction_require(request.user, assignment)
    form = AssignmentCorrectionForm(
        _post(request),
        initial={
            field: getattr(assignment, field)
            for field in ("starts_on", "ends_on", "provider_contact", "instructions")
        },
    )

    def save(data: dict[str, Any]) -> str:
        corrections.assignment_correct(user=request.user, assignment=assignment, **data)
        return SAVED

    return case_step(
        request,
        case=case,
        form=form,
        title=f"Falldurchführung berichtigen: {assignment.provider.short_name}",
        intro=INTRO,
        save=save,
        anchor="hilfen",
    )


@role_required(Role.TEAM_LEAD)
def case_withdraw_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Withdraw a case created by mistake: the page says what will happen before it happens."""
    case = case_for_user(request.user, pk)
    refusal = withdraw_refusal(request.user, case)
    if refusal:
        raise PermissionDenied(refusal)
    preview = corrections.case_withdraw_preview(user=request.user, case=case)
    form = WithdrawForm(_post(request))
    if request.method == "POST" and not preview.refusal and form.is_valid():
        try:
            corrections.case_withdraw(
                user=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(
                request,
                f"Der Fall {case.number} ist zurückgenommen. Er erscheint in keiner Liste und "
                "keiner Zahl mehr; das Zugriffsprotokoll behält ihn.",
            )
            return redirect(reverse("cases:list"))
    return render(
        request,
        "budgets/case_withdraw.html",
        {"case": case, "form": form, "preview": preview},
        status=422 if request.method == "POST" else 200,
    )
