"""Issue 23, parts 1 and 2: the demo town goes out as one encrypted archive and comes back into a
fresh database with zero differences — ledger and audit log included — and a bad archive
changes nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets.models import LedgerEntry
from cases.models import AuditAction, AuditEntry, Case
from exchange.archive import ArchiveInvalid, archive_unpack
from exchange.compare import instances_compare
from exchange.crypto import ArchiveDamaged, ArchiveKeyError
from exchange.loading import archive_load
from exchange.services import instance_export_to_file, instance_import_from_file
from sozialraum.models import Role, User
from tests.exchange.conftest import PASSPHRASE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_archive(settings, media, tmp_path) -> Path:
    settings.DEMO_TOWN_CASES = 12
    call_command("demo_town", stdout=io.StringIO())
    path = tmp_path / "lindenau.srx"
    instance_export_to_file(user=User.objects.get(username="admin"), path=path, key=PASSPHRASE)
    return path


def test_demo_round_trip_has_zero_differences(demo_archive, target):
    result = instance_import_from_file(path=demo_archive, key=PASSPHRASE, using=target)

    assert result.records["cases.case"] == Case.objects.count() > 12
    assert result.files >= 1  # the demo's committee report PDF
    comparison = instances_compare(a="default", b=target)
    assert comparison.differences == []
    assert comparison.count == 0
    assert comparison.rows == result.total
    ledger = LedgerEntry.objects.using(target)
    assert ledger.count() == LedgerEntry.objects.count() > 0
    audit = AuditEntry.objects.using(target)
    assert audit.count() == AuditEntry.objects.count()
    # The export itself is in the audit log it exported.
    assert audit.filter(action=AuditAction.EXPORT, detail="Instanzexport (Kommando)").exists()
    # Key sequences moved past the imported keys: the next entry gets a fresh number.
    newest = audit.order_by("-pk").first()
    entry = AuditEntry(
        user_id=newest.user_id, action=AuditAction.VIEW, object_type="case", object_id=1
    )
    entry.save(using=target)
    assert entry.pk > newest.pk

    # The same archive once more into the now filled database: refused, nothing changes.
    before = audit.count()
    with pytest.raises(ArchiveInvalid, match="Die Zieldatenbank ist nicht leer"):
        instance_import_from_file(path=demo_archive, key=PASSPHRASE, using=target)
    assert audit.count() == before

    # One changed field is one listed difference (entry above: one more row only in B).
    case = Case.objects.using(target).order_by("pk").first()
    Case.objects.using(target).filter(pk=case.pk).update(number="X-1")
    comparison = instances_compare(a="default", b=target)
    assert sorted(comparison.differences) == sorted(
        [
            f"cases.case {case.pk}, number: A={case.number!r} B='X-1'",
            f"cases.auditentry {entry.pk}: nur in B",
        ]
    )


@pytest.fixture
def small_archive(media, tmp_path) -> Path:
    admin = UserFactory(username="admin-export", role=Role.ADMIN)
    UserFactory.create_batch(30)
    path = tmp_path / "klein.srx"
    instance_export_to_file(user=admin, path=path, key=PASSPHRASE)
    return path


def _damaged(path: Path, tmp_path: Path, *, cut: int | None = None, flip: int | None = None):
    data = bytearray(path.read_bytes())
    if cut is not None:
        data = data[:cut]
    if flip is not None:
        data[flip] ^= 0x01
    damaged = tmp_path / "beschaedigt.srx"
    damaged.write_bytes(bytes(data))
    return damaged


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"cut": -100}, ArchiveDamaged, "unvollständig oder verändert"),
        ({"cut": -16}, ArchiveDamaged, "unvollständig oder verändert"),
        ({"flip": -40}, ArchiveDamaged, "Prüfung von Block 1 fehlgeschlagen"),
        ({"flip": 30}, ArchiveKeyError, "Der Schlüssel passt nicht"),
        ({"cut": 10}, ArchiveDamaged, "ihr Kopf ist unvollständig"),
    ],
)
def test_a_damaged_archive_is_refused_and_the_target_stays_empty(
    small_archive, target, tmp_path, change, error, message
):
    damaged = _damaged(small_archive, tmp_path, cut=change.get("cut"), flip=change.get("flip"))

    with pytest.raises(error, match=message):
        instance_import_from_file(path=damaged, key=PASSPHRASE, using=target)

    assert not User.objects.using(target).exists()
    assert not Case.objects.using(target).exists()


def test_a_wrong_key_is_named_as_such(small_archive, target):
    with pytest.raises(ArchiveKeyError, match="Der Schlüssel passt nicht zu diesem Archiv"):
        instance_import_from_file(
            path=small_archive, key="eine ganz andere Passphrase", using=target
        )
    assert not User.objects.using(target).exists()


def test_an_archive_from_a_newer_schema_is_refused(small_archive, target):
    with small_archive.open("rb") as source:
        unpacked = archive_unpack(source, key=PASSPHRASE)
    try:
        unpacked.manifest["schema"]["cases"].append("9999_aus_der_zukunft")
        with pytest.raises(ArchiveInvalid, match=r"neueren Programmstand.*cases\.9999"):
            archive_load(unpacked, using=target)
    finally:
        unpacked.cleanup()
    assert not User.objects.using(target).exists()
