"""Budget pages: overviews, fiscal year set-up, commitments, transfers, exports.

Thin views: the form validates, one service books, then a redirect. Objects come through the
selectors, which answer 404 for another region's budget.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from budgets import exports, selectors, services
from budgets.corrections import reserve_decision_preview
from budgets.forms import (
    CarryOverForm,
    CommitmentEndForm,
    CommitmentForm,
    FiscalYearForm,
    PaymentForm,
    PaymentReverseForm,
    ReasonForm,
    SplitForm,
    TransferDecideForm,
    TransferRequestForm,
)
from budgets.models import (
    Budget,
    BudgetSplit,
    EntryKind,
    FiscalYear,
    SplitMethod,
    TransferStatus,
)
from corrections.selectors import corrections_of, record_key
from sozialraum.access import ASD, OFFICE, AuthenticatedHttpRequest, has_role, role_required
from sozialraum.forms import form_errors_add
from sozialraum.models import Provider, Region, Role

PLANNING = (Role.PLANNER, Role.ADMIN)


def _form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _reversible_kinds(user, budget: Budget) -> tuple[str, ...]:
    """Entry kinds this person may reverse here (none when they may only look)."""
    if services.may_book_in(user, budget) or has_role(user, *PLANNING):
        return tuple(services.REVERSIBLE)
    return ()


def _int_param(request: AuthenticatedHttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if (value.isascii() and value.isdigit()) else None


def _current_year(years: list[FiscalYear], requested: str | None) -> FiscalYear | None:
    if requested and (requested.isascii() and requested.isdigit()):
        for fiscal_year in years:
            if fiscal_year.year == int(requested):
                return fiscal_year
        raise Http404("Haushaltsjahr nicht gefunden.")
    today = timezone.localdate().year
    for fiscal_year in years:
        if fiscal_year.year == today:
            return fiscal_year
    return years[0] if years else None


@role_required(*OFFICE)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All budgets of a year the person may see, with forecasts and shares by kind of work."""
    years = list(FiscalYear.objects.select_related("reserve"))
    fiscal_year = _current_year(years, request.GET.get("jahr"))
    context: dict[str, object] = {
        "years": years,
        "fiscal_year": fiscal_year,
        "is_planning": has_role(request.user, *PLANNING),
        "is_team_lead": has_role(request.user, Role.TEAM_LEAD),
    }
    if fiscal_year is not None:
        context.update(selectors.year_overview_figures(request.user, fiscal_year))
        context.update(
            distributable=fiscal_year.total - fiscal_year.reserve.resolved_amount,
            split=BudgetSplit.objects.filter(fiscal_year=fiscal_year)
            .select_related("decided_by")
            .order_by("-decided_at", "-pk")
            .first(),
            export_parts=exports.PARTS,
        )
    return render(request, "budgets/overview.html", context)


