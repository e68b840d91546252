"""The pages of the casework steps that move money: changing a case's status, ending a help,
commissioning a Träger. They are case pages (under /faelle/), but their service spans casework
and money (`budgets.commissioning`), so they live in the higher of the two apps."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from budgets import commissioning, decisions
from cases.forms import CommissionForm
from cases.forms_corrections import CaseTransitionDecisionForm, HelpEndDecisionForm
from cases.models import Case
from cases.permissions import case_for_user
from cases.services import providers_commissionable
from cases.views.common import case_step, case_url
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.forms import form_errors_add, form_saved
from sozialraum.models import ProviderAlliance


def _post(request: AuthenticatedHttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def decision_step(
    request: AuthenticatedHttpRequest,
    *,
    case: Case,
    form: forms.Form,
    title: str,
    intro: str,
    consequences_of: Callable[[dict[str, Any]], list[str]],
    save: Callable[[dict[str, Any]], str],
    anchor: str,
) -> HttpResponse:
    """A decision in two steps (issue 24): the form, then what will happen, then the decision.

    The second page repeats the input as hidden fields and adds `confirmed`; "Angaben ändern"
    goes back to the form with everything typed still there. A refusal of the service comes back
    into the form.
    """
    back_url = case_url(case, anchor)
    changing = "aendern" in request.POST
    if request.method == "POST" and form.is_valid() and not changing:
        if request.POST.get("confirmed") == "True":
            if form_saved(request, form, save):
                return redirect(back_url)
        else:
            try:
                consequences = consequences_of(form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return render(
                    request,
                    "budgets/decision_confirm.html",
                    {
                        "case": case,
                        "form": form,
                        "title": title,
                        "consequences": consequences,
                        "back_url": back_url,
                    },
                )
    return render(
        request,
        "cases/case_step.html",
        {"case": case, "form": form, "title": title, "intro": intro, "back_url": back_url},
        status=422 if form.errors else 200,
    )


@role_required(*ASD)
def case_transition_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = CaseTransitionDecisionForm(_post(request), case=case)

    def save(data: dict[str, Any]) -> str:
        updated = commissioning.case_transition(
            user=request.user,
            case=case,
            to_status=data["to_status"],
            reason=data["reason"],
            end_reason=data["end_reason"],
        )
        return f"Der Fall ist jetzt im Status „{updated.get_status_display()}“."

    return decision_step(
        request,
        case=case,
        form=form,
        title="Status ändern",
        intro="",
        consequences_of=lambda data: decisions.case_transition_consequences(
            case=case, to_status=data["to_status"]
        ),
        save=save,
        anchor="verlauf",
    )


@role_required(*ASD)
def help_end_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    help_ = get_object_or_404(case.helps.select_related("help_type"), pk=help_pk)
    form = HelpEndDecisionForm(_post(request))

    def save(data: dict[str, Any]) -> str:
        decisions.help_end_decide(
            user=request.user,
            help_=help_,
            ended_on=data["ended_on"],
            reason=data["reason"],
            end_reason=data.get("end_reason") or "",
        )
        return "Die Hilfe ist beendet; eine laufende Falldurchführung endet mit ihr."

    return decision_step(
        request,
        case=case,
        form=form,
        title="Hilfe beenden",
        intro=str(help_),
        consequences_of=lambda data: decisions.help_end_consequences(
            help_=help_, ended_on=data["ended_on"]
        ),
        save=save,
        anchor="hilfen",
    )


@role_required(*ASD)
def commission_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    help_ = get_object_or_404(case.helps.select_related("help_type"), pk=help_pk)
    today = timezone.localdate()
    providers = providers_commissionable(case=case, on=max(today, help_.starts_on))
    # The Sozialraumteam's confirmed proposal leads here with its Träger chosen (meetings).
    proposed = next((p for p in providers if str(p.pk) == request.GET.get("traeger")), None)
    form = CommissionForm(
        _post(request),
        providers=providers,
        alliances=ProviderAlliance.objects.valid_on(today).filter(region_id=case.region_id),
        initial={
            "starts_on": help_.starts_on,
            "ends_on": help_.planned_end_on,
            "provider": proposed,
        },
    )

    def save(data: dict[str, Any]) -> str:
        commissioned = commissioning.assignment_commission(user=request.user, help_=help_, **data)
        provider = commissioned.assignment.provider.short_name
        done = f"{provider} ist mit der Falldurchführung beauftragt."
        return " ".join([done, *commissioned.notices])

    return case_step(
        request,
        case=case,
        form=form,
        title="Träger mit der Falldurchführung beauftragen",
        intro=str(help_),
        save=save,
        anchor="hilfen",
    )
