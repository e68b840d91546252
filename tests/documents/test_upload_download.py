"""Uploading a document to a case and getting it back: checked by content, stored privately,
served as an attachment (inline only PDF and images), every download in the audit trail; bad
files refused in German with everything typed kept and nothing stored."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import AuditEntry
from documents.models import Document, DocumentKind
from documents.services import document_delete_with_file, document_upload
from tests.documents.conftest import stored_files, upload

FORM = {
    "title": "Bericht der Grundschule",
    "kind": DocumentKind.REPORT,
    "dated_on": "2026-03-01",
    "source": "Grundschule am Park",
}


def post_upload(client, case, file, **fields):
    return client.post(
        reverse("documents:upload", args=[case.pk]), {**FORM, **fields, "file": file}
    )


def test_caseworker_uploads_and_downloads_a_pdf_with_audit(client, users, case_nord, pdf_bytes):
    client.force_login(users["caseworker"])
    response = post_upload(client, case_nord, upload("Bericht Schule.pdf", pdf_bytes))
    assert response.status_code == 302
    document = Document.objects.get(case=case_nord)
    assert (document.title, document.mime, document.size) == (
        "Bericht der Grundschule",
        "application/pdf",
        len(pdf_bytes),
    )
    assert document.file_name == "Bericht Schule.pdf"
    # Stored under a random name in the private folder, not under the person's file name.
    assert stored_files() == [document.file.name]
    assert "Bericht" not in document.file.name

    page = client.get(reverse("documents:case_documents", args=[case_nord.pk]))
    assert "Bericht der Grundschule" in page.content.decode()

    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    entries = AuditEntry.objects.filter(object_type="document", object_id=document.pk)
    assert list(entries.values_list("detail", flat=True)) == [
        "Dokument heruntergeladen",
        "Dokument",
    ]


def test_pdf_and_images_may_be_shown_inline_other_kinds_never(
    client, users, case_nord, stored, png_bytes, docx_bytes
):
    client.force_login(users["caseworker"])
    image = stored(case_nord, content=png_bytes, mime="image/png", file_name="foto.png")
    docx = stored(
        case_nord,
        content=docx_bytes,
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        file_name="brief.docx",
    )
    shown = client.get(reverse("documents:download", args=[image.pk]) + "?ansicht=1")
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["X-Content-Type-Options"] == "nosniff"
    kept = client.get(reverse("documents:download", args=[docx.pk]) + "?ansicht=1")
    assert kept["Content-Disposition"].startswith("attachment;")
    assert AuditEntry.objects.filter(detail="Dokument angezeigt", object_id=image.pk).count() == 1


def test_office_and_image_kinds_are_accepted_by_content(
    client, users, case_nord, png_bytes, docx_bytes
):
    client.force_login(users["caseworker"])
    assert (
        post_upload(client, case_nord, upload("scan.png", png_bytes, "image/png")).status_code
        == 302
    )
    # A DOCX named .bin is still a DOCX: the content decides, and the stored name says so.
    assert post_upload(client, case_nord, upload("brief.bin", docx_bytes)).status_code == 302
    kinds = sorted(Document.objects.values_list("mime", "file_name"))
    assert kinds == [
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "brief.docx"),
        ("image/png", "scan.png"),
    ]


@pytest.mark.parametrize(
    ("name", "content_key", "message"),
    [
        ("rechnung.pdf", "exe", "kein erlaubtes Format"),
        ("leer.pdf", "empty", "Die Datei ist leer"),
    ],
)
def test_bad_files_are_refused_in_german_and_nothing_is_lost(
    client, users, case_nord, pdf_bytes, exe_bytes, name, content_key, message
):
    content = {"exe": exe_bytes, "empty": b"", "pdf": pdf_bytes}[content_key]
    client.force_login(users["caseworker"])
    response = post_upload(client, case_nord, upload(name, content), title="Mein langer Titel")
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'value="Mein langer Titel"' in page and 'value="Grundschule am Park"' in page
    assert not Document.objects.exists()
    assert stored_files() == []


def test_file_over_the_limit_is_refused(client, users, case_nord, settings, pdf_bytes):
    # The 200 MB of the issue, scaled down: the limit is a setting.
    settings.DOCUMENTS_MAX_BYTES = 1024
    client.force_login(users["caseworker"])
    big = pdf_bytes + b"%" + b"0" * 4096
    response = post_upload(client, case_nord, upload("gross.pdf", big))
    assert response.status_code == 422
    assert "zu groß" in response.content.decode()
    assert not Document.objects.exists()


def test_letters_sent_and_hand_overs_cannot_be_uploaded(client, users, case_nord, pdf_bytes):
    client.force_login(users["caseworker"])
    response = post_upload(
        client, case_nord, upload("b.pdf", pdf_bytes), kind=DocumentKind.LETTER_SENT
    )
    assert response.status_code == 422
    assert not Document.objects.exists()


def fake_scanner_refusing(content: bytes, name: str) -> str | None:
    return "Eicar-Test-Signature" if b"EICAR" in content else None


def fake_scanner_down(content: bytes, name: str) -> str | None:
    raise ConnectionError("clamd not reachable")


def test_a_refusing_virus_scanner_blocks_the_upload(client, users, case_nord, settings, pdf_bytes):
    settings.DOCUMENTS_VIRUS_SCANNER = f"{__name__}.fake_scanner_refusing"
    client.force_login(users["caseworker"])
    infected = pdf_bytes + b"%EICAR"
    response = post_upload(client, case_nord, upload("anhang.pdf", infected))
    assert response.status_code == 422
    assert "Virenprüfung hat die Datei abgelehnt" in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []
    # A clean file passes the same scanner.
    assert post_upload(client, case_nord, upload("ok.pdf", pdf_bytes)).status_code == 302


def test_an_unreachable_scanner_refuses_rather_than_store_unchecked(
    client, users, case_nord, settings, pdf_bytes
):
    settings.DOCUMENTS_VIRUS_SCANNER = f"{__name__}.fake_scanner_down"
    client.force_login(users["caseworker"])
    response = post_upload(client, case_nord, upload("anhang.pdf", pdf_bytes))
    assert response.status_code == 422
    assert "nicht erreichbar" in response.content.decode()
    assert not Document.objects.exists()


def test_reading_colleague_sees_but_cannot_upload(client, users, case_nord, stored, team_nord):
    from tests.factories import UserFactory

    colleague = UserFactory(role="caseworker", asd_team=team_nord)
    document = stored(case_nord)
    client.force_login(colleague)
    assert client.get(reverse("documents:case_documents", args=[case_nord.pk])).status_code == 200
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 200
    assert client.get(reverse("documents:upload", args=[case_nord.pk])).status_code == 403


def test_document_sent_again_is_a_new_version_and_the_first_stays(stored, case_nord):
    first = stored(case_nord, kind=DocumentKind.LETTER_SENT, title="Einladung")
    second = stored(case_nord, kind=DocumentKind.LETTER_SENT, title="Einladung", replaces=first)
    assert (first.version, second.version, second.replaces) == (1, 2, first)
    assert len(stored_files()) == 2


def test_remove_deletes_row_and_file(
    client, users, case_nord, stored, django_capture_on_commit_callbacks
):
    document = stored(case_nord)
    client.force_login(users["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:remove", args=[document.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files() == []
    assert AuditEntry.objects.filter(detail="Dokument gelöscht", object_id=document.pk).exists()


def test_delete_with_file_leaves_the_file_if_the_transaction_rolls_back(
    case_nord, stored, django_capture_on_commit_callbacks
):
    from django.db import transaction

    document = stored(case_nord)
    with pytest.raises(RuntimeError), transaction.atomic():
        document_delete_with_file(document=document)
        raise RuntimeError("rollback")
    assert Document.objects.filter(pk=document.pk).exists()
    assert stored_files() == [document.file.name]


def test_service_refuses_a_person_of_another_case(users, case_nord, case_sued, pdf_bytes):
    other = case_sued.persons.first()
    with pytest.raises(ValidationError) as refusal:
        document_upload(
            user=users["caseworker"],
            case=case_nord,
            uploaded=upload("a.pdf", pdf_bytes),
            title="Bericht",
            kind=DocumentKind.REPORT,
            dated_on=datetime.date(2026, 3, 1),
            source="",
            person=other,
        )
    assert "gehört nicht zu diesem Fall" in str(refusal.value)
    assert stored_files() == []


def test_a_path_in_the_posted_name_never_reaches_the_storage(client, users, case_nord, pdf_bytes):
    # Django's upload parser keeps only the last part of a posted name; the stored file gets
    # a random name in the case's folder in any case.
    client.force_login(users["caseworker"])
    response = post_upload(client, case_nord, upload("../../etc/passwd.pdf", pdf_bytes))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file_name == "passwd.pdf"
    assert document.file.name.startswith(f"fall-{case_nord.pk}/")
    assert ".." not in document.file.name


@pytest.mark.parametrize(
    ("name", "message"),
    [("ordner\\bericht.pdf", "Ordnertrennzeichen"), ("bericht\x07.pdf", "Steuerzeichen")],
)
def test_names_with_separators_or_control_characters_are_refused(
    users, case_nord, pdf_bytes, name, message
):
    with pytest.raises(ValidationError) as refusal:
        document_upload(
            user=users["caseworker"],
            case=case_nord,
            uploaded=upload(name, pdf_bytes),
            title="Bericht",
            kind=DocumentKind.REPORT,
            dated_on=datetime.date(2026, 3, 1),
            source="",
        )
    assert message in " ".join(refusal.value.message_dict["file"])
    assert not Document.objects.exists() and stored_files() == []
