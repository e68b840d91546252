"""The steps of steering a case: people, resources, goals, helps, commissions, notes, § 36, § 8a.

Each view loads the case through `case_for_user(..., for_change=True)` (404 outside the region,
403 for colleagues who may only read) and its sub-objects through the case, so an ID of another
case's object is a 404.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.audit import audit_record
from cases.forms import (
    ActionStepForm,
    ConsultationForm,
    GoalAddForm,
    NoteForm,
    PersonEditForm,
    ResourceAddForm,
)
from cases.models import ActionStep, AuditAction, CaseKind, PersonRole
from cases.permissions import case_for_user
from cases.selectors import partners_of_region
from cases.services import (
    PersonInput,
    action_step_add,
    action_step_done,
    consultation_record,
    goal_add,
    note_add,
    person_add,
    person_update,
    resource_add,
)
from cases.views.common import case_step, case_url
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required


def _post(request: AuthenticatedHttpRequest):
    return request.POST if request.method == "POST" else None


@role_required(*ASD)
def person_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    if case.kind != CaseKind.INDIVIDUAL:
        messages.error(request, "Bei fallübergreifender Arbeit werden keine Personen erfasst.")
        return redirect(case_url(case))
    form = PersonEditForm(_post(request), initial={"role": PersonRole.CHILD})

    def save(data: dict) -> str:
        person_add(user=request.user, case=case, data=PersonInput(**data))
        return "Die Person ist ergänzt."

    return case_step(
        request,
        case=case,
        form=form,
        title="Person ergänzen",
        save=save,
        anchor="personen",
        adds=True,
    )


@role_required(*ASD)
def person_edit_view(request: AuthenticatedHttpRequest, pk: int, person_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    person = get_object_or_404(case.persons, pk=person_pk)
    if request.method == "GET":
        audit_record(user=request.user, action=AuditAction.VIEW, obj=person, detail="Person")
    form = PersonEditForm(
        _post(request),
        initial={
            field: getattr(person, field)
            for field in (
                "role",
                "first_name",
                "last_name",
                "birth_date",
                "relation",
                "phone",
                "sex",
                "parent_foreign_origin",
                "german_at_home",
            )
        },
    )

    def save(data: dict) -> str:
        person_update(user=request.user, person=person, data=PersonInput(**data))
        return "Die Angaben zur Person sind gespeichert."

    return case_step(
        request, case=case, form=form, title="Person bearbeiten", save=save, anchor="personen"
    )


@role_required(*ASD)
def resource_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = ResourceAddForm(_post(request), partners=partners_of_region(case.region_id))

    def save(data: dict) -> str:
        resource_add(user=request.user, case=case, data=form.to_input())
        return "Die Ressource ist ergänzt."

    return case_step(
        request,
        case=case,
        form=form,
        title="Ressource ergänzen",
        save=save,
        anchor="ressourcen",
        adds=True,
    )


@role_required(*ASD)
def goal_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = GoalAddForm(_post(request))

    def save(data: dict) -> str:
        goal_add(user=request.user, case=case, text=data["text"])
        return "Das Ziel ist ergänzt."

    return case_step(
        request,
        case=case,
        form=form,
        title="Grobziel ergänzen",
        save=save,
        anchor="ziele",
        adds=True,
    )


@role_required(*ASD)
def step_add_view(request: AuthenticatedHttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    goal = get_object_or_404(case.goals, pk=goal_pk)
    form = ActionStepForm(_post(request))

    def save(data: dict) -> str:
        action_step_add(user=request.user, goal=goal, **data)
        return "Der Handlungsschritt ist ergänzt."

    return case_step(
        request,
        case=case,
        form=form,
        title="Handlungsschritt ergänzen",
        intro=f"Zum Ziel: {goal.text}",
        save=save,
        anchor="ziele",
        adds=True,
    )


@require_POST
@role_required(*ASD)
def step_done_view(request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    step = get_object_or_404(ActionStep, pk=step_pk, goal__case=case, done_on__isnull=True)
    action_step_done(user=request.user, step=step, done_on=timezone.localdate())
    messages.success(request, "Der Schritt ist als erledigt vermerkt.")
    return redirect(case_url(case, "ziele"))


@role_required(*ASD)
def note_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = NoteForm(_post(request), persons=case.persons.all() if case.is_individual else None)

    def save(data: dict) -> str:
        note_add(
            user=request.user,
            case=case,
            text=data["text"],
            internal=data["internal"],
            contact_on=data["contact_on"],
            contact_kind=data["contact_kind"],
            persons_present=list(data.get("persons_present", [])),
            others_present=data["others_present"],
        )
        return "Der Vermerk ist gespeichert."

    return case_step(
        request,
        case=case,
        form=form,
        title="Vermerk schreiben",
        save=save,
        anchor="notizen",
        adds=True,
    )


@role_required(*ASD)
def consultation_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = ConsultationForm(_post(request), case=case)

    def save(data: dict) -> str:
        consultation_record(user=request.user, case=case, **data)
        return "Die kollegiale Beratung ist festgehalten."

    return case_step(
        request,
        case=case,
        form=form,
        title="Kollegiale Beratung",
        save=save,
        anchor="beratung",
        adds=True,
    )
