"""What provider staff see of a Falldurchführung: their own work, never the ASD's internals."""

import pytest
from django.urls import reverse

from cases.models import Note, NoteKind
from cases.services import assignment_create, help_end, note_add
from tests.cases.conftest import decide

INTERNAL = "Interner Vermerk: Verdacht auf Suchtproblem der Mutter."
SHARED = "Mitteilung an den Träger: Termin beim Kinderarzt am Montag."


@pytest.fixture
def assignment_b(users, assignment_a, spfh, provider_b, provider_b_in_nord):
    """A second help of the same case, carried out by Träger B."""
    help_ = decide(user=users["caseworker"], case=assignment_a.case, help_type=spfh)
    return assignment_create(
        user=users["caseworker"],
        help_=help_,
        provider=provider_b,
        starts_on=help_.starts_on,
        ends_on=help_.planned_end_on,
    )


@pytest.fixture
def notes(users, assignment_a, assignment_b):
    case = assignment_a.case
    note_add(user=users["caseworker"], case=case, text=INTERNAL, internal=True)
    note_add(user=users["caseworker"], case=case, text=SHARED, internal=False)
    note_add(
        user=users["provider_staff"],
        case=case,
        assignment=assignment_a,
        kind=NoteKind.PROGRESS,
        text="Träger A: Familie war pünktlich.",
    )
    note_add(
        user=users["provider_staff_b"],
        case=case,
        assignment=assignment_b,
        kind=NoteKind.REPORT,
        text="Träger B: Bericht über die Schulbegleitung.",
    )


def _detail(client, user, assignment):
    client.force_login(user)
    return client.get(reverse("cases:assignment_detail", args=[assignment.pk]))


def test_provider_staff_see_only_their_providers_assignments(client, users, assignment_b):
    assignment_a = assignment_b.case.assignments.exclude(pk=assignment_b.pk).get()
    client.force_login(users["provider_staff"])
    html = client.get(reverse("cases:assignment_list")).content.decode()
    assert reverse("cases:assignment_detail", args=[assignment_a.pk]) in html
    assert reverse("cases:assignment_detail", args=[assignment_b.pk]) not in html
    assert "von Träger A" in html

    client.force_login(users["provider_staff_b"])
    html = client.get(reverse("cases:assignment_list")).content.decode()
    assert reverse("cases:assignment_detail", args=[assignment_b.pk]) in html
    assert reverse("cases:assignment_detail", args=[assignment_a.pk]) not in html


def test_ended_assignments_are_listed_only_on_request(client, users, assignment_a):
    help_end(user=users["caseworker"], help_=assignment_a.help, ended_on=assignment_a.starts_on)
    link = reverse("cases:assignment_detail", args=[assignment_a.pk])
    client.force_login(users["provider_staff"])
    assert link not in client.get(reverse("cases:assignment_list")).content.decode()
    assert link in client.get(reverse("cases:assignment_list"), {"alle": "1"}).content.decode()


def test_assignment_shows_what_the_provider_needs(client, users, assignment_a):
    html = _detail(client, users["provider_staff"], assignment_a).content.decode()
    assert "Mia Beispielkind" in html
    assert "Mia schläft um acht." in html  # the family's goal
    assert "Abendroutine mit der Familie aufbauen." in html  # the instructions
    assert "Frau Berater" in html
    assert "5,00 Fachleistungsstunden pro Woche" in html
    assert "ASD Nord" in html


def test_provider_never_sees_internal_notes_nor_other_providers_notes(
    client, users, assignment_a, notes
):
    html = _detail(client, users["provider_staff"], assignment_a).content.decode()
    assert INTERNAL not in html
    assert SHARED in html
    assert "Träger A: Familie war pünktlich." in html
    assert "Träger B: Bericht über die Schulbegleitung." not in html


def test_asd_sees_every_note_on_the_case(client, users, assignment_a, notes):
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[assignment_a.case_id])).content.decode()
    for text in (INTERNAL, SHARED, "Träger A: Familie", "Träger B: Bericht"):
        assert text in html


def test_provider_writes_a_progress_note_the_asd_sees(client, users, assignment_a):
    client.force_login(users["provider_staff"])
    response = client.post(
        reverse("cases:assignment_note", args=[assignment_a.pk]),
        {"kind": "progress", "text": "Hausbesuch: Abendritual klappt."},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.kind, note.assignment, note.internal, note.author) == (
        NoteKind.PROGRESS,
        assignment_a,
        False,
        users["provider_staff"],
    )
    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:detail", args=[assignment_a.case_id])).content.decode()
    assert "Hausbesuch: Abendritual klappt." in html


def test_provider_cannot_write_an_asd_note(client, users, assignment_a):
    client.force_login(users["provider_staff"])
    response = client.post(
        reverse("cases:assignment_note", args=[assignment_a.pk]),
        {"kind": "asd", "text": "Als ASD getarnt"},
    )
    assert response.status_code == 422
    assert not Note.objects.exists()


def test_provider_cannot_write_on_an_ended_assignment(client, users, assignment_a):
    help_end(user=users["caseworker"], help_=assignment_a.help, ended_on=assignment_a.starts_on)
    client.force_login(users["provider_staff"])
    url = reverse("cases:assignment_note", args=[assignment_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "progress", "text": "zu spät"}).status_code == 403
    assert not Note.objects.exists()
    # Reading stays possible, without the buttons to write.
    html = _detail(client, users["provider_staff"], assignment_a).content.decode()
    assert url not in html


@pytest.mark.parametrize("name", ["assignment_detail", "assignment_note", "assignment_risk"])
def test_another_providers_assignment_is_404(client, users, assignment_a, name):
    client.force_login(users["provider_staff_b"])
    assert client.get(reverse(f"cases:{name}", args=[assignment_a.pk])).status_code == 404


def test_a_guessed_assignment_id_is_404(client, users, assignment_a):
    client.force_login(users["provider_staff"])
    url = reverse("cases:assignment_detail", args=[assignment_a.pk + 1000])
    assert client.get(url).status_code == 404


def test_provider_staff_cannot_open_the_case_record(client, users, assignment_a):
    client.force_login(users["provider_staff"])
    assert client.get(reverse("cases:detail", args=[assignment_a.case_id])).status_code == 403


def test_assignment_list_rows_read_as_before(client, users, assignment_b):
    """The list's rows: period as dd.mm.yyyy, the provider column only for the ASD, every
    value escaped."""
    case = assignment_b.case
    case.number = "N-<2025>"
    case.save()
    assignment_b.provider.short_name = "B & Söhne"
    assignment_b.provider.save()
    period = f"{assignment_b.starts_on:%d.%m.%Y} – {assignment_b.ends_on:%d.%m.%Y}"

    client.force_login(users["provider_staff_b"])
    html = client.get(reverse("cases:assignment_list")).content.decode()
    assert ">N-&lt;2025&gt;</a>" in html and f"<td>{period}</td>" in html
    assert '<th scope="col">Träger</th>' not in html and "<td>B &amp; Söhne</td>" not in html

    client.force_login(users["caseworker"])
    html = client.get(reverse("cases:assignment_list")).content.decode()
    assert '<th scope="col">Träger</th>' in html and "<td>B &amp; Söhne</td>" in html
    assert html.count(">N-&lt;2025&gt;</a>") == 2  # both assignments of the case
    # Each row links to its assignment as the URL pattern says (the list builds the links).
    detail = reverse("cases:assignment_detail", args=[assignment_b.pk])
    assert f'<a href="{detail}">N-&lt;2025&gt;</a>' in html
