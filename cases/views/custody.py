"""§ 42 Inobhutnahme pages (record from the case, read, correct, end) and the § 8a survey items
of one assessment.

Inobhutnahmen are loaded through `custody_for_user` (404 outside the user's cases; 403 for a
change by someone who may only read); a correction follows the correction rules (403 with the
reason otherwise). Reading an Inobhutnahme is audited, like a § 8a assessment.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cases.audit import audit_record
from cases.custody import custody_correct, custody_correction_refusal, custody_end, custody_record
from cases.forms_custody import CustodyEndForm, CustodyForm, RiskItemsForm, custody_initial
from cases.kjh_protection_items import ProtectionReason
from cases.models import AuditAction, ProtectionMeasure
from cases.permissions import can_change_case, case_for_user, risk_assessment_for_user
from cases.protection_items import risk_items_initial, risk_items_update
from cases.selectors_custody import custody_for_user
from cases.views.common import case_step
from cases.views.protection import risk_url
from corrections.selectors import correction_state, corrections_of
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required


def _post(request: AuthenticatedHttpRequest):
    return request.POST if request.method == "POST" else None


def custody_url(measure: ProtectionMeasure) -> str:
    return reverse("cases:custody_detail", args=[measure.pk])


def _child_intro(measure: ProtectionMeasure) -> str:
    child = measure.child
    return f"Für {child.first_name} {child.last_name}" if child else ""


@role_required(*ASD)
def custody_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    initial = {}
    assessment_id = request.GET.get("einschaetzung", "")
    if assessment_id.isdigit():
        assessment = case.risk_assessments.filter(pk=int(assessment_id)).first()
        if assessment is not None:
            initial = {"assessment": assessment.pk, "child": assessment.child_id}
    form = CustodyForm(_post(request), case=case, initial=initial)

    def save(data: dict) -> str:
        custody_record(user=request.user, case=case, data=form.custody_input())
        return "Die Inobhutnahme ist gespeichert."

    return case_step(
        request,
        case=case,
        form=form,
        title="Inobhutnahme erfassen (§ 42, § 42a SGB VIII)",
        save=save,
        anchor="inobhutnahmen",
    )


@role_required(*ASD)
def custody_detail_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = custody_for_user(request.user, pk)
    audit_record(user=request.user, action=AuditAction.VIEW, obj=measure, detail="Inobhutnahme")
    can_change = can_change_case(request.user, measure.case)
    return render(
        request,
        "cases/protection/custody_detail.html",
        {
            "measure": measure,
            "case": measure.case,
            "can_change": can_change,
            "reason_labels": [
                label for code, label in ProtectionReason.choices if code in (measure.reasons or [])
            ],
            "state": correction_state(
                record=measure,
                url=reverse("cases:custody_correct", args=[measure.pk]),
                refusal=custody_correction_refusal(user=request.user, measure=measure)
                if can_change
                else "Berichtigen dürfen die fallsteuernde Fachkraft und die Teamleitung.",
                history=corrections_of([measure]),
            ),
        },
    )


@role_required(*ASD)
def custody_correct_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = custody_for_user(request.user, pk, for_change=True)
    refusal = custody_correction_refusal(user=request.user, measure=measure)
    if refusal:
        raise PermissionDenied(refusal)
    form = CustodyForm(
        _post(request),
        case=measure.case,
        ended=measure.ended_on is not None,
        correcting=True,
        initial=custody_initial(measure),
    )

    def save(data: dict) -> str:
        custody_correct(
            user=request.user, measure=measure, data=form.custody_input(), reason=data["reason"]
        )
        return "Die Berichtigung ist gespeichert; die früheren Angaben bleiben im Verlauf."

    return case_step(
        request,
        case=measure.case,
        form=form,
        title="Inobhutnahme berichtigen",
        intro=_child_intro(measure),
        save=save,
        back_url=custody_url(measure),
    )


@role_required(*ASD)
def custody_end_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    measure = custody_for_user(request.user, pk, for_change=True)
    if measure.ended_on is not None:
        messages.info(request, "Diese Inobhutnahme ist bereits beendet.")
        return redirect(custody_url(measure))
    form = CustodyEndForm(_post(request), started_on=measure.started_on)

    def save(data: dict) -> str:
        custody_end(
            user=request.user, measure=measure, ended_on=data["ended_on"], outcome=data["outcome"]
        )
        return "Die Inobhutnahme ist beendet."

    return case_step(
        request,
        case=measure.case,
        form=form,
        title="Inobhutnahme beenden",
        intro=_child_intro(measure),
        save=save,
        back_url=custody_url(measure),
    )


@role_required(*ASD)
def risk_items_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = risk_assessment_for_user(request.user, pk, for_change=True)
    if not assessment.is_concluded:
        messages.info(
            request, "Die Angaben für die Statistik folgen, wenn das Ergebnis erfasst ist."
        )
        return redirect(risk_url(assessment))
    form = RiskItemsForm(
        _post(request), level=assessment.level, initial=risk_items_initial(assessment)
    )

    def save(data: dict) -> str:
        risk_items_update(user=request.user, assessment=assessment, items=form.items())
        return "Die Angaben für die Statistik sind gespeichert."

    child = assessment.child
    return case_step(
        request,
        case=assessment.case,
        form=form,
        title="Gefährdungseinschätzung: Angaben für die Statistik",
        intro=f"Für {child.first_name} {child.last_name}" if child else "",
        save=save,
        back_url=risk_url(assessment, "statistik"),
    )
