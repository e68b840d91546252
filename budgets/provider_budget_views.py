"""Pages of the Trägerbudget: the list, the planners' allocation and year-end decision, and the
overview both sides share, where the provider books its spending."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from budgets import provider_budgets as pb
from budgets.models import Budget, ProviderBudgetBooking
from budgets.provider_budget_forms import (
    AllocateForm,
    BookingForm,
    BookingReverseForm,
    CarryOverDecisionForm,
)
from budgets.selectors import budgets_visible_to
from sozialraum.access import ALL_ROLES, AuthenticatedHttpRequest, has_role, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import Provider, ProviderAlliance, Role, Sozialraum

PLANNING = (Role.PLANNER, Role.ADMIN)


@role_required(*ALL_ROLES)
def provider_budget_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [
        (provider_budget, pb.provider_budget_overview(provider_budget))
        for provider_budget in pb.provider_budgets_visible_to(request.user).order_by(
            "-budget__fiscal_year__year", "budget__region__name", "pk"
        )
    ]
    return render(
        request,
        "budgets/provider_budget_list.html",
        {"rows": rows, "is_planning": has_role(request.user, *PLANNING)},
    )


@role_required(*PLANNING)
def provider_budget_allocate(request: AuthenticatedHttpRequest) -> HttpResponse:
    budgets = budgets_visible_to(request.user).filter(region__isnull=False)
    form = AllocateForm(request.POST or None, budgets=budgets)
    if request.method == "POST" and form.is_valid():
        provider_id, alliance_id = form.holder_ids()
        try:
            allocation = pb.provider_budget_allocate(
                budget=form.cleaned_data["budget"],
                provider=get_object_or_404(Provider, pk=provider_id) if provider_id else None,
                alliance=(
                    get_object_or_404(ProviderAlliance, pk=alliance_id) if alliance_id else None
                ),
                amount=form.cleaned_data["amount"],
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Die Zuweisung ist gebucht.")
            return redirect("budgets:provider_budget_detail", pk=allocation.provider_budget_id)
    return render(
        request,
        "budgets/provider_budget_allocate.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@role_required(*ALL_ROLES)
def provider_budget_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    provider_budget = pb.provider_budget_for_user(request.user, pk)
    may_book = pb.may_book_for(request.user, provider_budget)
    form = None
    if may_book:
        form = BookingForm(
            request.POST if request.method == "POST" else None,
            assignments=pb.provider_budget_assignments(provider_budget),
        )
        if request.method == "POST" and form.is_valid():
            try:
                pb.provider_budget_book(
                    provider_budget=provider_budget, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, "Die Ausgabe ist gebucht.")
                return redirect("budgets:provider_budget_detail", pk=provider_budget.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(
        request,
        "budgets/provider_budget_detail.html",
        {
            "provider_budget": provider_budget,
            "overview": pb.provider_budget_overview(provider_budget),
            "allocations": provider_budget.allocations.select_related("commitment"),
            "bookings": pb.provider_budget_bookings(provider_budget)[:300],
            "carry_over": getattr(provider_budget, "carry_over", None),
            "form": form,
            "may_book": may_book,
            "is_planning": has_role(request.user, *PLANNING),
        },
        status=422 if form is not None and form.errors else 200,
    )


@require_POST
@role_required(Role.PROVIDER_STAFF)
def provider_budget_booking_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(ProviderBudgetBooking, pk=pk)
    provider_budget = pb.provider_budget_for_user(request.user, booking.provider_budget_id)
    form = BookingReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bitte begründen Sie das Storno.")
    else:
        try:
            pb.provider_budget_booking_reverse(
                booking=booking, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Die Buchung ist storniert.")
    return redirect("budgets:provider_budget_detail", pk=provider_budget.pk)


@role_required(*PLANNING)
def provider_budget_carry_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    provider_budget = pb.provider_budget_for_user(request.user, pk)
    budget: Budget = provider_budget.budget
    form = CarryOverDecisionForm(
        request.POST or None,
        sozialraeume=Sozialraum.objects.filter(region_id=budget.region_id or 0).order_by("code"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pb.provider_budget_carry_over(
                provider_budget=provider_budget,
                projects=[pb.ProjectPlan(*row) for row in form.project_rows()],
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Der Übertrag in die Sozialraumprojekte ist gebucht.")
            return redirect("budgets:provider_budget_detail", pk=provider_budget.pk)
    return render(
        request,
        "budgets/provider_budget_carry_over.html",
        {
            "provider_budget": provider_budget,
            "overview": pb.provider_budget_overview(provider_budget),
            "form": form,
        },
        status=422 if form.errors else 200,
    )
