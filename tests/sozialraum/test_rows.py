"""The shared pieces of the table rows written in Python (sozialraum/rows.py)."""

import datetime

from django.urls import reverse

from sozialraum.rows import day, table_rows, text_or_dash


def test_dates_dashes_and_the_empty_row():
    assert day(datetime.date(2026, 3, 1)) == "01.03.2026" and day(None) == ""
    assert text_or_dash("A & B") == "A &amp; B" and text_or_dash("") == "–"
    assert table_rows(["<tr>1</tr>", "<tr>2</tr>"], columns=3, empty="Nichts.") == (
        "<tr>1</tr>\n<tr>2</tr>"
    )
    assert table_rows(iter(()), columns=3, empty="Nichts <da>.") == (
        '<tr><td colspan="3">Nichts &lt;da&gt;.</td></tr>'
    )


def test_an_empty_assignment_list_says_so(client, users):
    client.force_login(users["provider_staff"])
    html = client.get(reverse("cases:assignment_list")).content.decode()
    assert '<tr><td colspan="6">Keine Falldurchführungen.</td></tr>' in html
