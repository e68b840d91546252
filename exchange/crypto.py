"""Streaming encryption of instance archives: AES-256-GCM in chunks ("STREAM" construction).

Why this and not Fernet: Fernet encrypts one message held in memory and carries no notion of a
last chunk, so a 2 GB archive would need 2 GB of RAM and a cut-off archive could pass unnoticed.
Here the archive is cut into 64 KiB chunks, each sealed with AES-GCM from `cryptography` (the
Python Cryptographic Authority's library, OpenSSL underneath). The nonce of chunk i is
prefix (7 random bytes) ‖ i (4 bytes) ‖ last-flag (1 byte), and the file header is the
associated data of every chunk — the scheme of Hoang, Reyhanitabar, Rogaway and Vizár ("online
authenticated encryption", 2015), as used by age and Tink. So a swapped, dropped, reordered or
appended chunk, an edited header and a truncated file all fail authentication.

The administrator provides the key in one of two ways:
- a passphrase (command line; scrypt with n=2^15, r=8, p=1 turns it into the key), or
- a public key ("srx-pub-…", X25519, from `manage.py exchange_keygen`): the portal encrypts to it
  and never holds anything that decrypts — which is what the export page uses, so no secret
  ever passes through the browser form, the database or the task queue. Importing needs the
  matching private key ("srx-key-…").

A key check tag in the header tells "wrong key" apart from "archive damaged".
"""

import base64
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"SRX1"
MODE_PASSPHRASE = 1
MODE_PUBLIC_KEY = 2
CHUNK = 64 * 1024
TAG = 16
PUBLIC_PREFIX = "srx-pub-"
PRIVATE_PREFIX = "srx-key-"
MIN_PASSPHRASE = 12
_CHECK_COUNTER = 0xFFFFFFFF


class ArchiveKeyError(Exception):
    """The key does not open this archive (German message)."""


class ArchiveDamaged(Exception):
    """The archive is cut off or changed (German message)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def keypair_generate() -> tuple[str, str]:
    """(public key, private key) as text for the administrator to keep."""
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return PUBLIC_PREFIX + _b64(raw_public), PRIVATE_PREFIX + _b64(raw_private)


def public_key_parse(text: str) -> bytes:
    """The 32 bytes of a public key; ValueError with a German message when it is none."""
    text = text.strip()
    if not text.startswith(PUBLIC_PREFIX):
        raise ValueError(
            f"Das ist kein öffentlicher Exportschlüssel (er beginnt mit „{PUBLIC_PREFIX}“; "
            "erzeugt mit „manage.py exchange_keygen“)."
        )
    try:
        raw = _unb64(text[len(PUBLIC_PREFIX) :])
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ValueError("Der öffentliche Schlüssel ist unvollständig oder verändert.")
    return raw


def _private_key_parse(text: str) -> X25519PrivateKey:
    try:
        raw = _unb64(text.strip()[len(PRIVATE_PREFIX) :])
        return X25519PrivateKey.from_private_bytes(raw)
    except ValueError:
        raise ArchiveKeyError(
            "Der private Schlüssel ist unvollständig oder verändert (er beginnt mit "
            f"„{PRIVATE_PREFIX}“)."
        ) from None


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def _hkdf(shared: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"sozialraum-srx1").derive(
        shared
    )


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written comes out encrypted into `target`."""

    def __init__(self, target: BinaryIO, *, key: str) -> None:
        prefix = os.urandom(7)
        if key.strip().startswith(PUBLIC_PREFIX):
            recipient = public_key_parse(key)
            ephemeral = X25519PrivateKey.generate()
            ephemeral_public = ephemeral.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
            file_key = _hkdf(shared, ephemeral_public + recipient)
            params = bytes([MODE_PUBLIC_KEY]) + ephemeral_public
        else:
            if len(key) < MIN_PASSPHRASE:
                raise ValueError(
                    f"Die Passphrase ist zu kurz: mindestens {MIN_PASSPHRASE} Zeichen."
                )
            salt = os.urandom(16)
            file_key = _scrypt(key, salt)
            params = bytes([MODE_PASSPHRASE]) + salt
        self._aead = AESGCM(file_key)
        self._prefix = prefix
        head = MAGIC + params + prefix
        check = self._aead.encrypt(_nonce(prefix, _CHECK_COUNTER, True), b"", head)
        self._header = head + check
        self._target = target
        self._target.write(self._header)
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            # Every full chunk goes out now; the last chunk is always shorter than a full one
            # (possibly empty) and sealed with the last-flag by close(), which is how the reader
            # knows the end without a length field.
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._target.write(self._aead.encrypt(nonce, chunk, self._header))
        self._counter += 1

    def flush(self) -> None:
        self._target.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self.closed = True


