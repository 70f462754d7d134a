"""The database a backup is taken from or restored into: PostgreSQL through
pg_dump and pg_restore (custom format), SQLite through its online backup API."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

from ngo.backups.exceptions import BackupError
from ngo.backups.stream import CHUNK
from ngo.lib import env as envlib

TARGET_ALIAS = "backup_target"
DUMP_PARTS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


def target_alias(url: str = "") -> str:
    """The connection alias of the database to restore into: the configured one, or
    the one `url` names (registered under TARGET_ALIAS)."""
    if not url:
        return DEFAULT_DB_ALIAS
    try:
        config = envlib.database_from_url(url, name="--database-url")
    except envlib.SettingsError:
        raise BackupError(
            _("The target database address must start with postgres:// or sqlite:///.")
        ) from None
    forget_target()
    default = dict(connections.settings[DEFAULT_DB_ALIAS])
    full = connections.configure_settings({DEFAULT_DB_ALIAS: default, TARGET_ALIAS: config})
    connections.settings[TARGET_ALIAS] = full[TARGET_ALIAS]
    return TARGET_ALIAS


def forget_target() -> None:
    if TARGET_ALIAS in connections.settings:
        connections[TARGET_ALIAS].close()
        del connections[TARGET_ALIAS]
        del connections.settings[TARGET_ALIAS]


def _reason(errors: BinaryIO) -> str:
    errors.seek(0)
    lines = errors.read().decode(errors="replace").strip().splitlines()
    return " ".join(lines[-3:])[:500]


def _major_version(program: str) -> int:
    output = subprocess.run(  # noqa: S603 - a PostgreSQL client program found on disk
        [program, "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"\)\s+(\d+)", output)
    return int(found.group(1)) if found else 0


def pg_program(name: str, server_major: int) -> str:
    """pg_dump or pg_restore for a server of this major version: HAMKKE_PG_BIN,
    else the Debian/Ubuntu folder of that version, else one on PATH at least as new."""
    if settings.BACKUP_PG_BIN:
        candidate = Path(settings.BACKUP_PG_BIN) / name
        if not candidate.is_file():
            raise BackupError(
                _("HAMKKE_PG_BIN (%(folder)s) has no %(program)s.")
                % {"folder": settings.BACKUP_PG_BIN, "program": name}
            )
        return str(candidate)
    candidate = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if found and _major_version(found) >= server_major:
        return found
    raise BackupError(
        _(
            "No %(program)s for PostgreSQL %(major)s was found: install the PostgreSQL "
            "%(major)s client programs or set HAMKKE_PG_BIN to their folder."
        )
        % {"program": name, "major": server_major}
    )


class Database:
    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        self.alias = alias
        self.connection = connections[alias]
        try:
            self.connection.ensure_connection()
        except DatabaseError as exc:
            raise BackupError(
                _("Cannot connect to the database: %(reason)s")
                % {"reason": str(exc).strip().splitlines()[0][:300]}
            ) from None

    @property
    def vendor(self) -> str:
        return self.connection.vendor

    @property
    def dump_part(self) -> str:
        return DUMP_PARTS[self.vendor]

    def server_version(self) -> str:
        if self.vendor == "postgresql":
            return str(self.connection.pg_version)
        return sqlite3.sqlite_version

    def table_names(self) -> list[str]:
        with self.connection.cursor() as cursor:
            return self.connection.introspection.table_names(cursor)

    # --- PostgreSQL ---------------------------------------------------------------

    def _pg_program(self, name: str) -> str:
        return pg_program(name, self.connection.pg_version // 10000)

    def _pg_environment(self) -> dict[str, str]:
        values = self.connection.settings_dict
        environment = dict(os.environ)
        for key, variable in (
            ("HOST", "PGHOST"),
            ("PORT", "PGPORT"),
            ("USER", "PGUSER"),
            ("PASSWORD", "PGPASSWORD"),
        ):
            if values.get(key):
                environment[variable] = str(values[key])
        for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
            if values.get("OPTIONS", {}).get(option):
                environment[f"PG{option.upper()}"] = str(values["OPTIONS"][option])
        return environment

    def _pg_dump(self, sink) -> None:
        command = [
            self._pg_program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--dbname={self.connection.settings_dict['NAME']}",
        ]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                command, stdout=subprocess.PIPE, stderr=errors, env=self._pg_environment()
            )
            for chunk in iter(lambda: process.stdout.read(CHUNK), b""):
                sink.write(chunk)
            if process.wait() != 0:
                raise BackupError(_("pg_dump failed: %(reason)s") % {"reason": _reason(errors)})

    def _pg_restore(self, source: BinaryIO, *, replace: bool) -> None:
        command = [
            self._pg_program("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={self.connection.settings_dict['NAME']}",
            *(["--clean", "--if-exists"] if replace else []),
        ]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env=self._pg_environment(),
            )
            try:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    process.stdin.write(chunk)
                process.stdin.close()
            except BrokenPipeError:
                pass  # pg_restore stopped early; its exit status and message say why
            if process.wait() != 0:
                raise BackupError(_("pg_restore failed: %(reason)s") % {"reason": _reason(errors)})

    # --- Both ---------------------------------------------------------------------

    def dump(self, sink) -> None:
        """Write a consistent copy of the whole database to `sink`."""
        if self.vendor == "postgresql":
            self._pg_dump(sink)
            return
        copy = sqlite3.connect(":memory:")
        try:
            self.connection.connection.backup(copy)
            data = bytearray(copy.serialize())
            # The copy keeps the source's write-ahead-log flags (header bytes 18-19),
            # which a database loaded into memory cannot open: mark it a plain file.
            data[18:20] = b"\x01\x01"
            sink.write(bytes(data))
        finally:
            copy.close()

    def restore(self, source: BinaryIO, *, replace: bool) -> None:
        """Load a dump made by `dump` (from the same engine) into this database."""
        if self.vendor == "postgresql":
            self._pg_restore(source, replace=replace)
        else:
            copy = sqlite3.connect(":memory:")
            try:
                copy.deserialize(source.read())
                copy.backup(self.connection.connection)
            except sqlite3.DatabaseError as exc:
                raise BackupError(
                    _("The SQLite copy could not be restored: %(reason)s") % {"reason": exc}
                ) from None
            finally:
                copy.close()
        # Connections opened before the restore may have cached the empty schema.
        self.connection.close()

    def empty(self) -> None:
        """Remove everything a restore put into a database that was empty before."""
        if self.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")
        else:
            blank = sqlite3.connect(":memory:")
            try:
                self.connection.ensure_connection()
                blank.backup(self.connection.connection)
            finally:
                blank.close()
        self.connection.close()
