"""The pages of the casework steps that move money: changing a case's status, ending a help,
commissioning a Träger. They are case pages (under /faelle/), but their service spans casework
and money (`budgets.commissioning`), so they live in the higher of the two apps."""

from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone

from budgets import commissioning
from cases.forms import CommissionForm, HelpEndForm, TransitionForm
from cases.permissions import case_for_user
from cases.services import providers_commissionable
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.models import ProviderAlliance


def _post(request: AuthenticatedHttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@role_required(*ASD)
def case_transition_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = TransitionForm(_post(request), case=case)

    def save(data: dict[str, Any]) -> str:
        updated = commissioning.case_transition(
            user=request.user,
            case=case,
            to_status=data["to_status"],
            reason=data["reason"],
            end_reason=data["end_reason"],
        )
        return f"Der Fall ist jetzt im Status „{updated.get_status_display()}“."

    return case_step(
        request, case=case, form=form, title="Status ändern", save=save, anchor="verlauf"
    )


@role_required(*ASD)
def help_end_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    help_ = get_object_or_404(case.helps, pk=help_pk)
    form = HelpEndForm(_post(request))

    def save(data: dict[str, Any]) -> str:
        commissioning.help_end(user=request.user, help_=help_, ended_on=data["ended_on"])
        return "Die Hilfe ist beendet; eine laufende Falldurchführung endet mit ihr."

    return case_step(
        request,
        case=case,
        form=form,
        title="Hilfe beenden",
        intro=str(help_),
        save=save,
        anchor="hilfen",
    )


@role_required(*ASD)
def commission_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    help_ = get_object_or_404(case.helps.select_related("help_type"), pk=help_pk)
    today = timezone.localdate()
    form = CommissionForm(
        _post(request),
        providers=providers_commissionable(case=case, on=max(today, help_.starts_on)),
        alliances=ProviderAlliance.objects.valid_on(today).filter(region_id=case.region_id),
        initial={"starts_on": help_.starts_on, "ends_on": help_.planned_end_on},
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
