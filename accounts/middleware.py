"""Login rules for every request: the session's age and the second factor."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import security


class SessionTimeoutMiddleware:
    """End a login after SESSION_IDLE_TIMEOUT seconds without a request, and after
    SESSION_COOKIE_AGE seconds in any case.

    The server decides, not the cookie: requests renew the idle stamp (at most once a minute,
    see `security.activity_stamp`), and the absolute limit is counted from the login stamp. The
    page warns beforehand (static/js/session-timeout.js) and what was typed survives as a draft.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session, now = request.session, security.now()
            logged_in_at = session.setdefault(security.LOGGED_IN_AT, now)
            last_activity = session.get(security.LAST_ACTIVITY, now)
            if now - logged_in_at > settings.SESSION_COOKIE_AGE:
                hours = settings.SESSION_COOKIE_AGE // 3600
                return self._expire(
                    request, f"Ihre Anmeldung endet spätestens nach {hours} Stunden."
                )
            if now - last_activity > settings.SESSION_IDLE_TIMEOUT:
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                return self._expire(
                    request, f"Sie wurden nach {minutes} Minuten ohne Aktivität abgemeldet."
                )
            security.activity_stamp(request)
        return self.get_response(request)

    @staticmethod
    def _expire(request: HttpRequest, reason: str) -> HttpResponse:
        logout(request)
        messages.warning(
            request,
            f"{reason} Bitte melden Sie sich erneut an. Was Sie in ein Formular geschrieben, "
            "aber nicht gespeichert haben, bleibt in diesem Browser als Entwurf erhalten.",
        )
        # After a POST the form's own page is the place to return to: its draft is restored there.
        return redirect_to_login(
            request.get_full_path() if request.method == "GET" else request.path
        )


class SecondFactorMiddleware:
    """Every page needs a session verified with a second factor (see docs/sicherheit.md).

    Password alone reaches only the pages that complete the login: confirming a code, setting
    up the app (for a person without one) and logging out, and the accessibility statement
    that every page, these steps included, links to (BITV 2.0).
    """

    OPEN_URL_NAMES = (
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_setup",
        "accessibility_statement",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not security.second_factor_satisfied(request)
            and request.path not in {reverse(name) for name in self.OPEN_URL_NAMES}
        ):
            step = (
                "two_factor_verify"
                if security.has_second_factor(request.user)
                else "two_factor_setup"
            )
            back = request.get_full_path() if request.method == "GET" else request.path
            return redirect(f"{reverse(step)}?{urlencode({'next': back})}")
        return self.get_response(request)
