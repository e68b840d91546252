"""The planners' pages of rate agreements: the list per provider and a new rate from a date."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from budgets.rate_forms import RateAgreementForm
from budgets.rates import RATE_EDITORS, rate_agreement_add, rate_agreements_visible_to
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.models import Provider
from sozialraum.money import money_format


@role_required(*RATE_EDITORS)
def rate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rates = rate_agreements_visible_to(request.user).select_related("created_by")
    return render(request, "budgets/rate_list.html", {"rates": rates})


@role_required(*RATE_EDITORS)
def rate_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RateAgreementForm(
        request.POST or None, providers=Provider.objects.filter(is_active=True)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = rate_agreement_add(
                user=request.user,
                provider=data["provider"],
                unit=data["unit"],
                valid_from=data["valid_from"],
                rate=data["rate"],
                travel_billable=data["travel_billable"],
                absence_percent=data["absence_percent"] or Decimal(0),
                note=data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                f"{agreement.get_unit_display()} {money_format(agreement.rate)} für "
                f"{agreement.provider.short_name} gilt ab {agreement.valid_from:%d.%m.%Y}.",
            )
            return redirect("budgets:rate_list")
    return render(request, "budgets/rate_form.html", {"form": form})
