"""Reopening a closed case (team lead of its region, with a reason): the way back for a case
that must take a note, a person or a goal after it ended (`cases.services.case_reopen`)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from cases.forms import CaseReopenForm
from cases.permissions import can_reopen_case, case_for_user
from cases.services import case_reopen
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required


@role_required(*ASD)
def case_reopen_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    if not can_reopen_case(request.user, case):
        raise PermissionDenied("Einen beendeten Fall öffnet die Teamleitung der Region wieder.")
    form = CaseReopenForm(request.POST if request.method == "POST" else None)

    def save(data: dict[str, Any]) -> str:
        reopened = case_reopen(user=request.user, case=case, reason=data["reason"])
        return f"Der Fall ist wieder geöffnet (Status „{reopened.get_status_display()}“)."

    return case_step(
        request,
        case=case,
        form=form,
        title="Fall wieder öffnen",
        intro="Ein beendeter Fall nimmt nichts Neues auf. Wieder geöffnet, geht ein Fall mit "
        "Hilfe in die Klärung zurück; seine beendeten Hilfen bleiben beendet.",
        save=save,
    )
