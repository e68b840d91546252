"""The frame of every page (header, navigation, footer): each person sees their own."""

import re

from django.test import Client
from django.urls import reverse

from accounts.security import draft_key
from tests.conftest import SecondFactorClient


def _page(client: SecondFactorClient, user, url: str = "/konto/") -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def test_each_person_sees_their_own_name_token_and_draft_key(users):
    first, second = users["caseworker"], users["team_lead"]
    first.first_name, first.last_name = "Ada <b>", 'O"Neil & Co'
    first.save()
    second.first_name, second.last_name = "Bert", "Brecht"
    second.save()
    first_html = _page(SecondFactorClient(), first)
    second_html = _page(SecondFactorClient(), second)
    assert "Ada &lt;b&gt; O&quot;Neil &amp; Co" in first_html
    assert "Ada" not in second_html and "Bert Brecht" in second_html
    for html, user in ((first_html, first), (second_html, second)):
        assert f'data-key="{draft_key(user)["key"]}"' in html
        assert f'data-owner="{draft_key(user)["owner"]}"' in html


def test_the_frame_tokens_are_the_requests_own(users):
    """Logout (header) and "Sitzung verlängern" (footer) post with the token of the page."""
    client = SecondFactorClient(enforce_csrf_checks=True)
    html = _page(client, users["caseworker"])
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2  # the header's logout, the page's own forms, the footer's
    extended = client.post(reverse("session_extend"), {"csrfmiddlewaretoken": tokens[-1]})
    assert extended.status_code in (200, 204, 302)
    logged_out = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert logged_out.status_code == 302
    assert client.get("/").status_code == 302  # to the login page: the session has ended


def test_navigation_follows_role_and_page(users):
    provider_html = _page(SecondFactorClient(), users["provider_staff"])
    caseworker_html = _page(SecondFactorClient(), users["caseworker"], reverse("cases:list"))
    assert "Falldurchführungen" in provider_html and ">Fälle<" not in provider_html
    assert f'<a href="{reverse("cases:list")}" aria-current="page">Fälle</a>' in caseworker_html
    assert "Falldurchführungen" not in caseworker_html


def test_signed_out_pages_have_no_person_in_the_frame(db):
    html = Client().get(reverse("login")).content.decode()
    assert "Angemeldet als" not in html and "sitzungshinweis" not in html
    assert "Erklärung zur Barrierefreiheit" in html
