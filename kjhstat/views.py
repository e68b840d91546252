"""The KJH statistics pages: per survey and year the tables, the number of records, the
plausibility report and the delivery files; the help's statistics items; the Teil IV mapping.

Readers are planners and administrators (`selectors.READERS`); every look at a year is audited
(`services.statistics_audit`): the plausibility report names case numbers.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers

from cases.forms_kjh import HelpStatisticsForm
from cases.permissions import case_for_user
from cases.services_kjh import help_statistics_update
from cases.views.common import case_step
from kjhstat import selectors, services
from kjhstat.forms import DeliveryRequestForm, MappingForm
from kjhstat.models import DeliveryState, SpendingMapping
from kjhstat.surveys import spending
from sozialraum.access import AuthenticatedHttpRequest, has_role, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import ASD_ROLES, Role
from sozialraum.suppression import NOTE as SUPPRESSION_NOTE


@role_required(*selectors.READERS)
def statistics_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    years = selectors.years_offered()
    return render(
        request,
        "kjhstat/home.html",
        {"surveys": selectors.surveys_all(), "years": years},
    )


@role_required(*selectors.READERS)
def survey_detail(request: AuthenticatedHttpRequest, key: str, year: int) -> HttpResponse:
    survey = selectors.survey_get(key)
    years = selectors.years_offered()
    if year not in years and not selectors.FIRST_YEAR <= year <= years[0]:
        raise Http404("Für dieses Jahr gibt es keine Statistik.")
    preview = selectors.year_is_open(year)
    form = DeliveryRequestForm(request.POST if request.method == "POST" else None, preview=preview)
    if request.method == "POST" and form.is_valid():
        try:
            delivery = services.delivery_request(user=request.user, survey_key=key, year=year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("kjhstat:delivery", public_id=delivery.public_id)
    committee = request.GET.get("ausschuss") == "1"
    services.statistics_audit(
        user=request.user, survey_key=key, year=year, detail="Tabellen und Prüfbericht"
    )
    return render(
        request,
        "kjhstat/survey_detail.html",
        {
            "view": selectors.survey_year(survey=survey, year=year, committee=committee),
            "survey": survey,
            "year": year,
            "committee": committee,
            "suppression_note": SUPPRESSION_NOTE,
            "years": years,
            "form": form,
            "deliveries": selectors.deliveries_of(survey_key=key, year=year)[:10],
        },
    )


def _status(delivery) -> dict[str, Any]:
    return {
        "state": delivery.state,
        "state_label": delivery.get_state_display(),
        "progress": delivery.progress,
        "step": delivery.step,
        "error": delivery.error,
        "waits_for_broker": delivery.state == DeliveryState.WAITING,
        "finished": not delivery.is_open,
    }


@role_required(*selectors.READERS)
def delivery_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    delivery = selectors.delivery_for_user(request.user, public_id)
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(_status(delivery))
    else:
        response = render(
            request,
            "kjhstat/delivery_detail.html",
            {
                "delivery": delivery,
                "status": _status(delivery),
                "survey": selectors.survey_get(delivery.survey),
            },
        )
    patch_vary_headers(response, ["Accept"])
    return response


@role_required(*selectors.READERS)
def delivery_download(request: AuthenticatedHttpRequest, public_id) -> FileResponse:
    delivery = selectors.delivery_for_user(request.user, public_id)
    if delivery.state != DeliveryState.DONE:
        raise Http404("Diese Lieferdatei ist noch nicht fertig.")
    try:
        handle = delivery.file.open("rb")
    except FileNotFoundError:
        raise Http404("Die Datei fehlt; bitte erstellen Sie sie neu.") from None
    services.statistics_audit(
        user=request.user, survey_key=delivery.survey, year=delivery.year, detail="Lieferdatei"
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=delivery.download_name,
        content_type="text/csv; charset=utf-8",
    )


@role_required(*ASD_ROLES)
def help_items(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    """The help's KJH statistics items (the plausibility report links here)."""
    case = case_for_user(request.user, pk, for_change=True)
    help_ = get_object_or_404(
        case.helps.select_related("help_type", "young_person", "case"), pk=help_pk
    )
    form = HelpStatisticsForm(request.POST if request.method == "POST" else None, help_=help_)

    def save(data: dict[str, Any]) -> str:
        help_statistics_update(
            user=request.user,
            help_=help_,
            items=form.items,
            person_items=form.person_items() if form.items.young_person else {},
            end_reason=data.get("end_reason") or "",
        )
        return "Die Angaben für die Statistik sind gespeichert."

    return case_step(
        request,
        case=case,
        form=form,
        title="Angaben für die Kinder- und Jugendhilfestatistik",
        intro=f"{help_}. Was noch nicht bekannt ist, bleibt leer und steht im Prüfbericht der "
        "Jugendhilfeplanung; „unbekannt“ ist eine eigene Antwort.",
        save=save,
        anchor="hilfen",
    )


@role_required(*selectors.READERS)
def mapping(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Teil IV: which position each kind of spending is reported under; administrators change
    it here (or in the Django admin)."""
    effective = spending.mapping()
    stored = {row.source: row for row in SpendingMapping.objects.all()}
    sources = spending.sources_known()
    may_change = has_role(request.user, Role.ADMIN)
    form = MappingForm(
        request.POST if may_change and request.method == "POST" else None,
        sources=[(source, spending.source_label(source)) for source in sources],
    )
    if request.method == "POST":
        if not may_change:
            raise Http404
        if form.is_valid():
            try:
                services.spending_mapping_set(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, "Die Zuordnung ist gespeichert.")
                return redirect("kjhstat:mapping")
    labels = dict(spending.SpendingPosition.choices)
    lines = [
        {
            "source": spending.source_label(source),
            "key": source,
            "position": labels.get(effective.get(source, ""), "– keine (Sonstige Aufgaben) –"),
            "changed": source in stored,
            "note": stored[source].note if source in stored else "",
        }
        for source in sources
    ]
    return render(
        request,
        "kjhstat/mapping.html",
        {"lines": lines, "form": form if may_change else None},
        status=422 if request.method == "POST" else 200,
    )
