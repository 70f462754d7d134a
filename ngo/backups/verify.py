"""Do the running field keys read a backup? A fingerprint of each key goes into the
manifest (never the key: the keys are kept apart from the backups), and after a
restore a sample of the encrypted columns and stored files is decrypted for real."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connections

from ngo.lib import private_files
from ngo.lib.crypto import encrypted_fields_by_model

SAMPLE = 10  # values from each end of each column, oldest and newest


def key_fingerprint(key: str) -> str:
    """A short keyed digest that tells two keys apart and reveals nothing of them."""
    raw = base64.urlsafe_b64decode(key.encode())
    return hmac.new(raw, b"hamkke field key fingerprint v1", hashlib.sha256).hexdigest()[:16]


def running_fingerprints() -> list[str]:
    return [key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS]


@dataclass
class SampleCheck:
    values: int = 0
    columns: int = 0
    files: int = 0
    missing_files: int = 0
    failed: list[str] = field(default_factory=list)  # "table.column" or "files:<area>"

    @property
    def ok(self) -> bool:
        return not self.failed


def _sample(alias: str, table: str, column: str, order: str) -> list:
    connection = connections[alias]
    quote = connection.ops.quote_name
    # Table and column names come from the models, never from input.
    sql = (
        f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608
        f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> '' "
        f"ORDER BY {quote(order)} LIMIT {SAMPLE}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        first = [row[0] for row in cursor.fetchall()]
        cursor.execute(sql.replace(f"ORDER BY {quote(order)}", f"ORDER BY {quote(order)} DESC"))
        last = [row[0] for row in cursor.fetchall()]
    return list(dict.fromkeys(first + last))


def _decrypts(keys: MultiFernet, token) -> bool:
    try:
        keys.decrypt(token.encode() if isinstance(token, str) else bytes(token))
    except (InvalidToken, TypeError, ValueError):
        return False
    return True


def sample_check(alias: str, private_root: Path) -> SampleCheck:
    """Decrypt, with the running keys, a sample of every encrypted column and of the
    stored files of every model that has them, in the database `alias`."""
    keys = MultiFernet([Fernet(key.encode()) for key in settings.FIELD_ENCRYPTION_KEYS])
    with connections[alias].cursor() as cursor:
        tables = set(connections[alias].introspection.table_names(cursor))
    result = SampleCheck()
    for model, names in encrypted_fields_by_model().items():
        table, order = model._meta.db_table, model._meta.pk.column
        if table not in tables:
            continue
        for name in names:
            column = model._meta.get_field(name).column
            values = _sample(alias, table, column, order)
            result.columns += 1
            result.values += len(values)
            if not all(_decrypts(keys, value) for value in values):
                result.failed.append(f"{table}.{column}")
    for model in private_files.models_with_files():
        table = model._meta.db_table
        if table not in tables:
            continue
        column = model._meta.get_field(model.file_field).column
        failed = False
        for name in _sample(alias, table, column, model._meta.pk.column):
            stored = private_files.path(model.file_area, name, root=private_root)
            if not stored.is_file():
                result.missing_files += 1
                continue
            result.files += 1
            failed = failed or not _decrypts(keys, stored.read_bytes())
        if failed:
            result.failed.append(f"files:{table}")
    return result
