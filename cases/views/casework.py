"""The ASD's case pages: the list, the intake, cross-case work, the case record, its status."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_record
from cases.corrections import case_correction_states
from cases.forms import (
    CaseFilterForm,
    GoalFormSet,
    IntakeForm,
    PersonFormSet,
    ProjectEditForm,
    ProjectForm,
    ResourceFormSet,
    SteeringForm,
)
from cases.models import AuditAction, CaseKind, CaseStatus
from cases.permissions import (
    can_change_case,
    can_reopen_case,
    case_and_acting_for_user,
    case_for_user,
    region_of_asd,
)
from cases.proposals import proposal_rows
from cases.selectors import case_record, partners_of_region, persons_possible_duplicates
from cases.selectors_list import CaseFilter, case_list
from cases.selectors_sharing import sharings_of_case
from cases.services import (
    case_closed_refusal,
    case_intake,
    case_intake_check,
    case_project_open,
    case_project_update,
    steering_change,
)
from cases.views.common import case_step, case_url
from cases.workflow import allowed_next
from sozialraum.access import ASD, AuthenticatedHttpRequest, asd_region_id, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import Role, Sozialraum, User
from sozialraum.selectors import address_resolve, sozialraeume_valid_on


def _int_param(request: AuthenticatedHttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if (value.isascii() and value.isdigit()) else None


# Searches (which may hold a family's name) are posted and kept in the session; the URL carries
# only a random key, so no name ends up in browser history, proxies or access logs.
SEARCH_SESSION_KEY = "case_searches"
SEARCHES_KEPT = 10


def _search_store(request: AuthenticatedHttpRequest, form: CaseFilterForm) -> str:
    searches = request.session.get(SEARCH_SESSION_KEY, {})
    key = secrets.token_urlsafe(8)
    searches[key] = {name: request.POST.getlist(name) for name in form.fields}
    request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return key


def _search_load(request: AuthenticatedHttpRequest) -> tuple[QueryDict | None, str]:
    """The filter data of this request: a stored search, or plain filters without a name."""
    key = request.GET.get("suche", "")
    stored = request.session.get(SEARCH_SESSION_KEY, {}).get(key)
    if stored is not None:
        data = QueryDict(mutable=True)
        for name, values in stored.items():
            data.setlist(name, values)
        return data, f"suche={key}"
    data = request.GET.copy()
    data.pop("q", None)
    for name in ("nach", "vor", "suche"):
        data.pop(name, None)
    return (data or None), data.urlencode()


@role_required(*ASD)
def case_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    asd_region_id(request.user)  # a German 403 for an ASD account without a team
    assert request.user.asd_team is not None
    region, today = request.user.asd_team.region, timezone.localdate()
    if request.method == "POST":
        form = CaseFilterForm(request.POST, region=region, on=today)
        if form.is_valid():
            return redirect(f"{reverse('cases:list')}?suche={_search_store(request, form)}")
        query_string = ""
    else:
        data, query_string = _search_load(request)
        form = CaseFilterForm(data, region=region, on=today)
    filters = CaseFilter()
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
        filters = CaseFilter(
            region_id=chosen["region"],
            sozialraum_id=chosen["sozialraum"],
            kind=chosen["kind"],
            status=chosen["status"],
            help_type_id=chosen["help_type"],
            provider_id=chosen["provider"],
            review_overdue=chosen["review_overdue"],
            risk_open=chosen["risk_open"],
            steered_by_me=chosen["mine"],
            query=chosen["q"],
        )
    page = case_list(
        user=request.user,
        filters=filters,
        after=_int_param(request, "nach"),
        before=_int_param(request, "vor"),
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string,
            # The filter's selects are kept per region, day and choice (case_filter_form.html).
            "figures_seconds": settings.FIGURES_CACHE_SECONDS,
            "filter_region_id": region.pk,
            "filter_day": today.isoformat(),
        },
        status=422 if request.method == "POST" else 200,
    )


def _intake_sozialraum(form: IntakeForm, *, user: User, postcode_ok: bool) -> Sozialraum | None:
    """The Sozialraum of the intake: the one chosen with a reason, or the one of the address.
    An address that leads nowhere or to another region is an error on the street field."""
    cleaned = form.cleaned_data
    if cleaned.get("sozialraum_override"):
        return cleaned["sozialraum_override"]
    if "sozialraum_override" in form.errors or not postcode_ok:
        return None  # the PLZ's own message says what is wrong
    if not cleaned.get("street") or not cleaned.get("house_number"):
        return None  # the fields' own messages say what is missing
    responsibility = address_resolve(
        street=cleaned["street"],
        house_number=cleaned["house_number"],
        postcode=cleaned.get("postcode", ""),
        on=cleaned.get("opened_on"),
    )
    found = responsibility.sozialraum if responsibility.found else None
    if found is None:
        form.add_error("street", responsibility.message)
    elif found.region_id != asd_region_id(user):
        form.add_error(
            "street",
            f"Für diese Adresse ist {found.asd_team} zuständig "
            f"(Sozialraum {found.name}). Bitte geben Sie die Anfrage "
            "dorthin ab oder begründen Sie einen abweichenden Sozialraum.",
        )
    return found if found is not None and found.region_id == asd_region_id(user) else None


@role_required(*ASD)
def intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Falleingang: the family, its concern and will, resources and goals on one page."""
    user = request.user
    sozialraeume = sozialraeume_valid_on().filter(region_id=asd_region_id(user))
    data = request.POST if request.method == "POST" else None
    form = IntakeForm(data, user=user, sozialraeume=sozialraeume)
    persons = PersonFormSet(data, prefix="person")
    resources = ResourceFormSet(
        data, prefix="ressource", form_kwargs={"partners": partners_of_region(asd_region_id(user))}
    )
    goals = GoalFormSet(data, prefix="ziel")
    duplicates = []
    if data is not None:
        # Every part is checked in this one round (a list, not all(): no part is skipped), and
        # the address and the service's rules run on whatever is readable, so the person sees
        # every problem after one submit.
        parts_valid = all([f.is_valid() for f in (form, persons, resources, goals)])
        cleaned = form.cleaned_data
        person_inputs = (
            [f.to_input() for f in persons if f.has_changed()] if persons.is_valid() else None
        )
        checks = case_intake_check(
            opened_on=cleaned.get("opened_on"),
            postcode=cleaned.get("postcode", ""),
            persons=person_inputs,
        )
        sozialraum = _intake_sozialraum(form, user=user, postcode_ok=not checks.refuses("postcode"))
        try:
            checks.raise_if_any()
        except ValidationError as error:
            form_errors_add(form, error)
        if parts_valid and sozialraum is not None and not form.errors:
            assert person_inputs is not None  # the person formset is valid
            duplicates = persons_possible_duplicates(persons=person_inputs)
            if not duplicates or cleaned["duplicates_confirmed"]:
                try:
                    case = case_intake(
                        user=user,
                        sozialraum=sozialraum,
                        sozialraum_override_reason=cleaned["sozialraum_override_reason"]
                        if cleaned["sozialraum_override"]
                        else "",
                        steering_caseworker=cleaned["steering_caseworker"],
                        opened_on=cleaned["opened_on"],
                        street=cleaned["street"],
                        house_number=cleaned["house_number"],
                        postcode=cleaned["postcode"],
                        concern=cleaned["concern"],
                        will=cleaned["will"],
                        persons=person_inputs,
                        resources=[f.to_input() for f in resources if f.has_changed()],
                        goals=[f.cleaned_data["text"] for f in goals if f.has_changed()],
                    )
                except ValidationError as error:
                    form_errors_add(form, error)
                else:
                    messages.success(request, f"Fall {case.number} ist angelegt.")
                    return redirect(case_url(case))
    return render(
        request,
        "cases/intake.html",
        {
            "form": form,
            "persons": persons,
            "resources": resources,
            "goals": goals,
            "duplicates": duplicates,
        },
        status=422 if data is not None else 200,
    )


