"""Uploaded files: encrypted with the field keys (FIELD_ENCRYPTION_KEY), kept
under PRIVATE_MEDIA_ROOT and never served by the web server. One place to store,
read, delete and re-encrypt them, for every app.

Each app keeps its files in its own `area` (a folder under PRIVATE_MEDIA_ROOT;
"" is the root, where case documents live). A model with stored files defines
`rotate_encrypted_files()` calling `rotate()`, so that `rotate_field_key`
re-encrypts them with the new key.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def path(area: str, storage_name: str) -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return (root / area if area else root) / storage_name[:2] / storage_name


def store(area: str, data: bytes) -> str:
    """Encrypt and write `data`; returns the storage name to keep on the record."""
    storage_name = uuid.uuid4().hex
    target = path(area, storage_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(fernet().encrypt(data))
    return storage_name


@contextmanager
def stored(area: str, data: bytes) -> Iterator[str]:
    """Store `data` for the block that saves its record; if the block fails the
    file goes again, so nothing is left half-saved."""
    storage_name = store(area, data)
    try:
        yield storage_name
    except BaseException:
        delete(area, storage_name)
        raise


def read(area: str, storage_name: str) -> bytes:
    return fernet().decrypt(path(area, storage_name).read_bytes())


def exists(area: str, storage_name: str) -> bool:
    return bool(storage_name) and path(area, storage_name).exists()


def delete(area: str, storage_name: str) -> None:
    if storage_name:
        path(area, storage_name).unlink(missing_ok=True)


def rotate(area: str, storage_names: Iterable[str]) -> int:
    """Re-encrypt the given files with the first key; returns how many."""
    keys, count = fernet(), 0
    for storage_name in storage_names:
        if not storage_name:
            continue
        current = path(area, storage_name)
        if not current.exists():
            continue
        temporary = current.with_suffix(".rotating")
        temporary.write_bytes(keys.rotate(current.read_bytes()))
        temporary.replace(current)
        count += 1
    return count


def detect_type(head: bytes) -> str | None:
    """The MIME type read from a file's first bytes (never from its name)."""
    import filetype

    kind = filetype.guess(head)
    return kind.mime if kind is not None else None