@role_required(*PLANNING)
def fiscal_year_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FiscalYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        as_amount = data["reserve_kind"] == FiscalYearForm.RESERVE_AMOUNT
        try:
            fiscal_year = services.fiscal_year_create(
                year=data["year"],
                total=data["total"],
                reserve_amount=data["reserve_value"] if as_amount else None,
                reserve_percentage=None if as_amount else data["reserve_value"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                f"Das Haushaltsjahr {fiscal_year.year} ist angelegt. Legen Sie nun die "
                "Aufteilung auf die Regionen fest.",
            )
            return redirect("budgets:split", year=fiscal_year.year)
    return render(request, "budgets/fiscal_year_form.html", {"form": form})


@role_required(*PLANNING)
def split(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    fiscal_year = selectors.fiscal_year_get(year)
    distributable = services.fiscal_year_distributable(fiscal_year)
    regions = list(Region.objects.order_by("name"))
    proposals = selectors.split_proposals(fiscal_year, distributable)
    chosen = next((p for p in proposals if p.method == request.GET.get("vorschlag")), None)
    initial: dict[str, object] = {}
    if chosen is not None:
        initial = {SplitForm.field_name(r): amount for r, amount in chosen.shares.items()}
        initial["method"] = chosen.method
    else:
        previous = fiscal_year.splits.first()
        if previous is not None:
            initial = {SplitForm.field_name(s.region): s.amount for s in previous.shares.all()}
            initial["method"] = SplitMethod.MANUAL
    form = SplitForm(request.POST or None, regions=regions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_split_decide(
                fiscal_year=fiscal_year,
                method=form.cleaned_data["method"],
                shares=form.shares(),
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Die Aufteilung für {year} ist gebucht.")
            return redirect(f"{reverse('budgets:overview')}?jahr={year}")
    return render(
        request,
        "budgets/split_form.html",
        {
            "fiscal_year": fiscal_year,
            "distributable": distributable,
            "proposals": proposals,
            "regions": regions,
            "form": form,
            "splits": fiscal_year.splits.select_related("decided_by").prefetch_related(
                "shares__region"
            ),
        },
    )


@role_required(*OFFICE)
def budget_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for_user(request.user, pk)
    scope = Budget.objects.filter(pk=budget.pk)
    # A region's year holds thousands of commitments and tens of thousands of entries: the page
    # shows the newest of each and pages back by key; the exports carry everything.
    size = settings.CASE_LIST_PAGE_SIZE
    commitments = selectors.budget_commitments_page(
        budget, after=_int_param(request, "bewilligungen_nach"), size=size
    )
    entries = selectors.budget_entries_page(
        request.user, budget, after=_int_param(request, "buchungen_nach"), size=size
    )
    return render(
        request,
        "budgets/budget_detail.html",
        {
            "budget": budget,
            "figures": selectors.budget_figures_from_balances([budget])[budget.pk],
            "by_kind": selectors.breakdown_by_kind(scope),
            "by_help_type": selectors.breakdown_by_help_type(scope),
            "by_provider": selectors.breakdown_by_provider(scope),
            "by_sozialraum": selectors.breakdown_by_sozialraum(scope),
            "commitments": commitments.rows,
            "commitments_next": commitments.next_after,
            "entries": entries.rows,
            "entries_next": entries.next_after,
            "paged": _int_param(request, "bewilligungen_nach") is not None
            or _int_param(request, "buchungen_nach") is not None,
            "may_book": services.may_book_in(request.user, budget),
            "reversible_kinds": _reversible_kinds(request.user, budget),
            "is_planning": has_role(request.user, *PLANNING),
            "is_team_lead": services.is_team_lead_of(request.user, budget),
        },
    )


@role_required(*ASD)
def commitment_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for_user(request.user, pk)
    if budget.region is None:
        raise Http404("Aus dem Vorwegabzug wird nicht direkt bewilligt.")
    form = CommitmentForm(
        request.POST or None,
        sozialraeume=budget.region.sozialraeume.valid_on(timezone.localdate()),
        providers=Provider.objects.filter(is_active=True),
        may_override=services.is_team_lead_of(request.user, budget),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commitment = services.commitment_book(
                budget=budget,
                kind=data["kind"],
                title=data["title"],
                amount=data["amount"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                sozialraum=data["sozialraum"],
                provider=data["provider"],
                override_reason=data.get("override_reason", ""),
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Die Bewilligung „{commitment.title}“ ist gebucht.")
            return redirect("budgets:budget_detail", pk=budget.pk)
    figures = selectors.budget_figures([budget])[budget.pk]
    return render(
        request,
        "budgets/commitment_form.html",
        {"budget": budget, "figures": figures, "form": form},
    )


@role_required(*OFFICE)
def commitment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_for_user(request.user, pk)
    may_book = services.may_book_in(request.user, commitment.budget)
    payment_form = PaymentForm(prefix="zahlung")
    end_form = CommitmentEndForm(prefix="ende")
    if request.method == "POST":
        if not may_book:  # may see it (planners), but booking is the region's ASD's work
            raise PermissionDenied("Buchungen auf Bewilligungen nimmt das ASD der Region vor.")
        action = request.POST.get("aktion")
        try:
            if action == "zahlung":
                payment_form = PaymentForm(request.POST, prefix="zahlung")
                if payment_form.is_valid():
                    services.payment_book(
                        commitment=commitment, by=request.user, **payment_form.cleaned_data
                    )
                    messages.success(request, "Die Zahlung ist gebucht.")
                    return redirect("budgets:commitment_detail", pk=commitment.pk)
            elif action == "ende":
                end_form = CommitmentEndForm(request.POST, prefix="ende")
                if end_form.is_valid():
                    services.commitment_end(
                        commitment=commitment, by=request.user, **end_form.cleaned_data
                    )
                    messages.success(request, "Die Bewilligung ist beendet, der Rest freigegeben.")
                    return redirect("budgets:commitment_detail", pk=commitment.pk)
        except ValidationError as error:
            form_errors_add(payment_form if action == "zahlung" else end_form, error)
    figures = selectors.commitment_figures(commitment)
    return render(
        request,
        "budgets/commitment_detail.html",
        {
            "commitment": commitment,
            "figures": figures,
            "entries": selectors.entry_rows(commitment.entries.order_by("created_at", "pk")),
            "may_book": may_book and not commitment.is_cancelled,
            "reversible_kinds": _reversible_kinds(request.user, commitment.budget),
            "payment_form": payment_form,
            "end_form": end_form,
        },
    )


@role_required(*OFFICE)
def entry_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.ledger_entry_for_user(request.user, pk)
    is_payment = entry.kind == EntryKind.PAYMENT
    form: ReasonForm | PaymentReverseForm = (
        PaymentReverseForm(request.POST or None) if is_payment else ReasonForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        corrected = is_payment and data.get("amount") is not None
        if corrected and data.get("paid_on") is None:
            form.add_error("paid_on", "Bitte geben Sie das Datum der richtigen Zahlung an.")
        else:
            try:
                if corrected:
                    services.payment_correct(
                        entry=entry,
                        by=request.user,
                        reason=data["reason"],
                        amount=data["amount"],
                        paid_on=data["paid_on"],
                    )
                else:
                    services.entry_reverse(entry=entry, by=request.user, reason=data["reason"])
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request,
                    "Die Zahlung ist storniert und richtig neu gebucht."
                    if corrected
                    else "Die Buchung ist storniert.",
                )
                return redirect("budgets:budget_detail", pk=entry.budget_id)
    return render(
        request,
        "budgets/entry_reverse.html",
        {"entry": entry, "form": form, "is_payment": is_payment},
    )


@role_required(Role.TEAM_LEAD, *PLANNING)
def transfer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    requests = selectors.transfer_requests_visible_to(request.user)
    own_budgets = []
    if has_role(request.user, Role.TEAM_LEAD):
        own_budgets = list(
            selectors.budgets_visible_to(request.user)
            .filter(fiscal_year__year__gte=timezone.localdate().year)
            .order_by("fiscal_year__year")
        )
    return render(
        request,
        "budgets/transfer_list.html",
        {
            "pending": requests.filter(status=TransferStatus.PENDING),
            "decided": requests.exclude(status=TransferStatus.PENDING)[:50],
            "own_budgets": own_budgets,
            "is_planning": has_role(request.user, *PLANNING),
        },
    )


@role_required(Role.TEAM_LEAD)
def transfer_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for_user(request.user, pk)
    if budget.is_reserve:
        raise Http404("Budget nicht gefunden.")
    form = TransferRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reserve_transfer_request(budget=budget, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)  # on its field: the amount or the justification
        else:
            messages.success(
                request, "Ihr Antrag ist gestellt. Die Jugendhilfeplanung entscheidet darüber."
            )
            return redirect("budgets:transfer_list")
    return render(request, "budgets/transfer_request.html", {"budget": budget, "form": form})


@role_required(*PLANNING)
def transfer_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    transfer = selectors.transfer_request_for_user(request.user, pk)
    form = TransferDecideForm(
        request.POST or None, revisiting=transfer.status != TransferStatus.PENDING
    )
    own = transfer.requested_by_id == request.user.pk
    reserve = selectors.budgets_visible_to(request.user).get(
        fiscal_year=transfer.budget.fiscal_year, region__isnull=True
    )
    reserve_figures = selectors.budget_figures([reserve])[reserve.pk]
    consequences: list[str] = []
    changing = "aendern" in request.POST  # back from the consequences to the form
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["confirmed"]:
        # First the consequences, then the decision (issue 24: nothing happens unannounced).
        consequences = (
            reserve_decision_preview(
                request=transfer,
                approve=form.cleaned_data["decision"] == "approve",
                reserve_free=reserve_figures.free,
            )
            if not changing
            else []
        )
    elif request.method == "POST" and form.is_valid():
        try:
            services.reserve_transfer_decide(
                request=transfer,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Die Entscheidung ist gespeichert.")
            return redirect("budgets:transfer_list")
    return render(
        request,
        "budgets/transfer_decide.html",
        {
            "transfer": transfer,
            "form": form,
            "own": own,
            "reserve_figures": reserve_figures,
            "consequences": consequences,
            "decisions": corrections_of([transfer]).get(record_key(transfer), []),
        },
        status=422 if form.errors else 200,
    )


@role_required(*PLANNING)
def carry_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    budget = selectors.budget_for_user(request.user, pk)
    if budget.is_reserve:
        raise Http404("Budget nicht gefunden.")
    form = CarryOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_end_carry_over(budget=budget, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Der Übertrag ist gebucht.")
            return redirect("budgets:budget_detail", pk=budget.pk)
    return render(
        request,
        "budgets/carry_over.html",
        {
            "budget": budget,
            "figures": selectors.budget_figures([budget])[budget.pk],
            "form": form,
        },
    )


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@role_required(*PLANNING)
def export(request: AuthenticatedHttpRequest, year: int, part: str, extension: str) -> HttpResponse:
    if part not in exports.PARTS or extension not in CONTENT_TYPES:
        raise Http404("Unbekannter Export.")
    fiscal_year = selectors.fiscal_year_get(year)
    table = exports.export_table(request.user, fiscal_year, part)
    body = exports.table_csv(table) if extension == "csv" else exports.table_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[extension])
    filename = exports.export_filename(fiscal_year, part, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
