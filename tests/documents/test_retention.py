"""Documents follow their case's retention class and legal hold: when a due case is
anonymised by the retention job, its documents go, files included (asserted on the storage);
a held or not yet due case keeps them. The subject-access export lists them."""

import datetime

import pytest
from django.urls import reverse

from documents.models import CaseMove, Document, MoveStatus
from privacy.anonymise import rows_delete
from privacy.models import Anchor, RecordType
from privacy.services import legal_hold_place, retention_run_create, retention_run_execute
from tests.documents.conftest import stored_files
from tests.privacy.conftest import case_file, released  # noqa: F401 (fixture)


@pytest.fixture
def dated(released, users, sozialraum_nord, today, stored):  # noqa: F811
    for record_type in (RecordType.CASE_WITH_HELP, RecordType.CASE_WITHOUT_HELP):
        retention_class = released[record_type]
        retention_class.period_years = 10
        retention_class.anchor = Anchor.CLOSED_YEAR_END
        retention_class.save()
    steering = users["caseworker"]

    def file(closed_on, family):
        case = case_file(
            sozialraum=sozialraum_nord, steering=steering, closed_on=closed_on, family=family
        )
        stored(case, title=f"Bericht {family}")
        return case

    cases = {
        "due": file(datetime.date(today.year - 12, 3, 1), "Faellig"),
        "held": file(datetime.date(today.year - 12, 5, 1), "Gesperrt"),
        "young": file(datetime.date(today.year - 2, 5, 1), "Jung"),
    }
    legal_hold_place(user=users["team_lead"], case_number=cases["held"].number, reason="Klage")
    CaseMove.objects.create(
        case=cases["due"],
        moved_on=cases["due"].opened_on,
        street="Ahornweg",
        house_number="7",
        previous_street="Lindenweg",
        previous_house_number="3a",
        previous_sozialraum=sozialraum_nord,
        proposed_sozialraum=sozialraum_nord,
        status=MoveStatus.CONFIRMED,
        recorded_by=steering,
    )
    return cases


def test_retention_deletes_the_due_cases_files_from_storage(
    dated, django_capture_on_commit_callbacks
):
    due_file = Document.objects.get(case=dated["due"]).file.name
    assert len(stored_files()) == 3
    with django_capture_on_commit_callbacks(execute=True):
        retention_run_execute(run_id=retention_run_create(trigger="command").pk)
    dated["due"].refresh_from_db()
    assert dated["due"].anonymised_at is not None
    assert not Document.objects.filter(case=dated["due"]).exists()
    assert due_file not in stored_files()
    # The recorded move keeps its date and Sozialräume, not the family's addresses.
    move = CaseMove.objects.get(case=dated["due"])
    assert (move.street, move.previous_street, move.house_number) == ("", "", "")
    # Held and not yet due: documents and files stay.
    assert Document.objects.filter(case__in=[dated["held"], dated["young"]]).count() == 2
    assert len(stored_files()) == 2


def test_deleting_a_case_row_deletes_its_files_too(dated, django_capture_on_commit_callbacks):
    from cases.models import Case

    with django_capture_on_commit_callbacks(execute=True):
        rows_delete(Case.all_objects.filter(pk=dated["young"].pk))
    assert not Document.objects.filter(case_id=dated["young"].pk).exists()
    assert len(stored_files()) == 2


def test_subject_access_export_lists_the_documents(client, users, dated):
    client.force_login(users["team_lead"])
    person = dated["young"].persons.get(first_name="Mia")
    response = client.post(
        reverse("privacy:subject_export"), {"persons": [person.pk], "output": "html"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dokumente in der Akte" in text and "Bericht Jung" in text
    assert "Bericht Faellig" not in text