def _header_read(source: BinaryIO, key: str) -> tuple[AESGCM, bytes, bytes]:
    damaged = ArchiveDamaged("Die Archivdatei ist beschädigt: ihr Kopf ist unvollständig.")
    magic = source.read(4)
    if magic != MAGIC:
        raise damaged
    mode = source.read(1)
    if mode == bytes([MODE_PASSPHRASE]):
        salt = source.read(16)
        prefix = source.read(7)
        if len(salt) != 16 or len(prefix) != 7:
            raise damaged
        if key.strip().startswith(PRIVATE_PREFIX):
            raise ArchiveKeyError(
                "Dieses Archiv ist mit einer Passphrase verschlüsselt, nicht mit einem "
                "Schlüsselpaar. Bitte die Passphrase angeben."
            )
        file_key = _scrypt(key, salt)
        head = MAGIC + mode + salt + prefix
    elif mode == bytes([MODE_PUBLIC_KEY]):
        ephemeral_public = source.read(32)
        prefix = source.read(7)
        if len(ephemeral_public) != 32 or len(prefix) != 7:
            raise damaged
        if not key.strip().startswith(PRIVATE_PREFIX):
            raise ArchiveKeyError(
                "Dieses Archiv ist mit einem öffentlichen Schlüssel verschlüsselt. Bitte den "
                f"privaten Schlüssel („{PRIVATE_PREFIX}…“) angeben."
            )
        private = _private_key_parse(key)
        recipient = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        file_key = _hkdf(shared, ephemeral_public + recipient)
        head = MAGIC + mode + ephemeral_public + prefix
    else:
        raise damaged
    check = source.read(TAG)
    aead = AESGCM(file_key)
    try:
        aead.decrypt(_nonce(prefix, _CHECK_COUNTER, True), check, head)
    except InvalidTag:
        raise ArchiveKeyError(
            "Der Schlüssel passt nicht zu diesem Archiv (falsche Passphrase oder falscher "
            "privater Schlüssel). Es wurde nichts importiert."
        ) from None
    return aead, prefix, head + check


class DecryptingReader:
    """A read-only file object over an encrypted archive; raises ArchiveKeyError or
    ArchiveDamaged (German messages) as soon as something does not authenticate."""

    def __init__(self, source: BinaryIO, *, key: str) -> None:
        self._source = source
        self._aead, self._prefix, self._header = _header_read(source, key)
        self._buffer = bytearray()
        self._counter = 0
        self._done = False

    def _next_chunk(self) -> None:
        sealed = self._source.read(CHUNK + TAG)
        last = len(sealed) < CHUNK + TAG
        try:
            plain = self._aead.decrypt(
                _nonce(self._prefix, self._counter, last), sealed, self._header
            )
        except InvalidTag:
            raise ArchiveDamaged(
                "Die Archivdatei ist unvollständig oder verändert (Prüfung von Block "
                f"{self._counter + 1} fehlgeschlagen). Es wurde nichts importiert."
            ) from None
        self._counter += 1
        self._buffer += plain
        self._done = last

    def read(self, size: int = -1) -> bytes:
        while (size < 0 or len(self._buffer) < size) and not self._done:
            self._next_chunk()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data
