"""Export pages (administrators): request an export, follow it, download the archive.

The archive is streamed by `export_download` after the access check and an audit entry, never
from a public media URL."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from exchange import services
from exchange.forms import ExportRequestForm
from exchange.models import ExportState
from exchange.selectors import EXPORTERS, export_for_user, exports_visible_to
from exchange.storage import export_storage
from sozialraum.access import AuthenticatedHttpRequest, role_required
from sozialraum.forms import form_errors_add


@role_required(*EXPORTERS)
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.export_request(
                user=request.user,
                public_key=form.cleaned_data["public_key"],
                unencrypted=form.cleaned_data["unencrypted"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            if form.cleaned_data["unencrypted"]:
                messages.warning(request, services.UNENCRYPTED_WARNING)
            messages.success(request, "Der Export wurde gestartet.")
            return redirect("exchange:detail", public_id=export.public_id)
    exports = exports_visible_to(request.user)[:50]
    return render(request, "exchange/export_list.html", {"form": form, "exports": exports})


def _status(export) -> dict:
    progress, step = services.export_progress(export)
    return {
        "state": export.state,
        "state_label": export.get_state_display(),
        "progress": progress,
        "step": step,
        "error": export.error,
        "waits_for_broker": False,
        "finished": not export.is_open,
    }


@role_required(*EXPORTERS)
def export_detail(request: AuthenticatedHttpRequest, public_id) -> HttpResponse:
    export = export_for_user(request.user, public_id)
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(_status(export))
    else:
        response = render(
            request, "exchange/export_detail.html", {"export": export, "status": _status(export)}
        )
    patch_vary_headers(response, ["Accept"])
    return response


@role_required(*EXPORTERS)
def export_download(request: AuthenticatedHttpRequest, public_id) -> FileResponse:
    export = export_for_user(request.user, public_id)
    if export.state != ExportState.DONE or not export.archive_name:
        raise Http404("Dieser Export ist noch nicht fertig.")
    try:
        handle = export_storage().open(export.archive_name, "rb")
    except FileNotFoundError:
        raise Http404("Die Archivdatei fehlt; bitte den Export neu anfordern.") from None
    services.export_download_audit(user=request.user, export=export)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export.download_name,
        content_type="application/octet-stream",
    )
