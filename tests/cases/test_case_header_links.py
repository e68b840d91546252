"""The case header on step pages links the case file only for those who may open it (issue 24:
no link to a page that answers 403)."""

from django.urls import reverse


def test_provider_staff_see_the_case_number_without_a_link(client, users, assignment_a):
    client.force_login(users["provider_staff"])
    page = client.get(reverse("cases:assignment_note", args=[assignment_a.pk])).content.decode()
    assert f"Fall {assignment_a.case.number}" in page
    assert reverse("cases:detail", args=[assignment_a.case_id]) not in page


def test_the_caseworker_gets_the_link(client, users, assignment_a):
    client.force_login(users["caseworker"])
    page = client.get(reverse("cases:note_add", args=[assignment_a.case_id])).content.decode()
    assert f'href="{reverse("cases:detail", args=[assignment_a.case_id])}"' in page
