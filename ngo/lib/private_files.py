"""Uploaded files: encrypted with the field keys (FIELD_ENCRYPTION_KEY), kept
under PRIVATE_MEDIA_ROOT and never served by the web server. One place to store,
read, delete and re-encrypt them, for every app.

Each app keeps its files in its own `area` (a folder under PRIVATE_MEDIA_ROOT;
"" is the root, where case documents live). A model with stored files inherits
`PrivateFileModel` and names its area and the field holding the storage name;
`rotate_field_key` re-encrypts the files of every such model with the new key.

    class Document(PrivateFileModel):
        file_area = ""
        file_field = "storage_name"
        storage_name = models.CharField(max_length=64)
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from cryptography.fernet import Fernet, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models


def fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])


def path(area: str, storage_name: str, *, root: Path | None = None) -> Path:
    """Where a stored file lives, under PRIVATE_MEDIA_ROOT (or another `root`, e.g.
    a folder a backup is being restored into)."""
    root = Path(root or settings.PRIVATE_MEDIA_ROOT)
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


class PrivateFileModel(models.Model):
    """A record that owns one stored file: its area and the field that holds the
    storage name ("" when the record has no file)."""

    file_area: ClassVar[str] = ""
    file_field: ClassVar[str] = "storage_name"

    class Meta:
        abstract = True

    @property
    def stored_name(self) -> str:
        return getattr(self, self.file_field) or ""

    def read_file(self) -> bytes:
        return read(self.file_area, self.stored_name)

    def has_file(self) -> bool:
        return exists(self.file_area, self.stored_name)

    def file_path(self) -> Path:
        return path(self.file_area, self.stored_name)

    @classmethod
    def rotate_encrypted_files(cls) -> int:
        """Re-encrypt every stored file of this model with the first key."""
        names = (
            cls._default_manager.exclude(**{cls.file_field: ""})
            .values_list(cls.file_field, flat=True)
            .iterator()
        )
        return rotate(cls.file_area, names)


def models_with_files() -> list[type[PrivateFileModel]]:
    return [model for model in apps.get_models() if issubclass(model, PrivateFileModel)]
