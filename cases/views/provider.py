"""Falldurchführung pages: what a provider's staff need for their work, and nothing more."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from cases.audit import audit_record
from cases.corrections import assignment_correction_states
from cases.forms import ProviderNoteForm
from cases.forms_protection import RiskReportForm
from cases.models import Assignment, AuditAction, PersonRole
from cases.permissions import assignment_for_user, can_work_on_assignment
from cases.protection import risk_report
from cases.selectors import assignment_list, assignment_record
from cases.selectors_protection import provider_staff_of
from cases.selectors_sharing import provider_share
from cases.services import note_add
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required
from sozialraum.models import Role

PROVIDER_AND_ASD = (Role.PROVIDER_STAFF, *ASD)
SHARE_AUDIT_DETAIL = {
    "address": "Falldurchführung: Anschrift und Telefon der Familie",
    "resources": "Falldurchführung: Ressourcen der Familie",
    "goals": "Falldurchführung: Hilfeplanziele",
}


@role_required(*PROVIDER_AND_ASD)
def assignment_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    show_all = request.GET.get("alle") == "1"
    after = request.GET.get("nach", "")
    rows, next_after = assignment_list(
        user=request.user,
        active_only=not show_all,
        after=int(after) if (after.isascii() and after.isdigit()) else None,
    )
    return render(
        request,
        "cases/assignment_list.html",
        {"assignments": rows, "next_after": next_after, "show_all": show_all},
    )


@role_required(*PROVIDER_AND_ASD)
def assignment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for_user(request.user, pk)
    record = assignment_record(user=request.user, assignment=assignment)
    share = provider_share(
        assignment=assignment, today=timezone.localdate(), persons=record.persons
    )
    audit_record(
        user=request.user, action=AuditAction.VIEW, obj=assignment, detail="Falldurchführung"
    )
    # Each kind of family data the page shows is a read of its own in the trail.
    for category in share.categories_shown:
        audit_record(
            user=request.user,
            action=AuditAction.VIEW,
            obj=assignment,
            detail=SHARE_AUDIT_DETAIL[category],
        )
    return render(
        request,
        "cases/assignment_detail.html",
        {
            "record": record,
            "share": share,
            "assignment": assignment,
            "case": assignment.case,
            "can_work": can_work_on_assignment(request.user, assignment),
            "correction_states": assignment_correction_states(
                user=request.user,
                assignment=assignment,
                notes=[item.note for item in record.notes],
            ),
        },
    )


def assignment_url(assignment: Assignment) -> str:
    return reverse("cases:assignment_detail", args=[assignment.pk])


def _assignment_step(request, assignment, form, title, save, anchor):
    return case_step(
        request,
        case=assignment.case,
        form=form,
        title=title,
        save=save,
        back_url=f"{assignment_url(assignment)}#{anchor}",
    )


@role_required(Role.PROVIDER_STAFF)
def assignment_note_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for_user(request.user, pk, for_work=True)
    # The provider's staff see the family's people on a running assignment (the page
    # "Falldurchführung" lists them), so they may name who was present.
    form = ProviderNoteForm(
        request.POST if request.method == "POST" else None,
        persons=assignment.case.persons.all(),
    )

    def save(data: dict) -> str:
        note_add(
            user=request.user,
            case=assignment.case,
            assignment=assignment,
            kind=data["kind"],
            text=data["text"],
            contact_on=data["contact_on"],
            contact_kind=data["contact_kind"],
            persons_present=list(data.get("persons_present", [])),
            others_present=data["others_present"],
        )
        return "Der Eintrag ist gespeichert; der ASD sieht ihn in der Fallakte."

    return _assignment_step(
        request, assignment, form, "Verlaufsnotiz oder Bericht", save, "notizen"
    )


@role_required(Role.PROVIDER_STAFF)
def assignment_risk_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_for_user(request.user, pk, for_work=True)
    form = RiskReportForm(
        request.POST if request.method == "POST" else None,
        children=assignment.case.persons.filter(role=PersonRole.CHILD),
        staff=provider_staff_of(assignment.provider_id),
        by_provider=True,
        assessor=request.user,
    )

    def save(data: dict) -> str:
        risk_report(
            user=request.user,
            case=assignment.case,
            assignment=assignment,
            children=form.chosen_children(),
            concern=form.concern_input(),
            result=form.result_input(),
        )
        return (
            "Die Gefährdungseinschätzung ist gespeichert. Bei akuter Gefährdung sieht die "
            "fallsteuernde Fachkraft sie sofort auf ihrer Startseite; rufen Sie zusätzlich an."
        )

    return _assignment_step(
        request, assignment, form, "Gefährdungseinschätzung (§ 8a SGB VIII)", save, "gefaehrdung"
    )
