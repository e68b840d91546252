"""The Hilfeplan (§ 36 SGB VIII): deciding a help with its plan, the plan page, scheduling and
moving a Hilfeplangespräch, recording it.

Each view loads the case through `case_for_user` (404 outside the region and for provider staff,
403 for colleagues who may only read where a change is asked) and the help or review through the
case, so an id of another case's object is a 404.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from cases.audit import audit_record
from cases.forms_help_plan import (
    ClosingReviewForm,
    HelpPlanDecisionForm,
    ReviewRecordForm,
    ReviewScheduleForm,
)
from cases.models import AuditAction, Case, Help, HelpPlanReview
from cases.permissions import can_change_case, case_for_user
from cases.selectors import help_plan_record, open_reviews
from cases.services import (
    help_decide,
    review_closing_record,
    review_provider,
    review_record,
    review_schedule,
)
from cases.views.common import case_step
from sozialraum.access import ASD, AuthenticatedHttpRequest, role_required


def _post(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _open_review(
    case_pk: int, review_pk: int, request: AuthenticatedHttpRequest
) -> tuple[Case, HelpPlanReview]:
    """The case (for a change) and one of its reviews still to hold; 404 for any other."""
    case = case_for_user(request.user, case_pk, for_change=True)
    review = get_object_or_404(
        open_reviews()
        .filter(case=case)
        .select_related("help_plan__help__help_type", "invited_provider"),
        pk=review_pk,
    )
    return case, review


@role_required(*ASD)
def help_decide_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk, for_change=True)
    form = HelpPlanDecisionForm(_post(request), case=case)

    def save(data: dict[str, Any]) -> str:
        help_ = help_decide(user=request.user, case=case, **form.service_kwargs())
        review = help_.help_plan.reviews.first()
        assert review is not None  # help_decide plans the first review with the help
        return (
            f"Die Hilfe „{help_.help_type}“ ist entschieden. Der Hilfeplan ist angelegt. Das "
            f"erste Hilfeplangespräch ist am {review.due_on:%d.%m.%Y} fällig."
        )

    return case_step(
        request,
        case=case,
        form=form,
        title="Hilfe entscheiden",
        intro="Umfang: Fachleistungsstunden pro Woche, bei einer Unterbringung die monatlichen "
        "Kosten und der Ort, an dem das Kind lebt. Mit der Hilfe entsteht ihr Hilfeplan: die "
        "Ziele, die ersten Schritte und das erste Hilfeplangespräch.",
        save=save,
        anchor="hilfeplan",
        adds=True,
    )


@role_required(*ASD)
def help_plan_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    record = help_plan_record(case=case, help_pk=help_pk)
    audit_record(user=request.user, action=AuditAction.VIEW, obj=record.plan, detail="Hilfeplan")
    return render(
        request,
        "cases/help_plan.html",
        {"case": case, "record": record, "can_change": can_change_case(request.user, case)},
    )


@role_required(*ASD)
def review_schedule_view(
    request: AuthenticatedHttpRequest, pk: int, review_pk: int
) -> HttpResponse:
    case, review = _open_review(pk, review_pk, request)
    help_ = review.help_plan.help
    form = ReviewScheduleForm(
        _post(request),
        review=review,
        help_=help_,
        provider=review_provider(review),
        invited_ids=list(review.invited_persons.values_list("pk", flat=True)),
    )
    moving = review.is_scheduled

    def save(data: dict[str, Any]) -> str:
        scheduled = review_schedule(user=request.user, review=review, **form.service_kwargs())
        when = f"{scheduled.due_on:%d.%m.%Y} um {scheduled.time:%H:%M} Uhr"
        return f"Das Hilfeplangespräch ist {'verschoben auf' if moving else 'geplant am'} {when}."

    return case_step(
        request,
        case=case,
        form=form,
        title="Hilfeplangespräch verschieben" if moving else "Hilfeplangespräch planen",
        intro=_review_intro(review),
        save=save,
        anchor="hilfeplan",
    )


@role_required(*ASD)
def review_record_view(request: AuthenticatedHttpRequest, pk: int, review_pk: int) -> HttpResponse:
    case, review = _open_review(pk, review_pk, request)
    invited = [str(person) for person in review.invited_persons.all()]
    if review.invited_provider is not None:
        invited.append(review.invited_provider.short_name)
    if review.invited_others:
        invited.append(review.invited_others)
    form = ReviewRecordForm(_post(request), help_=review.help_plan.help, invited=invited)

    def save(data: dict[str, Any]) -> str:
        review_record(user=request.user, review=review, **data)
        return "Das Hilfeplangespräch ist erfasst; das nächste ist geplant."

    return case_step(
        request,
        case=case,
        form=form,
        title="Hilfeplangespräch erfassen (§ 36 SGB VIII)",
        intro=_review_intro(review),
        save=save,
        anchor="hilfeplan",
    )


@role_required(*ASD)
def review_closing_view(request: AuthenticatedHttpRequest, pk: int, help_pk: int) -> HttpResponse:
    """The closing Hilfeplangespräch of an ended help (its open appointments were cancelled)."""
    case = case_for_user(request.user, pk, for_change=True)
    help_ = get_object_or_404(
        Help.objects.filter(case=case, ended_on__isnull=False).select_related("help_type"),
        pk=help_pk,
    )
    form = ClosingReviewForm(_post(request), help_=help_)

    def save(data: dict[str, Any]) -> str:
        review_closing_record(user=request.user, help_=help_, **data)
        return "Das Abschlussgespräch ist erfasst."

    return case_step(
        request,
        case=case,
        form=form,
        title="Abschlussgespräch erfassen (§ 36 SGB VIII)",
        intro=f"{help_.help_type}: beendet am {help_.ended_on:%d.%m.%Y}",
        save=save,
        back_url=reverse("cases:help_plan", args=[case.pk, help_.pk]),
    )


def _review_intro(review: HelpPlanReview) -> str:
    when = f"{review.due_on:%d.%m.%Y}"
    if review.time:
        when += f" um {review.time:%H:%M} Uhr"
    place = f", {review.place}" if review.place else ""
    return f"{review.help_plan.help.help_type}: Termin am {when}{place}"
