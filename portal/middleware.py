"""Response headers and login rules that protect Sozialdaten in shared browsers and proxies."""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from accounts import security


class NoStoreForAuthenticatedMiddleware:
    """Pages seen by a logged-in person must not stay in any cache or the back-button history."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class ContentSecurityPolicyMiddleware:
    """Scripts, styles and everything else only from the portal itself: no inline code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DraftSavedMiddleware:
    """Tell the browser that a form was saved, so static/js/drafts.js drops its draft.

    A saving view answers a POST with a redirect (post/redirect/get); a rejected form comes back
    with 200, and an ended session is sent to the login before reaching the view. So only a
    redirect to a logged-in person after a POST means "saved". The cookie carries the form's
    path (IDs only) and lives a minute.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code in (302, 303)
            and request.user.is_authenticated
        ):
            response.set_cookie(
                security.DRAFT_SAVED_COOKIE,
                quote(request.path, safe=""),  # "/" would make Django quote the value
                max_age=60,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
