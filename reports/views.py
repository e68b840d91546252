"""Report pages: request, follow (the page polls its own JSON status), download, export, retry.

Reports are reached by their random public id, always through `report_get_for_user`; the PDF is
streamed by `download` after that check, never from a public media URL.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from reports import exports, services
from reports.forms import ReportRequestForm
from reports.models import ReportState
from reports.selectors import READERS, REQUESTERS, report_get_for_user, reports_visible_to
from sozialraum.access import AuthenticatedHttpRequest, has_role, require_role, role_required
from sozialraum.forms import form_errors_add

BROKER_DOWN = (
    "Der Hintergrunddienst für Berichte (Redis) ist gerade nicht erreichbar. Ihr Auftrag ist "
    "gespeichert und wird automatisch gestartet, sobald der Dienst wieder läuft; Sie müssen "
    "nichts erneut anfordern. Das übrige Portal funktioniert weiter."
)


@role_required(*READERS)
def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reports = reports_visible_to(request.user)[:100]
    return render(
        request,
        "reports/report_list.html",
        {"reports": reports, "may_request": has_role(request.user, *REQUESTERS)},
    )


@role_required(*REQUESTERS)
def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_request(
                user=request.user,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                regions=form.cleaned_data["regions"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form_errors_add(form, error)  # on its field: the title or the regions
        else:
            # The request was handed to the broker (or not) when its transaction committed;
            # inside an outer transaction that is still to come, so nothing can be said yet.
            report.refresh_from_db()
            if report.waits_for_broker and not transaction.get_connection().in_atomic_block:
                messages.warning(request, BROKER_DOWN)
            elif report.is_done:
                messages.success(request, "Der Bericht ist fertig.")
            else:
                messages.success(
                    request,
                    "Der Bericht wird im Hintergrund erstellt. Sie können diese Seite verlassen; "
                    "Sie finden ihn später unter „Berichte“.",
                )
            return redirect("reports:detail", public_id=report.public_id)
    return render(request, "reports/report_form.html", {"form": form})


def _status(report) -> dict:
    return {
        "state": report.state,
        "state_label": report.get_state_display(),
        "progress": report.progress,
        "step": report.step,
        "error": report.error,
        "waits_for_broker": report.waits_for_broker,
        "finished": not report.is_open,
    }


@role_required(*READERS)
def report_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    """The report's page; its status as JSON for the polling script (static/reports/
    report_status.js, `Accept: application/json`); a POST starts a failed report again."""
    report = report_get_for_user(request.user, public_id)
    if request.method == "POST":
        require_role(request.user, *REQUESTERS)
        return _retry(request, report)
    if "application/json" in request.headers.get("Accept", ""):
        status = JsonResponse(_status(report))
        patch_vary_headers(status, ["Accept"])
        return status
    may_manage = has_role(request.user, *REQUESTERS)
    response = render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "status": _status(report),
            "may_manage": may_manage,
            "tables": exports.report_tables(report) if report.is_done and may_manage else [],
            "broker_down": BROKER_DOWN,
        },
    )
    patch_vary_headers(response, ["Accept"])
    return response


@role_required(*READERS)
def report_download(request: AuthenticatedHttpRequest, public_id) -> FileResponse:
    report = report_get_for_user(request.user, public_id)
    if report.state != ReportState.DONE:
        raise Http404("Dieser Bericht ist noch nicht fertig.")
    try:
        handle = report.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("Die Berichtsdatei fehlt; bitte fordern Sie den Bericht neu an.") from None
    return FileResponse(
        handle, as_attachment=True, filename=report.download_name, content_type="application/pdf"
    )


@role_required(*REQUESTERS)
def report_export(request: AuthenticatedHttpRequest, public_id, table: str = "") -> HttpResponse:
    report = report_get_for_user(request.user, public_id)
    if report.state != ReportState.DONE:
        raise Http404("Dieser Bericht ist noch nicht fertig.")
    stem = report.download_name.removesuffix(".pdf")
    if table:
        body = exports.report_table_csv(report, table)
        if body is None:
            raise Http404("Diese Tabelle gibt es im Bericht nicht.")
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}_{table}.csv"'
        return response
    response = HttpResponse(
        exports.report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


def _retry(request: AuthenticatedHttpRequest, report) -> HttpResponse:
    try:
        report = services.report_retry(user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        report.refresh_from_db()
        if report.waits_for_broker and not transaction.get_connection().in_atomic_block:
            messages.warning(request, BROKER_DOWN)
        else:
            messages.success(request, "Der Bericht wird erneut erstellt.")
    return redirect(reverse("reports:detail", kwargs={"public_id": report.public_id}))
