"""Two-factor login: the password alone opens no page; the app or a backup code completes it."""

import datetime
import itertools
import re
import uuid

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import backup_tokens_renew, totp_secret_display
from accounts.templatetags.qr_code import qr_svg
from sozialraum.models import User
from tests.conftest import totp_code, totp_device
from tests.factories import PASSWORD, UserFactory

ROLES = ["caseworker", "team_lead", "provider_staff", "planner", "admin"]
# The only pages a password alone reaches: they complete or end the login, and the
# accessibility statement every step links to.
LOGIN_STEPS = {
    "login",
    "logout",
    "two_factor_verify",
    "two_factor_setup",
    "accessibility_statement",
}
SAMPLE_VALUES = ("1", "sozialraum", str(uuid.uuid4()))


def _named_routes(patterns=None, namespace=""):
    """(view name, parameter names) of every named URL, through includes and the admin site."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for name, params in _named_routes(pattern.url_patterns, inner):
                yield name, params | set(pattern.pattern.regex.groupindex)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", set(pattern.pattern.regex.groupindex)


def _sample_url(name, params):
    """A URL of the view with made-up parameters: the check must answer before any lookup."""
    for values in itertools.product(SAMPLE_VALUES, repeat=len(params)):
        try:
            return reverse(name, kwargs=dict(zip(sorted(params), values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample URL for {name}")


def _password_only(user) -> Client:
    """A session after the password step, before the second."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def caseworker(users):
    totp_device(users["caseworker"])
    return users["caseworker"]


def test_an_unverified_session_is_sent_to_the_second_step_from_every_url(caseworker):
    client = _password_only(caseworker)
    protected = [
        (name, _sample_url(name, params))
        for name, params in _named_routes()
        if name not in LOGIN_STEPS
    ]
    assert len(protected) > 80  # portal, apps and the admin site
    assert any(name.startswith("admin:") for name, _ in protected)
    for name, url in protected:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (name, url, response.status_code)
            assert response.url.startswith(reverse("two_factor_verify") + "?next="), name


@pytest.mark.parametrize("role", ROLES)
def test_every_role_needs_the_second_factor(users, role):
    client = _password_only(users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))


def test_code_from_the_app_completes_the_login_and_returns_to_the_page(caseworker):
    client = Client()
    response = client.post(
        reverse("login"), {"username": caseworker.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{reverse('two_factor_verify')}?next=%2F"
    assert "Anmeldung bestätigen" in response.content.decode()
    response = client.get(reverse("cases:list"))
    assert response.url == f"{reverse('two_factor_verify')}?next=%2Ffaelle%2F"
    response = client.post(response.url, {"code": totp_code(totp_device(caseworker))})
    assert response.status_code == 302
    assert response.url == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200


def test_wrong_code_is_explained_and_repeated_guessing_is_slowed(caseworker):
    client = _password_only(caseworker)
    url = reverse("two_factor_verify")
    html = client.post(url, {"code": "000000"}).content.decode()
    assert "Der Code stimmt nicht" in html
    html = client.post(url, {"code": totp_code(totp_device(caseworker))}).content.decode()
    assert "Zu viele falsche Codes" in html  # django-otp: a wait that doubles per wrong code
    with time_machine.travel(datetime.timedelta(seconds=10), tick=False):
        html = client.post(url, {"code": ""}).content.decode()
        assert "Bitte geben Sie den Code ein." in html
        response = client.post(url, {"code": totp_code(totp_device(caseworker))})
    assert response.status_code == 302


def test_each_code_of_the_app_counts_once(caseworker):
    code = totp_code(totp_device(caseworker))
    first, second = _password_only(caseworker), _password_only(caseworker)
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    html = second.post(reverse("two_factor_verify"), {"code": code}).content.decode()
    assert "Der Code stimmt nicht" in html


def test_next_never_leads_away_from_the_portal(caseworker):
    client = _password_only(caseworker)
    response = client.post(
        reverse("two_factor_verify") + "?next=https://boese.example/",
        {"code": totp_code(totp_device(caseworker))},
    )
    assert response.url == reverse("home")


def test_setting_up_the_app_shows_a_qr_code_and_the_key_and_gives_backup_codes(users):
    planner = users["planner"]
    client = _password_only(planner)
    response = client.get(reverse("planning_home"))
    assert response.url == f"{reverse('two_factor_setup')}?next=%2Fplanung%2F"
    html = client.get(response.url).content.decode()
    device = TOTPDevice.objects.get(user=planner, confirmed=False)
    assert re.search(r'role="img" aria-label="QR-Code[^"]*"><svg ', html)  # rendered here
    assert totp_secret_display(device) in html
    assert "https://" not in html.split("<main", 1)[1]  # no outside QR service
    # Reloading shows the same key: the app scanned a moment ago stays valid.
    assert totp_secret_display(device) in client.get(reverse("two_factor_setup")).content.decode()

    html = client.post(response.url, {"code": "123456"}).content.decode()
    assert "Der Code stimmt nicht" in html
    with time_machine.travel(datetime.timedelta(seconds=5), tick=False):
        response = client.post(
            f"{reverse('two_factor_setup')}?next=/planung/", {"code": totp_code(device)}
        )
    html = response.content.decode()
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=planner).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in html for code in codes)
    assert 'href="/planung/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("planning_home")).status_code == 200


