"""Lockout after failed logins, strong passwords, protective headers, production settings."""

import datetime
import json
import re
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import totp_device
from tests.factories import PASSWORD, UserFactory
from tests.test_stack import PRODUCTION_ENV, _manage

LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"


def _attempt(client: Client, username: str, password: str = "falsch", **extra):  # noqa: S107
    return client.post(
        reverse("login"), {"username": username, "password": password, "next": "/"}, **extra
    )


def _fail_until_locked(client: Client, username: str, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, username, **extra)
        assert response.status_code == 200
        assert "Benutzername oder Passwort stimmen nicht" in response.content.decode()
    return _attempt(client, username, **extra)


@pytest.fixture
def planner(users):
    totp_device(users["planner"])
    return users["planner"]


# Lockout ------------------------------------------------------------------------------------


def test_lockout_after_the_limit_even_with_the_right_password(planner):
    client = Client()
    response = _fail_until_locked(client, planner.username)
    html = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in html
    assert "für 15 Minuten gesperrt" in html
    assert f'value="{planner.username}"' in html  # the username stays in the form
    assert 'role="alert"' in html
    response = _attempt(client, planner.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(planner, users):
    _fail_until_locked(Client(), planner.username, REMOTE_ADDR="10.0.0.1")
    elsewhere = _attempt(Client(), planner.username, PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 302
    colleague = _attempt(Client(), users["caseworker"].username, PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert colleague.status_code == 302


def test_behind_the_reverse_proxy_the_forwarded_client_address_counts(settings, planner):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    _fail_until_locked(Client(), planner.username, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    # A made-up address in front of the real one does not escape the lockout ...
    spoofed = _attempt(
        Client(), planner.username, PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", **proxy
    )
    assert spoofed.status_code == 429
    # ... and a colleague behind the same proxy is not locked out with them.
    other = _attempt(
        Client(), planner.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy
    )
    assert other.status_code == 302


def test_lockout_ends_after_the_cool_off_time(planner):
    _fail_until_locked(Client(), planner.username)
    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert _attempt(Client(), planner.username, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(planner):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, planner.username)
    assert _attempt(client, planner.username, PASSWORD).status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(Client(), planner.username).status_code == 200


def test_administration_can_lift_a_lockout(client, users, planner):
    _fail_until_locked(Client(), planner.username)
    attempt = AccessAttempt.objects.get(username=planner.username)
    client.force_login(users["admin"])
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert planner.username in changelist.content.decode()
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _attempt(Client(), planner.username, PASSWORD).status_code == 302


# Passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kurz-1", "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten."),
        ("123456789012345", "Dieses Passwort ist komplett numerisch."),
        ("password1234", "Dieses Passwort ist zu üblich."),
        ("anna.schmidt1", "Das Passwort ist zu ähnlich"),
    ],
)
def test_weak_passwords_are_refused_in_german(client, db, password, message):
    user = UserFactory(username="anna.schmidt", role="planner")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Das Passwort ist noch nicht geändert" in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_strong_password_is_taken_and_the_session_stays_verified(client, users):
    planner = users["planner"]
    client.force_login(planner)
    new = "Lindenbaum-Fahrrad-42"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Ihr Passwort ist geändert." in response.content.decode()
    planner.refresh_from_db()
    assert planner.check_password(new)
    assert client.get(reverse("planning_home")).status_code == 200


def test_administration_cannot_create_an_account_with_a_weak_password(client, users):
    client.force_login(users["admin"])
    response = client.post(
        reverse("admin:sozialraum_user_add"),
        {
            "username": "neu",
            "password1": "kurz",
            "password2": "kurz",
            "usable_password": "true",
            "role": "planner",
        },
    )
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.content.decode()


# Headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name", ["asd_home", "cases:list", "account", "admin:index", "address_lookup"]
)
def test_pages_of_a_logged_in_person_are_never_stored(client, users, url_name):
    client.force_login(users["admin" if url_name.startswith("admin") else "caseworker"])
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_session_extension_answer_is_not_stored_either(client, users):
    client.force_login(users["caseworker"])
    assert "no-store" in client.post(reverse("session_extend"))["Cache-Control"]


@pytest.mark.parametrize("logged_in", [False, True])
def test_content_security_policy_forbids_inline_code(client, users, logged_in):
    if logged_in:
        client.force_login(users["caseworker"])
    response = client.get(reverse("asd_home" if logged_in else "login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
]


def _portal_page_templates():
    """Templates of pages and partials; a document of its own (a download, a PDF's source) is
    opened outside the portal, where no policy applies, and may carry its styles inline."""
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if (
            "<html" not in text
            or path.name == "base.html"
            or re.fullmatch(r"\d{3}\.html", path.name)
        ):
            yield path, text


def test_templates_have_no_inline_scripts_styles_or_handlers():
    """The policy would block them in the browser; find them before a person does."""
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {pattern.pattern}"
        for path, text in _portal_page_templates()
        for pattern in INLINE_CODE
        if pattern.search(text)
    ]
    assert offenders == []


def test_session_cookie_ends_with_the_browser(client, users):
    client.force_login(users["caseworker"])
    # A minute on, the page renews the idle stamp, so the session (and its cookie) is sent again.
    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=2)
    ):
        response = client.get(reverse("asd_home"))
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is not None
    assert cookie["httponly"]
    assert not cookie["max-age"]  # a browser-session cookie: closing the browser ends the login