@role_required(*ASD)
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cross-case or case-independent work: opened with numbers, not names."""
    user = request.user
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        user=user,
        sozialraeume=sozialraeume_valid_on().filter(region_id=asd_region_id(user)),
    )
    if form.is_bound and form.is_valid():
        try:
            case = case_project_open(user=user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(
                request,
                f"{case.get_kind_display().capitalize()}e Arbeit {case.number} ist angelegt.",
            )
            return redirect(case_url(case))
    return render(
        request,
        "cases/project_form.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )


@role_required(*ASD)
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    if case.is_individual:
        raise Http404("Einzelfälle haben keine Projektangaben.")
    form = ProjectEditForm(request.POST if request.method == "POST" else None, case=case)

    def save(data: dict) -> str:
        case_project_update(user=request.user, case=case, **data)
        return "Die Angaben sind gespeichert."

    return case_step(
        request,
        case=case,
        form=form,
        title="Projektangaben bearbeiten",
        save=save,
        anchor="anliegen",
    )


@role_required(*ASD)
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Whether the user covers the steering caseworker comes with the case, asked once.
    case, acting_for = case_and_acting_for_user(request.user, pk)
    record = case_record(user=request.user, case=case, acting_for=acting_for)
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=case,
        detail="Fallakte",
        acting_for=acting_for,
    )
    can_change = can_change_case(request.user, case, acting_for=acting_for)
    # A closed case takes nothing new: its add-links give way to the refusal (and the reopen link).
    closed_refusal = case_closed_refusal(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "record": record,
            "case": record.case,
            "can_change": can_change,
            "can_add": can_change and not closed_refusal,
            "closed_refusal": closed_refusal,
            "may_reopen": can_reopen_case(request.user, case),
            # A team lead of another region reaches the case only as a deputy: no lead's steps.
            "is_team_lead": request.user.effective_role == Role.TEAM_LEAD
            and region_of_asd(request.user) == case.region_id,
            "as_deputy": acting_for is not None,
            "correction_states": case_correction_states(
                user=request.user,
                case=record.case,
                acting_for=acting_for,
                records=[
                    *(item.note for item in record.notes),
                    *(item.help for item in record.helps),
                    *(a for item in record.helps for a in item.assignments),
                    *record.reviews,
                    *record.risks,
                ],
            ),
            "next_statuses": allowed_next(case.kind, case.status),
            "sharings": sharings_of_case(case=case, today=record.today)
            if case.kind == CaseKind.INDIVIDUAL and case.has_sharings  # type: ignore[attr-defined]
            else [],
            "can_decide_help": can_change
            and case.kind == CaseKind.INDIVIDUAL
            and case.status
            in (CaseStatus.CLARIFICATION, CaseStatus.HELP_DECIDED, CaseStatus.RUNNING),
            # The Sozialraumteam's decisions on the case (meetings), to confirm here.
            "proposals": proposal_rows(user=request.user, case=case)
            if case.kind == CaseKind.INDIVIDUAL and case.has_proposals  # type: ignore[attr-defined]
            else [],
            "custodies": list(
                case.protection_measures.select_related("child").order_by("-started_on", "-pk")
            )
            if case.has_custodies  # type: ignore[attr-defined]
            else [],
        },
    )


@role_required(Role.TEAM_LEAD)
def steering_change_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    if region_of_asd(request.user) != case.region_id:  # a deputy from another region
        raise PermissionDenied("Die Fallsteuerung übergibt die Teamleitung der Region des Falls.")
    form = SteeringForm(request.POST if request.method == "POST" else None, case=case)

    def save(data: dict) -> str:
        steering_change(
            user=request.user, case=case, caseworker=data["caseworker"], reason=data["reason"]
        )
        return "Die Fallsteuerung ist übergeben."

    return case_step(request, case=case, form=form, title="Fallsteuerung übergeben", save=save)
