""" "Angebote in der Nähe" of a case, and taking one into the case's resources with one click.

The offer list is read with the case (same access rule, audited); linking needs the right to
change the case. Offer IDs in paths are no personal data.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.audit import audit_record
from cases.forms import NearbyOfferFilterForm
from cases.models import AuditAction
from cases.permissions import can_change_case, case_for_user
from cases.selectors_offers import children_ages, offers_near_case
from cases.services import resource_link_offer
from cases.views.common import case_url
from network.selectors import offers_search
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required

# The full list is for browsing ideas with the family, not a catalogue: the nearest first.
MAX_SHOWN = 100


@role_required(*ASD)
def offers_near_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    today = timezone.localdate()
    persons = list(case.persons.all())
    form = NearbyOfferFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        offers = []  # the form shows what is wrong; no list for half-understood filters
    else:
        filters = form.cleaned_data if request.GET else {}
        offers = list(offers_near_case(case, persons, on=today, **filters)[: MAX_SHOWN + 1])
    audit_record(
        user=request.user, action=AuditAction.VIEW, obj=case, detail="Angebote in der Nähe"
    )
    return render(
        request,
        "cases/offers_near.html",
        {
            "case": case,
            "form": form,
            "offers": offers[:MAX_SHOWN],
            "more": len(offers) > MAX_SHOWN,
            "max_shown": MAX_SHOWN,
            "ages": children_ages(persons, today),
            "linked_offer_ids": set(
                case.resources.filter(offer__isnull=False).values_list("offer_id", flat=True)
            ),
            "can_change": can_change_case(request.user, case),
        },
    )


@require_POST
@role_required(*ASD)
def offer_link_view(request: AuthenticatedHttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    offer = get_object_or_404(offers_search(on=timezone.localdate()), pk=offer_pk)
    try:
        resource_link_offer(user=request.user, case=case, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"„{offer.title}“ ist als Ressource der Familie erfasst.")
    if request.POST.get("zurueck") == "liste":
        return redirect(reverse("cases:offers_near", args=[case.pk]))
    return redirect(case_url(case, "ressourcen"))
