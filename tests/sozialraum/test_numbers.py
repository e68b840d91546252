"""Whole numbers in pages: ids, years and page numbers stay plain (they travel in links and
form values); counts are grouped the German way on request; typed amounts keep their dots."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from sozialraum.money import count_format
from tests.budgets.conftest import fiscal_year  # noqa: F401 (fixture)
from tests.network.factories import PartnerFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (999, "999"),
        (2230, "2.230"),
        (1234567, "1.234.567"),
        (-4500, "−4.500"),
        (None, ""),
    ],
)
def test_counts_are_grouped_with_dots(value, expected):
    assert count_format(value) == expected
    assert Template("{% load portal %}{{ v|count }}").render(Context({"v": value})) == expected


def test_plain_integers_are_written_without_separators():
    html = Template("{{ year }} {{ pk }} {{ share }}").render(
        Context({"year": 2026, "pk": 12345, "share": 12.5})
    )
    assert html == "2026 12345 12,5"


def test_the_budget_year_choice_sends_the_year_itself(client, users, fiscal_year):  # noqa: F811
    client.force_login(users["planner"])
    html = client.get(reverse("budgets:overview")).content.decode()
    assert re.search(r'<option value="2026"[^>]*>2026</option>', html)
    assert "2.026" not in html


def test_a_partner_past_id_999_links_to_its_own_new_offer_form(client, users, sozialraum_nord):
    partner = PartnerFactory(pk=1263, sozialraum=sozialraum_nord)
    client.force_login(users["caseworker"])
    html = client.get(reverse("network:partner_detail", args=[partner.pk])).content.decode()
    assert "?partner=1263" in html
