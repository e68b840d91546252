"""Pages of the network: resource search, partners, offers, conferences, CSV imports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from network.corrections import agreement_correction_states
from network.forms import (
    AgreementForm,
    ConferenceForm,
    OfferForm,
    OfferSearchForm,
    PartnerFilterForm,
    PartnerForm,
)
from network.imports import OFFER_COLUMNS, PARTNER_COLUMNS
from network.models import Conference, Offer, Partner
from network.selectors import (
    agreement_for_user,
    conference_for_user,
    conferences_visible_to,
    offer_for_user,
    offer_may_change,
    offers_search,
    partner_for_user,
    partners_search,
    staff_for_conferences,
)
from network.services import (
    agreement_add,
    agreement_complete,
    conference_save,
    offer_delete,
    offer_save,
    offers_import,
    partner_save,
    partners_import,
)
from sozialraum.access import ALL_ROLES, OFFICE, AuthenticatedHttpRequest, has_role, role_required
from sozialraum.forms import form_errors_add
from sozialraum.import_page import csv_import_page
from sozialraum.models import Role

PAGE_SIZE = 25


def _query_string(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.copy()
    query.pop("seite", None)
    return query.urlencode()


# --- Resource search and offers -----------------------------------------------------------


@role_required(*ALL_ROLES)
def offer_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OfferSearchForm(request.GET or None)
    searched = bool(request.GET) and form.is_valid()
    offers: QuerySet[Offer]
    if request.GET and not form.is_valid():
        offers = Offer.objects.none()
    else:
        filters = form.cleaned_data if searched else {}
        offers = offers_search(
            sozialraum=filters.get("sozialraum"),
            include_neighbours=filters.get("include_neighbours", False),
            target_group=filters.get("target_group", ""),
            age_from=filters.get("age_from"),
            age_to=filters.get("age_to"),
            language=filters.get("language", ""),
            free_only=filters.get("free_only", False),
            text=filters.get("text", ""),
        )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "network/offer_search.html",
        {
            "form": form,
            "page": page,
            "query_string": _query_string(request),
            "may_create": has_role(request.user, *OFFICE, Role.PROVIDER_STAFF),
            "may_import": has_role(request.user, *OFFICE),
        },
    )


@role_required(*ALL_ROLES)
def offer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = offer_for_user(request.user, pk)
    return render(
        request,
        "network/offer_detail.html",
        {"offer": offer, "may_change": offer_may_change(request.user, offer)},
    )


def _own_provider(request: AuthenticatedHttpRequest):
    return request.user.provider if has_role(request.user, Role.PROVIDER_STAFF) else None


@role_required(*OFFICE, Role.PROVIDER_STAFF)
def offer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    own_provider = _own_provider(request)
    initial = {}
    partner_id = request.GET.get("partner", "")
    if (partner_id.isascii() and partner_id.isdigit()) and own_provider is None:
        # The choice field preselects it when it is one of the active partners it lists.
        initial["partner"] = int(partner_id)
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        own_provider=own_provider,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if own_provider is not None:
            data.update(provider=own_provider, partner=None)
        try:
            offer = offer_save(data=data, offer=form.instance)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, f"Das Angebot „{offer.title}“ ist gespeichert.")
            return redirect("network:offer_detail", pk=offer.pk)
    return render(request, "network/offer_form.html", {"form": form, "offer": None})


@role_required(*OFFICE, Role.PROVIDER_STAFF)
def offer_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = offer_for_user(request.user, pk, for_change=True)
    own_provider = _own_provider(request)
    form = OfferForm(
        request.POST if request.method == "POST" else None,
        instance=offer,
        own_provider=own_provider,
    )
    if request.method == "POST" and form.is_valid():
        try:
            offer_save(data=form.cleaned_data, offer=form.instance)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, f"Das Angebot „{offer.title}“ ist gespeichert.")
            return redirect("network:offer_detail", pk=offer.pk)
    return render(request, "network/offer_form.html", {"form": form, "offer": offer})


@require_POST
@role_required(*OFFICE, Role.PROVIDER_STAFF)
def offer_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = offer_for_user(request.user, pk, for_change=True)
    title = offer.title
    offer_delete(offer=offer)
    messages.success(request, f"Das Angebot „{title}“ ist gelöscht.")
    return redirect("network:offer_search")


# --- Partners -----------------------------------------------------------------------------


@role_required(*ALL_ROLES)
def partner_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PartnerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners = partners_search(
        sozialraum=filters.get("sozialraum"),
        partner_type=filters.get("partner_type", ""),
        text=filters.get("text", ""),
        active_only=not has_role(request.user, *OFFICE),
    )
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "network/partner_list.html",
        {
            "form": form,
            "page": page,
            "query_string": _query_string(request),
            "may_change": has_role(request.user, *OFFICE),
        },
    )


@role_required(*ALL_ROLES)
def partner_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partner = partner_for_user(request.user, pk)
    return render(
        request,
        "network/partner_detail.html",
        {"partner": partner, "may_change": has_role(request.user, *OFFICE)},
    )


def _partner_form_page(request: AuthenticatedHttpRequest, partner: Partner | None) -> HttpResponse:
    form = PartnerForm(request.POST if request.method == "POST" else None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            saved = partner_save(
                data=form.cleaned_data,
                sozialraum=form.cleaned_data.get("sozialraum_choice"),
                partner=form.instance,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "sozialraum" in error.error_dict:
                error = ValidationError({"sozialraum_choice": error.error_dict["sozialraum"]})
            form_errors_add(form, error)
        else:
            where = f" (Sozialraum {saved.sozialraum.name})" if saved.sozialraum else ""
            messages.success(request, f"„{saved.name}“ ist gespeichert{where}.")
            return redirect("network:partner_detail", pk=saved.pk)
    return render(request, "network/partner_form.html", {"form": form, "partner": partner})


@role_required(*OFFICE)
def partner_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _partner_form_page(request, None)


@role_required(*OFFICE)
def partner_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _partner_form_page(request, partner_for_user(request.user, pk))


# --- Imports ------------------------------------------------------------------------------


@role_required(*OFFICE)
def partner_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return csv_import_page(
        request,
        service=partners_import,
        noun="Netzwerkpartner",
        back="network:partner_list",
        template="network/import.html",
        context={
            "title": "Netzwerkpartner importieren",
            "columns": PARTNER_COLUMNS,
            "example": "Kita Sonnenschein;Kita;Heideweg;4;24850;Lindenau;;Frau Alt;04100 1234;;;"
            "Mo–Fr 7–17 Uhr;stufenloser Zugang;ja;;",
        },
    )


@role_required(*OFFICE)
def offer_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    return csv_import_page(
        request,
        service=offers_import,
        noun="Angebot(e)",
        back="network:offer_search",
        template="network/import.html",
        context={
            "title": "Angebote importieren",
            "columns": OFFER_COLUMNS,
            "example": "Elterncafé;Austausch bei Kaffee;Kita Sonnenschein;;;Eltern;;;"
            "Deutsch, Türkisch;ja;;dienstags 9–11 Uhr;Kita;nein;;",
        },
    )


# --- Conferences --------------------------------------------------------------------------


@role_required(*ALL_ROLES)
def conference_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    conferences = conferences_visible_to(request.user)
    return render(
        request,
        "network/conference_list.html",
        {
            "upcoming": conferences.filter(date__gte=today).order_by("date"),
            "past": Paginator(conferences.filter(date__lt=today).order_by("-date"), 20).get_page(
                request.GET.get("seite")
            ),
            "may_change": has_role(request.user, *OFFICE),
        },
    )


@role_required(*ALL_ROLES)
def conference_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = conference_for_user(request.user, pk)
    may_change = has_role(request.user, *OFFICE)
    agreement_form = AgreementForm(staff=staff_for_conferences()) if may_change else None
    return render(
        request,
        "network/conference_detail.html",
        {
            "conference": conference,
            "may_change": may_change,
            "agreement_form": agreement_form,
            "correction_states": agreement_correction_states(request.user, conference)
            if may_change
            else {},
        },
    )


def _conference_form_page(
    request: AuthenticatedHttpRequest, conference: Conference | None
) -> HttpResponse:
    initial = {}
    if conference is None:
        initial["date"] = timezone.localdate()
    form = ConferenceForm(
        request.POST if request.method == "POST" else None,
        instance=conference,
        initial=initial,
        staff=staff_for_conferences(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = conference_save(
                data=form.cleaned_data,
                conference=form.instance,
                relations={name: form.cleaned_data[name] for name in ConferenceForm.RELATIONS},
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Die Konferenz ist gespeichert.")
            return redirect("network:conference_detail", pk=saved.pk)
    return render(request, "network/conference_form.html", {"form": form, "conference": conference})


@role_required(*OFFICE)
def conference_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _conference_form_page(request, None)


@role_required(*OFFICE)
def conference_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _conference_form_page(request, conference_for_user(request.user, pk))


@require_POST
@role_required(*OFFICE)
def agreement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = conference_for_user(request.user, pk)
    form = AgreementForm(request.POST, staff=staff_for_conferences())
    if form.is_valid():
        try:
            agreement_add(conference=conference, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Die Vereinbarung ist hinzugefügt.")
            return redirect("network:conference_detail", pk=conference.pk)
    return render(
        request,
        "network/conference_detail.html",
        {"conference": conference, "may_change": True, "agreement_form": form},
        status=400,
    )


@require_POST
@role_required(*ALL_ROLES)
def agreement_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agreement = agreement_for_user(request.user, pk)
    agreement_complete(agreement=agreement)
    messages.success(request, "Die Vereinbarung ist als erledigt markiert.")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        # Not redirect(): it would try a posted "a:b" as a URL name first (KeyError, a 500).
        return HttpResponseRedirect(target)
    return redirect(reverse("network:conference_detail", args=[agreement.conference_id]))
