"""The archive: a tar file (encrypted with the backup key, or plain) holding
`manifest.json` first, then the database dump and `private.tar`, the private files.
The manifest lists every other part with its size and SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from ngo.backups.exceptions import BackupError
from ngo.backups.stream import CHUNK, EncryptingWriter, Spool, open_encrypted

FORMAT = 1
MANIFEST = "manifest.json"
PRIVATE_PART = "private.tar"
NOT_AN_ARCHIVE = "This file is not a Hamkke backup archive."


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    return info


def _anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
    return info.replace(uid=0, gid=0, uname="", gname="", mode=0o600, deep=False)


def write_archive(output: Path, *, manifest: dict, parts: list[tuple[str, Spool]], key) -> int:
    """Write the archive next to `output` and move it there once complete (readable
    by its owner only); returns its size in bytes."""
    partial = output.with_name(output.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            sink = EncryptingWriter(raw, key) if key else raw
            with tarfile.open(fileobj=sink, mode="w|") as tar:
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                tar.addfile(_info(MANIFEST, len(body)), io.BytesIO(body))
                for name, spool in parts:
                    with spool.open() as content:
                        tar.addfile(_info(name, spool.size), content)
            if key:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return output.stat().st_size


def spool_private_files(root: Path, spool: Spool) -> int:
    """Put every stored file under `root` into a tar in `spool`; returns how many."""
    count = 0
    with tarfile.open(fileobj=spool, mode="w|") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink() and path.suffix != ".rotating":
                    name = path.relative_to(root).as_posix()
                    tar.add(path, arcname=name, recursive=False, filter=_anonymous)
                    count += 1
    return count


def extract_private_files(content: BinaryIO, root: Path) -> list[Path]:
    """Unpack `private.tar` under `root`; returns the files written."""
    root.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with tarfile.open(fileobj=content, mode="r|") as tar:
            for member in tar:
                if member.isfile():
                    tar.extract(member, root, filter="data")
                    written.append(root / member.name)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(
            _("The private files could not be restored: %(reason)s") % {"reason": exc}
        ) from None
    return written


class Archive:
    """An archive being read from the start: its manifest, then its parts in order."""

    def __init__(self, tar: tarfile.TarFile):
        self._tar = tar
        self._members = iter(tar)
        first = next(self._members, None)
        if first is None or first.name != MANIFEST or not first.isfile():
            raise BackupError(_(NOT_AN_ARCHIVE))
        try:
            self.manifest = json.loads(tar.extractfile(first).read())
        except ValueError:
            raise BackupError(_(NOT_AN_ARCHIVE)) from None
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise BackupError(_("This archive was written in a format this Hamkke does not read."))

    def parts(self) -> Iterator[tuple[str, BinaryIO]]:
        try:
            for member in self._members:
                if member.isfile():
                    yield member.name, self._tar.extractfile(member)
        except (tarfile.TarError, EOFError, OSError):
            raise BackupError(_("The archive is damaged: it ends before its last part.")) from None


@contextmanager
def opened(path: Path, key: bytes | None) -> Iterator[Archive]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise BackupError(
            _("Cannot read the archive: %(reason)s") % {"reason": exc.strerror}
        ) from None
    with raw:
        content = open_encrypted(raw, key)
        try:
            tar = tarfile.open(fileobj=content, mode="r|")  # noqa: SIM115 - closed below
        except (tarfile.TarError, EOFError):
            raise BackupError(_(NOT_AN_ARCHIVE)) from None
        with tar:
            yield Archive(tar)


def verify_checksums(path: Path, key: bytes | None) -> None:
    """Read the whole archive once and compare every part with its manifest entry."""
    with opened(path, key) as archive:
        expected = archive.manifest.get("parts", {})
        seen = set()
        for name, content in archive.parts():
            if name not in expected:
                raise BackupError(
                    _("The archive holds a part its manifest does not list (%(part)s).")
                    % {"part": name}
                )
            digest = hashlib.sha256()
            for chunk in iter(lambda content=content: content.read(CHUNK), b""):
                digest.update(chunk)
            if digest.hexdigest() != expected[name].get("sha256"):
                raise BackupError(
                    _(
                        "The checksum of %(part)s does not match the manifest: the archive "
                        "is damaged. Restore from another copy."
                    )
                    % {"part": name}
                )
            seen.add(name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(
                _("The archive is incomplete: %(parts)s missing.") % {"parts": ", ".join(missing)}
            )
