"""Notes say when and with whom: the date of the contact (backdated within the office's limit,
never in the future), its kind, the persons present, and the ASD-only flag."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import ContactKind, Note
from cases.services import note_add
from tests.cases.conftest import intake


def _post_note(client, case, **data):
    return client.post(reverse("cases:note_add", args=[case.pk]), data)


def test_backdated_home_visit_with_persons_present_is_shown_in_the_case_file(
    client, users, case_nord, today
):
    mia, sandra = case_nord.persons.order_by("role")
    day = today - datetime.timedelta(days=30)  # the default limit, still allowed
    client.force_login(users["caseworker"])
    response = _post_note(
        client,
        case_nord,
        contact_on=day.isoformat(),
        contact_kind=ContactKind.HOME_VISIT,
        persons_present=[mia.pk, sandra.pk],
        others_present="Herr Kaya (Schule)",
        text="Hausbesuch: Abendroutine besprochen.",
        internal="on",
    )
    assert response.status_code == 302
    note = Note.objects.get(case=case_nord)
    assert note.contact_on == day and note.internal
    assert set(note.persons_present.all()) == {mia, sandra}
    html = client.get(reverse("cases:detail", args=[case_nord.pk])).content.decode()
    assert f"Kontakt am {day:%d.%m.%Y} · Hausbesuch" in html
    assert "Anwesend: " in html
    assert "Mia Beispielkind" in html and "Herr Kaya (Schule)" in html
    assert "When and with whom" not in html  # the partial's comment stays a comment


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (31, "Ein Vermerk kann höchstens 30 Tage zurückdatiert werden"),
        (-1, "liegt in der Zukunft"),
    ],
)
def test_contact_date_beyond_the_limit_or_in_the_future_is_refused_in_german(
    client, users, case_nord, today, days, message
):
    day = today - datetime.timedelta(days=days)
    client.force_login(users["caseworker"])
    response = _post_note(
        client,
        case_nord,
        contact_on=day.isoformat(),
        contact_kind=ContactKind.PHONE,
        text="Telefonat mit der Mutter.",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "Telefonat mit der Mutter." in html  # what was typed stays
    assert not Note.objects.exists()


def test_backdating_limit_is_the_office_setting(users, case_nord, today, settings):
    settings.NOTE_BACKDATE_DAYS = 3
    with pytest.raises(ValidationError) as refused:
        note_add(
            user=users["caseworker"],
            case=case_nord,
            text="Gespräch im Amt.",
            contact_on=today - datetime.timedelta(days=4),
        )
    assert "höchstens 3 Tage" in " ".join(refused.value.messages)
    note = note_add(
        user=users["caseworker"],
        case=case_nord,
        text="Gespräch im Amt.",
        contact_on=today - datetime.timedelta(days=3),
        contact_kind=ContactKind.OFFICE,
    )
    assert note.get_contact_kind_display() == "Gespräch im Amt"


def test_a_note_without_a_date_is_dated_today_and_a_person_of_another_case_is_refused(
    users, case_nord, sozialraum_nord, today
):
    note = note_add(user=users["caseworker"], case=case_nord, text="Aktenvermerk.")
    assert note.contact_on == today and note.contact_kind == ""
    other = intake(user=users["caseworker"], sozialraum=sozialraum_nord)
    with pytest.raises(ValidationError) as refused:
        note_add(
            user=users["caseworker"],
            case=case_nord,
            text="Hausbesuch.",
            persons_present=list(other.persons.all()),
        )
    assert "Bitte wählen Sie nur Personen dieses Falls." in refused.value.messages


def test_provider_staff_record_contact_and_persons_on_their_assignment(
    client, users, assignment_a, today
):
    mia = assignment_a.case.persons.get(role="child")
    client.force_login(users["provider_staff"])
    url = reverse("cases:assignment_note", args=[assignment_a.pk])
    form = client.get(url).content.decode()
    assert "Mia" in form and "Anwesende Personen" in form
    response = client.post(
        url,
        {
            "kind": "progress",
            "contact_on": (today - datetime.timedelta(days=1)).isoformat(),
            "contact_kind": ContactKind.HOME_VISIT,
            "persons_present": [mia.pk],
            "text": "Hausbesuch, Abendroutine geübt.",
        },
    )
    assert response.status_code == 302
    note = Note.objects.get(assignment=assignment_a)
    assert list(note.persons_present.all()) == [mia] and not note.internal
    page = client.get(reverse("cases:assignment_detail", args=[assignment_a.pk])).content.decode()
    assert "Kontakt am" in page and "Hausbesuch" in page
