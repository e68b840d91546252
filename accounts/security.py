"""Login security: lockout, the second factor (TOTP), session stamps and the draft key.

Why these pieces live together: each answers "may this browser act for this person right now?"
and the middleware, the views and the admin site all ask the same functions.
"""

import base64
import re
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.middleware import is_verified as otp_is_verified
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sozialraum.models import User

# Session keys: when the person logged in and when they last did something (Unix seconds).
LOGGED_IN_AT = "sozialraum_logged_in_at"
LAST_ACTIVITY = "sozialraum_last_activity"

# Set on the redirect after a saved form; static/js/drafts.js drops that form's draft.
DRAFT_SAVED_COOKIE = "sozialraum_entwurf_gespeichert"

TOTP_DEVICE_NAME = "Authenticator-App"
BACKUP_DEVICE_NAME = "Notfallcodes"
BACKUP_TOKEN_COUNT = 10


# Lockout (django-axes) -------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the trusted reverse proxies report it.

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the entry that many
    places from the right is the client; anything further left is what the client claims and is
    ignored. Without proxies (demo) it is the socket's address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page again, with the username kept and a German explanation (HTTP 429)."""
    from accounts.forms import LoginForm

    username = (credentials or {}).get("username", "")
    return render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request, initial={"username": username}),
            "locked_out": True,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )


# Second factor ---------------------------------------------------------------------------------


def second_factor_skipped(user: User) -> bool:
    """Only the demo town's accounts, only in demo mode, may log in with the password alone."""
    return bool(
        settings.DEMO_ACCOUNTS_SKIP_SECOND_FACTOR
        and not settings.PRODUCTION
        and getattr(user, "is_demo_account", False)
    )


def second_factor_satisfied(request: HttpRequest) -> bool:
    """True when the logged-in person has confirmed a second factor in this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    return user_is_verified(user) or second_factor_skipped(user)


def user_is_verified(user: User) -> bool:
    """True when this login was confirmed with a second factor in this session.

    django-otp's OTPMiddleware sets `otp_device` on the request's user and installs
    `user.is_verified()` on the instance, which the type checker cannot see; this asks the same.
    """
    return bool(otp_is_verified(user))


def has_totp_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user: User) -> bool:
    """An app, or backup codes left: then the password alone cannot connect a new app.

    When an administrator removes a lost phone's app and no backup code is left, the person
    connects a new app at the next login.
    """
    return has_totp_app(user) or backup_tokens_left(user=user) > 0


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device a set-up page shows; the same one on each reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_display(device: TOTPDevice) -> str:
    """The key for typing into an app by hand: base32 in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new app with a code from it: it replaces any former app of the person, the
    session counts as verified, and fresh backup codes are returned (None if the code is wrong)."""
    if device.user_id != request.user.pk or not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    second_factor_login(request, device)
    return backup_tokens_renew(user=request.user)


@transaction.atomic
def backup_tokens_renew(*, user: User) -> list[str]:
    """Ten new one-time backup codes; the former ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(BACKUP_TOKEN_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return tokens


def backup_tokens_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_verify(*, request: HttpRequest, code: str) -> str:
    """Check a code from the app or a backup code: "verified", "wrong" or "throttled".

    Six digits go to the app, anything else to the backup codes, so that neither device's
    throttling counter (django-otp: each wrong code doubles the wait) grows from the other's
    codes. On success the session counts as verified.
    """
    code = "".join(code.split()).lower()
    model = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    with transaction.atomic():  # devices stay locked while their throttling counters change
        devices = list(
            model.objects.devices_for_user(request.user, confirmed=True).select_for_update()
        )
        if devices and not any(device.verify_is_allowed()[0] for device in devices):
            return "throttled"
        for device in devices:
            if device.verify_token(code):
                second_factor_login(request, device)
                return "verified"
    return "wrong"


def second_factor_login(request: HttpRequest, device: Any) -> None:
    # A new session key at the change of privilege, as Django does at the password step.
    request.session.cycle_key()
    otp_login(request, device)


def session_is_verified(session: Any) -> bool:
    return DEVICE_ID_SESSION_KEY in session


# Session stamps --------------------------------------------------------------------------------


def now() -> float:
    return time.time()


# The idle stamp is written at most this often (seconds). Writing it on every request cost three
# statements and a row lock per page (BEGIN, UPDATE django_session, COMMIT); a minute's
# resolution saves them on all but one request a minute. The session then ends 30 minutes after
# the last *stamped* request, up to a minute before 30 minutes after the last request, and every
# page tells its warning script the time actually left (`idle_seconds_left`), so the browser's
# countdown and the server agree.
ACTIVITY_RESOLUTION = 60


def activity_stamp(request: HttpRequest, *, force: bool = False) -> None:
    """Record activity for the idle timeout; a no-op within ACTIVITY_RESOLUTION of the last
    stamp unless `force` (the "Sitzung verlängern" button)."""
    current = now()
    last = request.session.get(LAST_ACTIVITY)
    if force or last is None or current - last >= ACTIVITY_RESOLUTION:
        request.session[LAST_ACTIVITY] = current


def idle_seconds_left(request: HttpRequest) -> int:
    """Seconds until the idle timeout ends this session, counted from the stored stamp."""
    last = request.session.get(LAST_ACTIVITY, now())
    return max(0, int(settings.SESSION_IDLE_TIMEOUT - (now() - last)))


@receiver(user_logged_in, dispatch_uid="sozialraum_session_stamps")
def _stamp_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Start the absolute and the idle clock of a new login."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = request.session[LAST_ACTIVITY] = now()


# Drafts ----------------------------------------------------------------------------------------


def draft_key(user: User) -> dict[str, str]:
    """The key that encrypts this person's drafts in the browser, and a name for their storage.

    Derived from the server's secret, so it reaches a browser only in a page of a logged-in
    session of this person: someone else at the same PC finds the drafts but cannot read them.
    """
    key = salted_hmac("sozialraum.drafts.key", str(user.pk), algorithm="sha256").digest()
    name = salted_hmac("sozialraum.drafts.owner", str(user.pk), algorithm="sha256").hexdigest()
    return {"key": base64.b64encode(key).decode("ascii"), "owner": name[:16]}