def test_the_qr_code_encodes_the_apps_setup_link_and_writes_no_text_of_it(users):
    planner = users["planner"]
    html = _password_only(planner).get(reverse("two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=planner, confirmed=False)
    drawn = re.search(r'aria-label="QR-Code[^"]*">(<svg .*?</svg>)', html, re.S)
    assert drawn and drawn.group(1) == str(qr_svg(device.config_url))
    hostile = qr_svg('otpauth://totp/x?issuer=<script>alert(1)</script>&a="b"')
    assert hostile.startswith("<svg ") and "<script" not in hostile and "alert" not in hostile


def test_a_backup_code_works_once(caseworker):
    client = _password_only(caseworker)
    code = backup_tokens_renew(user=caseworker)[0]
    response = client.post(reverse("two_factor_verify"), {"code": code.upper()})
    assert response.status_code == 302
    assert client.get(reverse("asd_home")).status_code == 200
    again = _password_only(caseworker)
    html = again.post(reverse("two_factor_verify"), {"code": code}).content.decode()
    assert "Der Code stimmt nicht" in html


def test_password_alone_cannot_connect_another_app(caseworker):
    client = _password_only(caseworker)
    response = client.get(reverse("two_factor_setup"))
    assert response.url.startswith(reverse("two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=False).exists()


def test_a_new_phone_replaces_the_old_app(client, caseworker):
    client.force_login(caseworker)
    old = totp_device(caseworker)
    html = client.get(reverse("two_factor_setup")).content.decode()
    assert "ersetzen Ihre bisherige App" in html
    new = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert client.post(reverse("two_factor_setup"), {"code": totp_code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=caseworker)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_account_page_renews_backup_codes(client, caseworker):
    client.force_login(caseworker)
    html = client.get(reverse("account")).content.decode()
    assert "mit einer Authenticator-App geschützt" in html
    assert client.get(reverse("backup_codes_renew")).status_code == 405
    first = client.post(reverse("backup_codes_renew")).context["tokens"]
    second = client.post(reverse("backup_codes_renew")).context["tokens"]
    assert set(first).isdisjoint(second)
    assert StaticToken.objects.filter(device__user=caseworker).count() == 10


def test_admin_site_needs_the_second_factor(users):
    admin = users["admin"]
    totp_device(admin)
    client = _password_only(admin)
    assert client.get("/admin/").url.startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"code": totp_code(totp_device(admin))})
    assert client.get("/admin/").status_code == 200


def test_admin_login_page_is_the_portal_login(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/admin/"


def test_logged_in_non_administrator_gets_403_not_a_login_loop(client, users):
    client.force_login(users["planner"])
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


# Demo accounts -----------------------------------------------------------------------------


def test_demo_accounts_skip_the_second_factor_in_demo_mode(settings, users):
    settings.DEMO_ACCOUNTS_SKIP_SECOND_FACTOR = True
    demo = UserFactory(role="planner", is_demo_account=True)
    assert _password_only(demo).get(reverse("planning_home")).status_code == 200
    # Any other account of the same portal still needs it.
    assert _password_only(users["planner"]).get(reverse("planning_home")).status_code == 302


def test_demo_accounts_need_the_second_factor_with_production_settings(settings, db):
    settings.DEMO_ACCOUNTS_SKIP_SECOND_FACTOR = True  # even if it were switched on
    settings.PRODUCTION = True
    demo = UserFactory(role="planner", is_demo_account=True)
    response = _password_only(demo).get(reverse("planning_home"))
    assert response.url.startswith(reverse("two_factor_setup"))


def test_demo_accounts_need_the_second_factor_when_the_demo_switch_is_off(settings, db):
    settings.DEMO_ACCOUNTS_SKIP_SECOND_FACTOR = False
    demo = UserFactory(role="planner", is_demo_account=True)
    assert _password_only(demo).get(reverse("planning_home")).status_code == 302


def test_demo_town_marks_its_accounts(db):
    call_command("demo_town", verbosity=0)

    assert set(User.objects.filter(is_demo_account=True).values_list("username", flat=True)) == {
        "asd-nord",
        "asd-sued",
        "leitung-nord",
        "traeger-a",
        "traeger-b",
        "planung",
        "admin",
    }


def test_a_removed_or_unconfirmed_device_ends_the_second_factor_at_once(users, client):
    client.force_login(users["caseworker"])  # password and the app's code
    assert client.get(reverse("cases:list")).status_code == 200
    device = TOTPDevice.objects.get(user=users["caseworker"])
    device.confirmed = False
    device.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))
    client.force_login(users["caseworker"])
    assert client.get(reverse("cases:list")).status_code == 200
    TOTPDevice.objects.filter(user=users["caseworker"]).delete()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))


def test_a_session_naming_another_persons_device_is_not_verified(users, client):
    client.force_login(users["caseworker"])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(users["team_lead"]).persistent_id
    session.save()
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
