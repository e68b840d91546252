"""The checking role's pages: the queue of open Leistungsnachweise of the region and the check
of one, with approve, approve a corrected amount, or return."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from billing.checking import hours_allowed, statement_approve, statement_check, statement_return
from billing.forms import ApproveForm, ReturnForm
from billing.models import StatementStatus
from billing.selectors import CHECKERS, check_queue_page, statement_for_checker
from billing.statements import statement_commitment
from sozialraum.access import AuthenticatedHttpRequest, role_required


@role_required(*CHECKERS)
def check_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    after = request.GET.get("nach", "")
    page = check_queue_page(
        user=request.user, after=int(after) if (after.isascii() and after.isdigit()) else None
    )
    rows = []
    for row in page.statements:
        allowed = hours_allowed(
            hours_per_week=row["assignment__help__hours_per_week"],
            month=row["month"],
            first=row["assignment__starts_on"],
            last=row["assignment__ended_on"] or row["assignment__ends_on"],
        )
        open_amount = row["commitment_open"]  # None: no commitment for the year
        rows.append(
            {
                "pk": row["pk"],
                "month": row["month"],
                "case_number": row["assignment__case__number"],
                "provider": row["assignment__provider__short_name"],
                "status": StatementStatus(row["status"]).label,
                "claimed": row["claimed_amount"],
                "delivered_hours": row["hours_delivered"],
                "allowed_hours": allowed,
                "hours_over": allowed is not None and row["hours_delivered"] > allowed,
                "open_amount": open_amount,
                "amount_over": open_amount is None or row["claimed_amount"] > open_amount,
            }
        )
    return render(
        request,
        "billing/check_queue.html",
        {
            "rows": rows,
            "total": page.total,
            "next_after": page.next_after,
            "paged": after != "",
            "threshold": settings.FOUR_EYES_THRESHOLD,
        },
    )


def _errors_onto(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


@role_required(*CHECKERS)
def check_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_for_checker(request.user, pk)
    approve_form = ApproveForm(request.POST if "approve" in request.POST else None)
    return_form = ReturnForm(request.POST if "return" in request.POST else None)
    if request.method == "POST" and "approve" in request.POST and approve_form.is_valid():
        try:
            statement = statement_approve(
                user=request.user,
                statement_id=statement.pk,
                amount=approve_form.cleaned_data["amount"],
                reason=approve_form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors_onto(approve_form, error)
        else:
            if statement.payment_order_id:
                messages.success(
                    request,
                    "Freigegeben: die Auszahlungsanordnung ist gebucht.",
                )
            else:
                messages.success(
                    request,
                    "Erste Freigabe erfasst. Über der Vier-Augen-Grenze gibt eine zweite "
                    "Person der Teamleitung frei.",
                )
            return redirect("billing:check_queue")
    if request.method == "POST" and "return" in request.POST and return_form.is_valid():
        try:
            statement_return(
                user=request.user,
                statement_id=statement.pk,
                reason=return_form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors_onto(return_form, error)
        else:
            messages.success(request, "Der Leistungsnachweis ist an den Träger zurückgegeben.")
            return redirect("billing:check_queue")
    result = statement_check(statement)
    return render(
        request,
        "billing/check_detail.html",
        {
            "statement": statement,
            "lines": statement.lines.all(),
            "result": result,
            "commitment": statement_commitment(statement.assignment, statement.month),
            "approve_form": approve_form,
            "return_form": return_form,
            "is_open": statement.status in ("submitted", "first_approved"),
            "own_first": statement.first_approved_by_id == request.user.pk,
        },
    )
