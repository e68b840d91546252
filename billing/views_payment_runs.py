"""Pages of the payment runs: open orders, runs, and the cash office's file (CSV/XLSX).

Only the roles that order payments see them (`payment_orders.ORDERING_ROLES`); downloads of the
file are audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from billing import payment_runs
from billing.models import PaymentRun
from billing.payment_orders import ORDERING_ROLES
from cases.audit import audit_record
from cases.models import AuditAction
from sozialraum.access import AuthenticatedHttpRequest, role_required

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@role_required(*ORDERING_ROLES)
def payment_run_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    open_orders = list(payment_runs.payment_orders_open()[:200])
    return render(
        request,
        "billing/payment_run_list.html",
        {
            "open_orders": open_orders,
            "open_count": payment_runs.payment_orders_open().count(),
            "runs": payment_runs.payment_runs_with_totals(),
        },
    )


@require_POST
@role_required(*ORDERING_ROLES)
def payment_run_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        result = payment_runs.payment_run_create(by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("billing:payment_run_list")
    assert result.run is not None
    messages.success(request, f"Zahllauf {result.run.label} ist angelegt.")
    for note in result.held_back:
        messages.warning(request, note)
    return redirect("billing:payment_run_detail", pk=result.run.pk)


@role_required(*ORDERING_ROLES)
def payment_run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(
        PaymentRun.objects.select_related("created_by").annotate(line_count=Count("lines")), pk=pk
    )
    after = request.GET.get("nach", "")
    lines, next_after = payment_runs.payment_run_lines_page(
        run=run, after=int(after) if (after.isascii() and after.isdigit()) else None
    )
    return render(
        request,
        "billing/payment_run_detail.html",
        {
            "run": run,
            "lines": lines,
            "next_after": next_after,
            "paged": after != "",
            "total": payment_runs.payment_run_total(run),
        },
    )


@role_required(*ORDERING_ROLES)
def payment_run_file(request: AuthenticatedHttpRequest, pk: int, extension: str) -> HttpResponse:
    if extension not in CONTENT_TYPES:
        raise Http404("Unbekanntes Dateiformat.")
    run = get_object_or_404(PaymentRun, pk=pk)
    body = payment_runs.payment_run_export(run=run, extension=extension)
    audit_record(
        user=request.user, action=AuditAction.EXPORT, obj=run, detail="Datei für die Stadtkasse"
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[extension])
    filename = payment_runs.payment_run_filename(run, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
