"""Confirming a proposal of the Sozialraumteam on the case page (`cases.proposals`).

A confirmed individual help leads on to the help decision or to commissioning the proposed
Träger (`allocation_next_step`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cases.permissions import case_for_user
from cases.proposals import allocation_confirm, allocation_next_step, proposal_for_user
from cases.views.common import case_url
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required


@role_required(*ASD)
@require_POST
def proposal_confirm_view(
    request: AuthenticatedHttpRequest, pk: int, proposal_pk: int
) -> HttpResponse:
    case = case_for_user(request.user, pk)
    proposal = proposal_for_user(case, proposal_pk)
    try:
        proposal = allocation_confirm(user=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(case_url(case, "sozialraumteam"))
    step = allocation_next_step(proposal=proposal)
    messages.success(request, f"Der Vorschlag „{proposal.get_kind_display()}“ ist bestätigt.")
    if step is not None:
        messages.info(request, f"Nächster Schritt: {step.label}.")
        return redirect(step.url)
    return redirect(case_url(case, "sozialraumteam"))
