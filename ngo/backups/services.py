"""Backing up and restoring a whole Hamkke: its database, its private files and the
check that the running field keys read them. The management commands `backup` and
`restore` call these; both write an audit event (no personal data, no values)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.backups.archive import (
    FORMAT,
    PRIVATE_PART,
    extract_private_files,
    opened,
    spool_private_files,
    verify_checksums,
    write_archive,
)
from ngo.backups.databases import Database, target_alias
from ngo.backups.exceptions import BackupError
from ngo.backups.stream import Spool, parse_key
from ngo.backups.verify import SampleCheck, running_fingerprints, sample_check

OBJECT_TYPE = "backups.archive"
KEYS_NOTE = "Fingerprints only: the field keys are kept apart from the backups."


@dataclass
class BackupReport:
    path: Path
    size: int
    encrypted: bool
    engine: str
    tables: int
    files: int
    fingerprint: str


@dataclass
class RestoreReport:
    created_at: str
    engine: str
    tables: int
    files: int
    sample: SampleCheck
    pending_migrations: int
    missing_old_keys: list[str]
    replaced: bool


def _code_version() -> str:
    try:
        found = subprocess.run(  # noqa: S603
            ["git", "-C", str(settings.BASE_DIR), "describe", "--always", "--dirty"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return found.stdout.strip() or "unknown"


def _applied_migrations(database: Database) -> list[str]:
    applied = MigrationRecorder(database.connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def backup_create(
    *, output: Path, backup_key: str = "", unencrypted: bool = False, work_dir: Path | None = None
) -> BackupReport:
    """Write one archive of the database and the private files to `output`,
    encrypted with `backup_key` unless `unencrypted` is asked for explicitly."""
    if not backup_key and not unencrypted:
        raise BackupError(
            _(
                "Set HAMKKE_BACKUP_KEY (python manage.py backup --generate-key makes one), "
                "or pass --unencrypted to write a plain archive you protect yourself."
            )
        )
    key = parse_key(backup_key) if backup_key else None
    directory = Path(work_dir or output.parent)
    if not output.parent.is_dir() or not directory.is_dir():
        raise BackupError(
            _("The folder %(folder)s does not exist.")
            % {"folder": directory if output.parent.is_dir() else output.parent}
        )
    database = Database()
    with transaction.atomic():
        audit_record(action=AuditAction.EXPORT, object_type=OBJECT_TYPE, reason="backup")
    private_root = Path(settings.PRIVATE_MEDIA_ROOT)
    dump, files = Spool(directory), Spool(directory)
    try:
        database.dump(dump)
        # The files are copied after the database: a document stored meanwhile is
        # an unused file in the copy, never a record without its file.
        file_count = spool_private_files(private_root, files)
        parts = [(database.dump_part, dump), (PRIVATE_PART, files)]
        checksums = {name: spool.finish() for name, spool in parts}
        tables = len(database.table_names())
        fingerprints = running_fingerprints()
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "hamkke": {"code": _code_version(), "migrations": _applied_migrations(database)},
            "database": {
                "engine": database.vendor,
                "server_version": database.server_version(),
                "tables": tables,
            },
            "private_files": {"count": file_count},
            "field_keys": {"fingerprints": fingerprints, "note": KEYS_NOTE},
            "parts": {
                name: {"sha256": checksums[name], "size": spool.size} for name, spool in parts
            },
        }
        size = write_archive(output, manifest=manifest, parts=parts, key=key)
    finally:
        dump.discard()
        files.discard()
    return BackupReport(
        path=output,
        size=size,
        encrypted=key is not None,
        engine=database.vendor,
        tables=tables,
        files=file_count,
        fingerprint=fingerprints[0],
    )


def _check_keys(manifest: dict) -> list[str]:
    """Refuse unless the running keys include the key the backup's data was written
    with; returns the fingerprints of older keys of the backup that are missing."""
    fingerprints = manifest.get("field_keys", {}).get("fingerprints") or [""]
    running = running_fingerprints()
    if fingerprints[0] not in running:
        raise BackupError(
            _(
                "The running FIELD_ENCRYPTION_KEY cannot decrypt this backup: it was made "
                "with the key %(backup)s, the running keys are %(running)s. Set "
                "FIELD_ENCRYPTION_KEY to the keys kept for this backup and try again."
            )
            % {"backup": fingerprints[0] or "?", "running": ", ".join(running)}
        )
    return [fingerprint for fingerprint in fingerprints[1:] if fingerprint not in running]


def _check_migrations(manifest: dict) -> int:
    """Refuse a backup made by a newer Hamkke; returns how many migrations of this
    code the backup has not had (to run with `migrate` after the restore)."""
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    applied = set(manifest.get("hamkke", {}).get("migrations", []))
    unknown = sorted(applied - known)
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer Hamkke (%(count)d migrations this code "
                "does not have, e.g. %(example)s): install that release, then restore."
            )
            % {"count": len(unknown), "example": unknown[0]}
        )
    return len(known - applied)


def _check_target_empty(target: Database, private_root: Path) -> None:
    if target.table_names():
        raise BackupError(
            _(
                "The target database is not empty. Restore into a new, empty database, "
                "or pass --replace to overwrite this one."
            )
        )
    if private_root.is_dir() and any(path.is_file() for path in private_root.rglob("*")):
        raise BackupError(
            _(
                "The private files folder %(folder)s is not empty. Restore into an empty "
                "folder, or pass --replace to write over it."
            )
            % {"folder": private_root}
        )


def backup_restore(
    *,
    archive: Path,
    backup_key: str = "",
    database_url: str = "",
    private_root: Path | None = None,
    replace: bool = False,
) -> RestoreReport:
    """Check `archive` (manifest, keys, checksums), restore it into the configured
    database (or the one `database_url` names) and private files folder, then
    decrypt a sample with the running keys; a restore they cannot read is undone."""
    key = parse_key(backup_key) if backup_key else None
    root = Path(private_root or settings.PRIVATE_MEDIA_ROOT)
    alias = target_alias(database_url)
    with opened(archive, key) as reader:
        manifest = reader.manifest
    missing_old_keys = _check_keys(manifest)
    pending = _check_migrations(manifest)
    target = Database(alias)
    engine = manifest.get("database", {}).get("engine")
    if engine != target.vendor:
        raise BackupError(
            _("This backup holds a %(backup)s database; the target is %(target)s.")
            % {"backup": engine, "target": target.vendor}
        )
    if not replace:
        _check_target_empty(target, root)
    verify_checksums(archive, key)
    written = []
    with opened(archive, key) as reader:
        for name, content in reader.parts():
            if name == target.dump_part:
                target.restore(content, replace=replace)
            elif name == PRIVATE_PART:
                written = extract_private_files(content, root)
    check = sample_check(target.alias, root)
    if not check.ok:
        if not replace:
            target.empty()
            for path in written:
                path.unlink(missing_ok=True)
        raise BackupError(
            _(
                "The running FIELD_ENCRYPTION_KEY does not decrypt the restored data "
                "(%(failed)s). %(undone)s Set FIELD_ENCRYPTION_KEY to every key that was "
                "in use when the backup was made and try again."
            )
            % {
                "failed": ", ".join(check.failed),
                "undone": _("The restore was undone.")
                if not replace
                else _("The target now holds data these keys cannot read."),
            }
        )
    with transaction.atomic(using=target.alias):
        audit_record(
            action=AuditAction.CREATE, object_type=OBJECT_TYPE, reason="restore", using=target.alias
        )
    return RestoreReport(
        created_at=manifest.get("created_at", ""),
        engine=target.vendor,
        tables=len(target.table_names()),
        files=len(written),
        sample=check,
        pending_migrations=pending,
        missing_old_keys=missing_old_keys,
        replaced=replace,
    )
