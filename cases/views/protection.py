"""§ 8a child protection pages: report a concern, record the result, acknowledge, Schutzplan,
family court and Inobhutnahme.

Assessments are loaded through `risk_assessment_for_user` (404 outside the user's cases; 403
for a change by someone who may only read); their measures through the assessment, so an ID of
another assessment's measure is a 404. Reading an assessment is audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.audit import audit_record
from cases.forms_protection import (
    FamilyCourtForm,
    RiskReportForm,
    RiskResultForm,
    SafetyMeasureForm,
    SafetyPlanForm,
)
from cases.models import (
    AcknowledgementRole,
    AuditAction,
    PersonRole,
    RiskAssessment,
    SafetyMeasure,
)
from cases.permissions import can_change_case, case_for_user, risk_assessment_for_user
from cases.protection import (
    family_court_record,
    risk_acknowledge,
    risk_conclude,
    risk_report,
    safety_measure_add,
    safety_measure_done,
    safety_plan_update,
)
from cases.selectors import asd_staff_of_region
from cases.selectors_protection import protection_record
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required


def _post(request: AuthenticatedHttpRequest):
    return request.POST if request.method == "POST" else None


def risk_url(assessment: RiskAssessment, anchor: str = "") -> str:
    return reverse("cases:risk_detail", args=[assessment.pk]) + (f"#{anchor}" if anchor else "")


def _risk_step(request, assessment: RiskAssessment, form, title: str, save, anchor: str = ""):
    child = assessment.child
    return case_step(
        request,
        case=assessment.case,
        form=form,
        title=title,
        intro=f"Für {child.first_name} {child.last_name}" if child else "",
        save=save,
        back_url=risk_url(assessment, anchor),
    )


@role_required(*ASD)
def risk_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    children = case.persons.filter(role=PersonRole.CHILD)
    form = RiskReportForm(
        _post(request),
        children=children,
        staff=asd_staff_of_region(case.region_id),
        by_provider=False,
        assessor=request.user,
    )

    def save(data: dict) -> str:
        assessments = risk_report(
            user=request.user,
            case=case,
            children=form.chosen_children(),
            concern=form.concern_input(),
            result=form.result_input(),
        )
        if len(assessments) == 1:
            return "Die Gefährdungseinschätzung ist gespeichert."
        return f"{len(assessments)} Gefährdungseinschätzungen sind gespeichert, eine je Kind."

    return case_step(
        request,
        case=case,
        form=form,
        title="Gefährdungseinschätzung (§ 8a SGB VIII)",
        intro="Eine Sorge um mehrere Kinder: wählen Sie alle; jedes Kind erhält eine eigene "
        "Einschätzung mit demselben Sachverhalt.",
        save=save,
        anchor="gefaehrdung",
    )


@role_required(*ASD)
def risk_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk)
    record = protection_record(user=request.user, assessment=assessment)
    audit_record(
        user=request.user, action=AuditAction.VIEW, obj=assessment, detail="Gefährdungseinschätzung"
    )
    return render(
        request,
        "cases/protection/assessment_detail.html",
        {
            "record": record,
            "assessment": assessment,
            "case": assessment.case,
            "can_change": can_change_case(request.user, assessment.case),
        },
    )


@role_required(*ASD)
def risk_conclude_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    if assessment.is_concluded:
        messages.info(request, "Für diese Einschätzung ist das Ergebnis bereits erfasst.")
        return redirect(risk_url(assessment))
    form = RiskResultForm(
        _post(request),
        staff=asd_staff_of_region(assessment.case.region_id),
        initial={"assessors": [request.user.pk]},
    )

    def save(data: dict) -> str:
        result = form.result_input()
        assert result is not None  # the form requires a level
        risk_conclude(user=request.user, assessment=assessment, result=result)
        return "Das Ergebnis der Einschätzung ist gespeichert."

    return _risk_step(request, assessment, form, "Ergebnis der Gefährdungseinschätzung", save)


@require_POST
@role_required(*ASD)
def risk_acknowledge_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    role = request.POST.get("role", "")
    if role not in AcknowledgementRole.values:
        messages.error(request, "Bitte nehmen Sie über die Schaltfläche Ihrer Rolle zur Kenntnis.")
        return redirect(risk_url(assessment, "kenntnisnahme"))
    try:
        risk_acknowledge(user=request.user, assessment=assessment, role=role)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Die Kenntnisnahme ist vermerkt.")
    return redirect(risk_url(assessment, "kenntnisnahme"))


@role_required(*ASD)
def safety_plan_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    plan = getattr(assessment, "safety_plan", None)
    form = SafetyPlanForm(
        _post(request),
        initial={
            "review_on": plan.review_on if plan else None,
            "close": bool(plan and plan.closed_on),
        },
    )

    def save(data: dict) -> str:
        safety_plan_update(
            user=request.user,
            assessment=assessment,
            review_on=data["review_on"],
            close=data["close"],
        )
        return "Der Schutzplan ist gespeichert."

    return _risk_step(request, assessment, form, "Schutzplan: Überprüfung", save, "schutzplan")


@role_required(*ASD)
def safety_measure_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    form = SafetyMeasureForm(_post(request))

    def save(data: dict) -> str:
        safety_measure_add(user=request.user, assessment=assessment, **data)
        return "Die Maßnahme ist im Schutzplan ergänzt."

    return _risk_step(
        request, assessment, form, "Schutzplan: Maßnahme ergänzen", save, "schutzplan"
    )


@require_POST
@role_required(*ASD)
def safety_measure_done_view(
    request: AuthenticatedHttpRequest, pk: int, measure_pk: int
) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    measure = get_object_or_404(SafetyMeasure, pk=measure_pk, plan__assessment=assessment)
    try:
        safety_measure_done(user=request.user, measure=measure, done_on=timezone.localdate())
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, "Die Maßnahme ist als erledigt vermerkt.")
    return redirect(risk_url(assessment, "schutzplan"))


@role_required(*ASD)
def family_court_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    form = FamilyCourtForm(_post(request))

    def save(data: dict) -> str:
        family_court_record(user=request.user, assessment=assessment, **data)
        return "Die Anrufung des Familiengerichts ist vermerkt."

    return _risk_step(
        request, assessment, form, "Familiengericht anrufen (§ 8a Abs. 2)", save, "schritte"
    )
