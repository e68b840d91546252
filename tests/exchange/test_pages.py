"""Issue 23: the export page is for administrators only; an export from the page is written in
the background, audited when requested and when downloaded, and its archive opens with the
administrator's private key."""

import pytest
from django.urls import reverse

from cases.models import AuditAction, AuditEntry
from exchange import crypto
from exchange.archive import archive_unpack
from exchange.models import ExportState, InstanceExport
from exchange.storage import export_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


@pytest.mark.parametrize("role", ["caseworker", "team_lead", "provider_staff", "planner"])
def test_only_administrators_reach_the_export_pages(client, users, role, media):
    export = InstanceExport.objects.create(requested_by=users["admin"])
    client.force_login(users[role])
    for url in [
        reverse("exchange:list"),
        reverse("exchange:detail", args=[export.public_id]),
        reverse("exchange:download", args=[export.public_id]),
    ]:
        assert client.get(url).status_code == 403
    assert client.post(reverse("exchange:list"), {"unencrypted": "on"}).status_code == 403
    assert not InstanceExport.objects.exclude(pk=export.pk).exists()


def test_export_from_the_page_is_encrypted_audited_and_downloadable(
    admin_client, users, media, django_capture_on_commit_callbacks, tasks_in_process
):
    public, private = crypto.keypair_generate()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("exchange:list"), {"public_key": public})

    export = InstanceExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:detail", args=[export.public_id])
    assert export.state == ExportState.DONE
    status = admin_client.get(
        reverse("exchange:detail", args=[export.public_id]), HTTP_ACCEPT="application/json"
    ).json()
    assert status["finished"] is True
    assert status["progress"] == 100
    page = admin_client.get(reverse("exchange:detail", args=[export.public_id]))
    assert "Archiv herunterladen" in page.content.decode()

    download = admin_client.get(reverse("exchange:download", args=[export.public_id]))

    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="sozialraum-export-')
    assert b"".join(download.streaming_content)[:4] == crypto.MAGIC
    with export_storage().open(export.archive_name, "rb") as source:
        unpacked = archive_unpack(source, key=private)
    unpacked.cleanup()
    details = list(
        AuditEntry.objects.filter(
            action=AuditAction.EXPORT, object_type="instanceexport", object_id=export.pk
        ).values_list("detail", flat=True)
    )
    assert sorted(details) == ["Instanzexport", "Instanzexport heruntergeladen"]


def test_a_missing_or_foreign_key_is_refused_in_the_form(admin_client):
    page = admin_client.post(reverse("exchange:list"), {"public_key": ""})
    assert "Bitte den öffentlichen Schlüssel angeben" in page.content.decode()
    page = admin_client.post(reverse("exchange:list"), {"public_key": "ssh-rsa AAAAB3Nza"})
    assert "kein öffentlicher Exportschlüssel" in page.content.decode()
    assert 'value="ssh-rsa AAAAB3Nza"' in page.content.decode()
    assert not InstanceExport.objects.exists()


def test_unencrypted_only_deliberately_and_with_a_warning(admin_client):
    response = admin_client.post(reverse("exchange:list"), {"unencrypted": "on"}, follow=True)

    assert "NICHT verschlüsselt" in response.content.decode()
    assert InstanceExport.objects.get().public_key == ""
