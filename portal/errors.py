"""German error pages. They show no details: an error must not leak what a person may not see."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # Mostly a form left open past the session, or a login page opened twice: say what to do.
    message = (
        "Das Formular war zu lange geöffnet oder Ihre Sitzung ist abgelaufen. "
        "Bitte laden Sie die Seite neu und senden Sie das Formular noch einmal ab."
    )
    return render(request, "403.html", {"reason": message}, status=403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever failed (database, a context processor) must not fail again here.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
