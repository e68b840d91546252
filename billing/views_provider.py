"""The provider's pages of Leistungsnachweise: the list with each submission's status, a month
of lines for one assignment, the import of many at once, and the signed original's download."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from billing.forms import LINE_ROWS, ImportForm, LineFormSet, StatementForm, months_between
from billing.imports import import_rows_read, statements_dry_run, statements_import
from billing.selectors import (
    CHECKERS,
    statement_for_provider,
    statement_visible,
    statements_of_provider,
)
from billing.statements import LineInput, assignment_term, statement_submit
from billing.storage import statement_storage
from cases.audit import audit_record
from cases.models import AssignmentStatus, AuditAction
from cases.permissions import assignment_for_user, assignments_visible_to
from documents.uploads import CSV, XLSX, upload_check
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.csv_import import ImportInvalid
from sozialraum.models import Role

PROVIDER = (Role.PROVIDER_STAFF,)
IMPORT_SESSION_KEY = "billing_import_file"
IMPORT_MAX_BYTES = 5 * 1024 * 1024


@role_required(*PROVIDER)
def statement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(statements_of_provider(request.user), 50).get_page(request.GET.get("seite"))
    assignments = (
        assignments_visible_to(request.user)
        .filter(status=AssignmentStatus.ACTIVE)
        .select_related("case", "help__help_type")
        .order_by("case__number", "pk")
    )
    return render(
        request, "billing/statement_list.html", {"page": page, "assignments": assignments}
    )


def _lines_from(formset: Any) -> list[LineInput]:
    lines = []
    for index, form in enumerate(formset.forms, start=1):
        data = form.cleaned_data
        if data.get("day") and data.get("kind") and data.get("quantity") is not None:
            lines.append(
                LineInput(
                    number=index, day=data["day"], kind=data["kind"], quantity=data["quantity"]
                )
            )
    return lines


def _refusals_onto(form: StatementForm, formset: Any, error: ValidationError) -> None:
    """The service's refusals beside the fields they concern; a line's beside its row."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        if field == "lines":
            for message in field_errors:
                form.add_error(None, message)
                number = message.removeprefix("Zeile ").split(":", 1)[0]
                if number.isdigit() and 0 < int(number) <= len(formset.forms):
                    formset.forms[int(number) - 1].add_error(None, message.split(": ", 1)[-1])
        else:
            form.add_error(field if field in form.fields else None, field_errors)


@role_required(*PROVIDER)
def statement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A month of lines for one of the provider's own assignments (404 for another's)."""
    assignment = assignment_for_user(request.user, pk)
    first, last = assignment_term(assignment)
    months = months_between(first, min(last, timezone.localdate()))
    form = StatementForm(request.POST or None, request.FILES or None, months=months)
    if request.method == "POST":
        formset = LineFormSet(request.POST, prefix="zeilen")
        if "more" in request.POST:
            # More rows: the same rows as typed, plus empty ones; nothing is checked yet.
            data = request.POST.copy()
            raw_total = str(data.get("zeilen-TOTAL_FORMS", "")).strip()
            # A tampered row count is no reason for an error page: start from the usual rows.
            total = int(raw_total) if raw_total.isdigit() and len(raw_total) < 4 else LINE_ROWS
            data["zeilen-TOTAL_FORMS"] = str(min(total + LINE_ROWS, 400))
            formset = LineFormSet(data, prefix="zeilen")
            form = StatementForm(data, months=months)
            form.errors.clear()
            return render(
                request,
                "billing/statement_form.html",
                {"assignment": assignment, "form": form, "formset": formset, "checked": False},
            )
        if form.is_valid() and formset.is_valid():
            try:
                statement = statement_submit(
                    user=request.user,
                    assignment=assignment,
                    month=form.cleaned_data["month"],
                    lines=_lines_from(formset),
                    document=form.cleaned_data.get("document"),
                )
            except ValidationError as error:
                _refusals_onto(form, formset, error)
            else:
                messages.success(
                    request,
                    f"Der Leistungsnachweis für {statement.month:%m/%Y} ist eingereicht.",
                )
                return redirect("billing:statement_detail", pk=statement.pk)
    else:
        formset = LineFormSet(prefix="zeilen", initial=[{}] * LINE_ROWS)
    return render(
        request,
        "billing/statement_form.html",
        {"assignment": assignment, "form": form, "formset": formset, "checked": True},
    )


@role_required(*PROVIDER)
def statement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_for_provider(request.user, pk)
    return render(
        request,
        "billing/statement_detail.html",
        {"statement": statement, "lines": statement.lines.all()},
    )


@role_required(*PROVIDER, *CHECKERS)
def statement_document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The signed original: for the provider's staff and the region's checker, audited."""
    statement = statement_visible(request.user, pk)
    if not statement.document:
        raise Http404("Zu diesem Leistungsnachweis ist kein Original hinterlegt.")
    try:
        handle = statement_storage().open(statement.document, "rb")
    except FileNotFoundError:
        raise Http404("Die Datei des Originals fehlt.") from None
    audit_record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=statement.assignment,
        detail="Leistungsnachweis (Original)",
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"Leistungsnachweis_{statement.month:%Y-%m}_{statement.pk}.pdf",
        content_type="application/pdf",
    )


@role_required(*PROVIDER)
def statement_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a file, see the dry run line by line, then take what the dry run takes."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "take" in request.POST:
        stored = request.session.get(IMPORT_SESSION_KEY)
        if not stored or request.POST.get("token") != stored.get("token"):
            messages.error(request, "Der Probelauf ist abgelaufen; bitte laden Sie die Datei neu.")
            return redirect("billing:statement_import")
        storage = statement_storage()
        with storage.open(stored["name"], "rb") as handle:
            data = handle.read()
        try:
            rows, errors = import_rows_read(data=data, mime=stored["mime"])
            count = statements_import(user=request.user, rows=rows, errors=errors)
        except (ImportInvalid, ValidationError) as error:
            messages.error(
                request,
                str(error) if isinstance(error, ImportInvalid) else " ".join(error.messages),
            )
            return redirect("billing:statement_import")
        storage.delete(stored["name"])
        del request.session[IMPORT_SESSION_KEY]
        messages.success(request, f"{count} Leistungsnachweis(e) eingereicht.")
        return redirect("billing:statement_list")
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            checked = upload_check(
                uploaded=uploaded, allowed=frozenset({CSV, XLSX}), max_bytes=IMPORT_MAX_BYTES
            )
            data = uploaded.read()
            rows, errors = import_rows_read(data=data, mime=checked.mime)
        except ValidationError as error:
            form.add_error("file", error.messages)
        except ImportInvalid as error:
            form.add_error("file", [str(line_error) for line_error in error.errors])
        else:
            dry_run = statements_dry_run(user=request.user, rows=rows, errors=errors)
            if dry_run.statements:
                storage = statement_storage()
                name = storage.save(f"importe/{uuid.uuid4().hex}", uploaded)
                token = uuid.uuid4().hex
                request.session[IMPORT_SESSION_KEY] = {
                    "name": name,
                    "mime": checked.mime,
                    "token": token,
                }
                context["token"] = token
            context["dry_run"] = dry_run
    context["max_mb"] = IMPORT_MAX_BYTES // 1_048_576
    context["documents_max_mb"] = settings.DOCUMENTS_MAX_BYTES // 1_048_576
    return render(request, "billing/statement_import.html", context)
