"""Login and the person's own account: the second login step, setting up the app, backup codes,
the password, and extending the session. Login rules themselves are in accounts/security.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import security
from accounts.forms import (
    LoginForm,
    PortalPasswordChangeForm,
    SecondFactorForm,
    TotpSetupForm,
)
from sozialraum.access import ALL_ROLES, AuthenticatedHttpRequest, role_required


def _next_url(request: AuthenticatedHttpRequest) -> str:
    """Where to continue after the login step: only a page of this portal, never elsewhere."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this portal only: redirect() would look anything else up as a URL name first
    # ("x" or "a:b" from a crafted link: NoReverseMatch, a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


VERIFY_ERRORS = {
    "wrong": "Der Code stimmt nicht. Bitte geben Sie den aktuellen Code aus Ihrer App ein "
    "oder einen noch nicht benutzten Notfallcode.",
    "throttled": "Zu viele falsche Codes hintereinander. Bitte warten Sie einen Moment und "
    "geben Sie dann den neuen Code aus der App ein.",
}


@role_required(*ALL_ROLES)
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Second login step: a code from the app (or a backup code) after the password."""
    user = request.user
    if security.second_factor_satisfied(request):
        return redirect(_next_url(request))
    if not security.has_second_factor(user):
        return redirect(f"{reverse('two_factor_setup')}?{request.GET.urlencode()}")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        outcome = security.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if outcome == "verified":
            return redirect(_next_url(request))
        form.add_error("code", VERIFY_ERRORS[outcome])
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@role_required(*ALL_ROLES)
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Connect an authenticator app: QR code and key, confirmed with a first code.

    A person who has an app already must confirm the login with it first: the password alone
    never suffices to connect a new app to an account.
    """
    user = request.user
    if security.has_second_factor(user) and not security.user_is_verified(user):
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    device = security.totp_device_pending(user=user)
    form = TotpSetupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", VERIFY_ERRORS["throttled"])
        elif tokens := security.totp_device_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        ):
            messages.success(request, "Die Authenticator-App ist verbunden.")
            return _backup_codes_page(request, tokens)
        else:
            form.add_error(
                "code",
                "Der Code stimmt nicht. Prüfen Sie, ob die Uhrzeit des Telefons stimmt, und "
                "geben Sie den Code ein, den die App gerade anzeigt.",
            )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "config_url": device.config_url,
            "secret": security.totp_secret_display(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "replacing": security.has_second_factor(user),
            "next": _next_url(request),
        },
    )


@require_POST
@role_required(*ALL_ROLES)
def backup_codes_renew(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _backup_codes_page(request, security.backup_tokens_renew(user=request.user))


def _backup_codes_page(request: AuthenticatedHttpRequest, tokens: list[str]) -> HttpResponse:
    """Shown once, right after the codes were made; the page is never cached (no-store)."""
    return render(
        request, "accounts/backup_codes.html", {"tokens": tokens, "next": _next_url(request)}
    )


@role_required(*ALL_ROLES)
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "has_app": security.has_totp_app(user),
            "backup_codes_left": security.backup_tokens_left(user=user),
            "verified": security.user_is_verified(user),
            "second_factor_skipped": security.second_factor_skipped(user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PortalPasswordChangeForm
    success_url = reverse_lazy("account")

    def form_valid(self, form: PortalPasswordChangeForm) -> HttpResponse:
        messages.success(self.request, "Ihr Passwort ist geändert.")
        return super().form_valid(form)


password_change = role_required(*ALL_ROLES)(PasswordChangeView.as_view())


@require_POST
@role_required(*ALL_ROLES)
def session_extend(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Any request renews the session (SessionTimeoutMiddleware); this one exists for the
    "Sitzung verlängern" button, so that the page and what is typed in it stay as they are. It
    stamps even within the minute the middleware skips: the button promises the full time."""
    security.activity_stamp(request, force=True)
    return JsonResponse({"verbleibend": settings.SESSION_IDLE_TIMEOUT})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
