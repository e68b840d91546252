"""Issue 23, bad input: an archive that was changed, holds a key twice, is not ours or needs a
key it was not given is refused with a German message before any database is touched."""

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from exchange import crypto
from exchange.archive import ArchiveInvalid, archive_unpack
from exchange.services import instance_export_to_file, instance_import_from_file
from sozialraum.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_archive(media, tmp_path) -> Path:
    admin = UserFactory(username="admin-export", role=Role.ADMIN)
    UserFactory.create_batch(5)
    path = tmp_path / "klartext.tar.gz"
    instance_export_to_file(user=admin, path=path, key=None)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, mode="r:gz") as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}


def _repack(members: dict[str, bytes], path: Path) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(buffer.getvalue()))
    return path


def _unpack(path: Path, key: str | None = None):
    with path.open("rb") as source:
        return archive_unpack(source, key=key)


def test_a_plain_archive_passes_its_own_checks(plain_archive):
    unpacked = _unpack(plain_archive)
    try:
        users = next(t for t in unpacked.manifest["tables"] if t["label"] == "sozialraum.user")
        assert users["records"] == User.objects.count() == 6
        assert "cases" in unpacked.manifest["schema"]
    finally:
        unpacked.cleanup()


def test_a_changed_record_fails_its_checksum(plain_archive, tmp_path):
    members = _members(plain_archive)
    members["daten/sozialraum.user.jsonl"] = members["daten/sozialraum.user.jsonl"].replace(
        b"admin-export", b"admin-fremd!"
    )
    changed = _repack(members, tmp_path / "geaendert.tar.gz")

    with pytest.raises(
        ArchiveInvalid, match=r"Prüfsumme falsch für „daten/sozialraum\.user\.jsonl“"
    ):
        _unpack(changed)


def test_a_duplicated_identifier_is_refused_even_with_a_matching_manifest(plain_archive, tmp_path):
    members = _members(plain_archive)
    name = "daten/sozialraum.user.jsonl"
    lines = members[name].splitlines(keepends=True)
    members[name] = b"".join([*lines, lines[-1]])
    manifest = json.loads(members["manifest.json"])
    manifest["members"][name]["sha256"] = hashlib.sha256(members[name]).hexdigest()
    next(t for t in manifest["tables"] if t["member"] == name)["records"] += 1
    members["manifest.json"] = json.dumps(manifest).encode()
    changed = _repack(members, tmp_path / "doppelt.tar.gz")

    with pytest.raises(
        ArchiveInvalid, match=r"sozialraum.user, Datensatz 7: die Kennung \d+ ist doppelt"
    ):
        _unpack(changed)


def test_a_missing_member_and_a_cut_archive_are_refused(plain_archive, tmp_path):
    members = _members(plain_archive)
    del members["daten/sozialraum.user.jsonl"]
    with pytest.raises(ArchiveInvalid, match=r"Im Archiv fehlt „daten/sozialraum\.user\.jsonl“"):
        _unpack(_repack(members, tmp_path / "luecke.tar.gz"))

    cut = tmp_path / "abgeschnitten.tar.gz"
    cut.write_bytes(plain_archive.read_bytes()[:-200])
    with pytest.raises(ArchiveInvalid, match="unvollständig oder beschädigt"):
        _unpack(cut)


def test_other_files_and_missing_keys_are_named(plain_archive, tmp_path, small_encrypted):
    other = tmp_path / "liste.csv"
    other.write_text("name;vorname\n")
    with pytest.raises(ArchiveInvalid, match="kein Exportarchiv des Portals"):
        _unpack(other)
    with pytest.raises(ArchiveInvalid, match="Das Archiv ist verschlüsselt"):
        _unpack(small_encrypted)
    with pytest.raises(ArchiveInvalid, match="nicht verschlüsselt, es wurde aber ein Schlüssel"):
        _unpack(plain_archive, key="irgendeine Passphrase")


@pytest.fixture
def small_encrypted(tmp_path) -> Path:
    path = tmp_path / "x.srx"
    with path.open("wb") as target:
        writer = crypto.EncryptingWriter(target, key="eine lange Passphrase")
        writer.write(b"x" * 10)
        writer.close()
    return path


def test_an_unencrypted_import_needs_no_key_but_refuses_a_filled_target(plain_archive):
    with pytest.raises(ArchiveInvalid, match="nicht leer"):
        instance_import_from_file(path=plain_archive, key=None)


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK - 1, crypto.CHUNK, 3 * crypto.CHUNK + 5])
def test_stream_encryption_round_trips_with_a_key_pair(size):
    public, private = crypto.keypair_generate()
    plain = os.urandom(size)
    sealed = io.BytesIO()
    writer = crypto.EncryptingWriter(sealed, key=public)
    for start in range(0, size, 7000):
        writer.write(plain[start : start + 7000])
    writer.close()

    sealed.seek(0)
    assert crypto.DecryptingReader(sealed, key=private).read() == plain
    # The last chunk carries the last-flag: dropping it (a whole chunk) is noticed.
    if size >= crypto.CHUNK:
        cut = io.BytesIO(sealed.getvalue()[: -(size % crypto.CHUNK) - crypto.TAG])
        with pytest.raises(crypto.ArchiveDamaged):
            crypto.DecryptingReader(cut, key=private).read()


def test_key_pair_and_passphrase_archives_want_their_own_key():
    public, _private = crypto.keypair_generate()
    _other_public, other_private = crypto.keypair_generate()
    sealed = io.BytesIO()
    writer = crypto.EncryptingWriter(sealed, key=public)
    writer.write(b"Sozialdaten")
    writer.close()
    for key, message in [
        (other_private, "Der Schlüssel passt nicht"),
        ("eine Passphrase statt Schlüssel", "mit einem öffentlichen Schlüssel verschlüsselt"),
    ]:
        sealed.seek(0)
        with pytest.raises(crypto.ArchiveKeyError, match=message):
            crypto.DecryptingReader(sealed, key=key)
    with pytest.raises(ValueError, match="Passphrase ist zu kurz"):
        crypto.EncryptingWriter(io.BytesIO(), key="kurz")
    with pytest.raises(ValueError, match="kein öffentlicher Exportschlüssel"):
        crypto.public_key_parse("ssh-rsa AAAA")