# Production settings ------------------------------------------------------------------------

SETTINGS_DUMP = (
    "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
    "for k in ['DEMO_ACCOUNTS_SKIP_SECOND_FACTOR', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
    "'CONTENT_SECURITY_POLICY', 'SESSION_IDLE_TIMEOUT', 'SESSION_COOKIE_AGE', "
    "'TRUSTED_PROXY_COUNT', 'AXES_FAILURE_LIMIT']}))"
)


def _settings_in(env: dict[str, str]) -> dict:
    result = _manage("shell", "-c", SETTINGS_DUMP, extra_env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_strict():
    production = _settings_in(PRODUCTION_ENV)
    assert production["DEMO_ACCOUNTS_SKIP_SECOND_FACTOR"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert "unsafe-inline" not in production["CONTENT_SECURITY_POLICY"]
    assert production["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert production["SESSION_COOKIE_AGE"] == 10 * 60 * 60
    assert production["TRUSTED_PROXY_COUNT"] == 1


def test_demo_mode_lets_demo_accounts_skip_the_second_factor():
    assert _settings_in({"SOZIALRAUM_NO_BOOTSTRAP": "1"})["DEMO_ACCOUNTS_SKIP_SECOND_FACTOR"]


def test_production_refuses_to_let_demo_accounts_skip_the_second_factor():
    result = _manage(
        "check", extra_env={**PRODUCTION_ENV, "SOZIALRAUM_DEMO_SKIP_SECOND_FACTOR": "true"}
    )
    assert result.returncode != 0
    assert "SOZIALRAUM_DEMO_SKIP_SECOND_FACTOR darf im Betrieb nicht true sein" in result.stderr


def test_session_limits_and_lockout_come_from_the_environment():
    configured = _settings_in(
        {
            **PRODUCTION_ENV,
            "SOZIALRAUM_SESSION_IDLE_TIMEOUT": "900",
            "SOZIALRAUM_SESSION_MAX_AGE": "28800",
            "SOZIALRAUM_LOGIN_FAILURE_LIMIT": "3",
        }
    )
    assert configured["SESSION_IDLE_TIMEOUT"] == 900
    assert configured["SESSION_COOKIE_AGE"] == 28800
    assert configured["AXES_FAILURE_LIMIT"] == 3
    broken = _manage("check", extra_env={**PRODUCTION_ENV, "SOZIALRAUM_SESSION_IDLE_TIMEOUT": "0"})
    assert broken.returncode != 0
    assert "SOZIALRAUM_SESSION_IDLE_TIMEOUT" in broken.stderr
