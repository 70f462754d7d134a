"""Encrypted archive files, and encrypted spool files for the parts of an archive
being assembled.

The format is the STREAM construction of age: a header (magic and a random salt),
then the content in 64 KiB chunks, each sealed with AES-256-GCM under a key derived
from the backup key and the salt (HKDF-SHA256). The nonce of a chunk is its number
and a flag on the last one, so chunks cannot be reordered, dropped or cut off
without the decryption failing.

The backup key is 32 random bytes in url-safe base64 (the shape of a Fernet key;
`manage.py backup --generate-key` prints one).
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext as _

from ngo.backups.exceptions import BackupError

MAGIC = b"HAMKKE-BACKUP-ENCRYPTED-1\n"
SALT_BYTES = 16
CHUNK = 64 * 1024
SEALED_CHUNK = CHUNK + 16


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(raw: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError(
            _(
                "HAMKKE_BACKUP_KEY must be 32 bytes in url-safe base64; "
                "make one with: python manage.py backup --generate-key"
            )
        )
    return key


def _aead(key: bytes, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"hamkke backup v1")
    return AESGCM(hkdf.derive(key))


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_exactly(raw: BinaryIO, size: int) -> bytes:
    parts, missing = [], size
    while missing:
        part = raw.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


class EncryptingWriter(io.RawIOBase):
    """Write plaintext, get the encrypted stream in `raw`. close() seals the last
    chunk (and leaves `raw` open)."""

    def __init__(self, raw: BinaryIO, key: bytes):
        salt = os.urandom(SALT_BYTES)
        raw.write(MAGIC + salt)
        self._raw, self._aead = raw, _aead(key, salt)
        self._buffer = bytearray()
        self._counter = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        # A full chunk is sealed only once more data follows: the last chunk is
        # never empty unless the whole stream is.
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        self._raw.write(self._aead.encrypt(_nonce(self._counter, last), chunk, None))
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """Read the plaintext of an encrypted stream whose header has been read already
    (`salt` is the one after the magic)."""

    def __init__(self, raw: BinaryIO, key: bytes, salt: bytes, *, owns_raw: bool = False):
        self._raw, self._aead, self._owns_raw = raw, _aead(key, salt), owns_raw
        self._plain = bytearray()
        self._counter = 0
        self._ahead = _read_exactly(raw, SEALED_CHUNK)
        self._done = False

    def readable(self) -> bool:
        return True

    def _open_next(self) -> None:
        sealed = self._ahead
        self._ahead = _read_exactly(self._raw, SEALED_CHUNK) if sealed else b""
        last = not self._ahead
        try:
            self._plain += self._aead.decrypt(_nonce(self._counter, last), sealed, None)
        except InvalidTag:
            raise BackupError(
                _("The archive is damaged or was not encrypted with this backup key.")
            ) from None
        self._counter += 1
        self._done = last

    def close(self) -> None:
        if self._owns_raw:
            self._raw.close()
        super().close()

    def readinto(self, buffer) -> int:
        while not self._plain and not self._done:
            self._open_next()
        size = min(len(buffer), len(self._plain))
        buffer[:size] = self._plain[:size]
        del self._plain[:size]
        return size


def open_encrypted(raw: BinaryIO, key: bytes | None, *, owns_raw: bool = False) -> BinaryIO:
    """`raw` positioned at the start of a file: its plaintext, decrypted when the
    file is encrypted (which needs `key`), else `raw` itself."""
    head = _read_exactly(raw, len(MAGIC))
    if head != MAGIC:
        raw.seek(0)
        return raw
    if key is None:
        raise BackupError(
            _("The archive is encrypted: set HAMKKE_BACKUP_KEY to the key it was made with.")
        )
    salt = _read_exactly(raw, SALT_BYTES)
    reader = DecryptingReader(raw, key, salt, owns_raw=owns_raw)
    return io.BufferedReader(reader, buffer_size=CHUNK)


class Spool:
    """A part of an archive being assembled, kept on disk encrypted under a key that
    only this process knows (so no plaintext dump is ever left in a folder), with
    its size and SHA-256 counted as it is written."""

    def __init__(self, directory: Path):
        import hashlib

        handle, name = tempfile.mkstemp(dir=directory, prefix=".hamkke-spool-")
        self.path = Path(name)
        self._file = os.fdopen(handle, "wb")
        self._key = os.urandom(32)
        self._writer = EncryptingWriter(self._file, self._key)
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        return self._writer.write(data)

    def finish(self) -> str:
        """Close for writing; returns the SHA-256 of what was written."""
        self._writer.close()
        self._file.close()
        return self._hash.hexdigest()

    def open(self) -> BinaryIO:
        return open_encrypted(self.path.open("rb"), self._key, owns_raw=True)

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)
