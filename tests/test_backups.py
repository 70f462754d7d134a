"""Backups that restore: the drill (fill a database, back it up, restore it into an
empty one, read an encrypted field and a stored file back), and every refusal.
Runs on the test database's own engine: SQLite locally, PostgreSQL in CI (where the
second database is created on the same server for the test)."""

import io
import json
import tarfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import translation

from counselling import services as counselling_services
from counselling.models import Client, Document
from ngo.audit.models import AuditEvent
from ngo.backups import stream
from ngo.backups.databases import TARGET_ALIAS, Database, forget_target, pg_program, target_alias
from ngo.backups.exceptions import BackupError
from ngo.backups.verify import key_fingerprint
from ngo.lib.env import new_fernet_key
from tests.policy_helpers import pdf

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "010-2468-1357"
NAME = "Nguyen Thi Backup"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def backup_key(monkeypatch):
    key = stream.new_key()
    monkeypatch.setenv("HAMKKE_BACKUP_KEY", key)
    return key


@pytest.fixture
def world(settings, tmp_path, make_case, personas):
    """A client with an encrypted phone and a case document, written through the
    services, with the private files in a folder of this test's own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    case = make_case(name_romanised=NAME, phone=PHONE)
    content = pdf(["confirmation", "of", "counselling"])
    document = counselling_services.document_upload(
        actor=personas.counsellor_a,
        client=case.client,
        case=case,
        uploaded_file=SimpleUploadedFile("letter.pdf", content),
    )
    return SimpleNamespace(client=case.client, document=document, content=content)


@pytest.fixture
def target(tmp_path, monkeypatch):
    """An empty database of the test database's engine and an empty files folder.

    Django's test case lets a test open connections to its test database only; the
    target is a database of this test's own, created and dropped here, so its alias
    may connect too."""
    guarded = BaseDatabaseWrapper.ensure_connection

    def ensure_connection(self, *args, **kwargs):
        if self.alias == TARGET_ALIAS and self.connection is None:
            with self.wrap_database_errors:
                self.connect()
            return
        guarded(self, *args, **kwargs)

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", ensure_connection)
    name = ""
    if connection.vendor == "postgresql":
        values = connection.settings_dict
        name = f"{values['NAME']}_restored"[:63]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        credentials = f"{quote(values['USER'])}:{quote(values['PASSWORD'] or '')}"
        url = f"postgres://{credentials}@{values['HOST']}:{values['PORT']}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    yield SimpleNamespace(url=url, root=tmp_path / "restored-private")
    forget_target()
    if name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def backup(path: Path, *extra) -> str:
    return run("backup", str(path), *extra)


def restore(archive: Path, target, *extra) -> str:
    return run(
        "restore",
        str(archive),
        "--database-url",
        target.url,
        "--private-root",
        str(target.root),
        *extra,
    )


def target_is_empty(target) -> bool:
    tables = Database(target_alias(target.url)).table_names()
    files = [p for p in target.root.rglob("*") if p.is_file()] if target.root.exists() else []
    return tables == [] and files == []


def test_restore_drill_reads_back_an_encrypted_field_and_a_stored_file(
    world, target, tmp_path, backup_key, settings
):
    archive = tmp_path / "drill.tar.enc"
    made = backup(archive)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert archive.read_bytes().startswith(stream.MAGIC)
    assert "Private files: 1." in made

    report = restore(archive, target)

    assert "Private files restored: 1." in report
    assert "Restore complete." in report
    restored = Client._base_manager.using(TARGET_ALIAS).get(pk=world.client.pk)
    assert restored.phone == PHONE
    assert restored.name_romanised == NAME
    with connections[TARGET_ALIAS].cursor() as cursor:
        cursor.execute("SELECT phone FROM counselling_client WHERE id = %s", [world.client.pk])
        raw_phone = cursor.fetchone()[0]
    assert PHONE not in raw_phone  # still encrypted at rest in the restored copy
    document = Document._base_manager.using(TARGET_ALIAS).get(pk=world.document.pk)
    settings.PRIVATE_MEDIA_ROOT = target.root
    assert document.read_file() == world.content
    assert AuditEvent.objects.filter(reason="backup", object_type="backups.archive").exists()
    assert AuditEvent.objects.using(TARGET_ALIAS).filter(reason="restore").count() == 1
    for personal in (NAME, PHONE, "2468"):
        assert personal not in made + report


def test_a_backup_needs_a_backup_key_or_an_explicit_plain_archive(world, tmp_path, monkeypatch):
    monkeypatch.delenv("HAMKKE_BACKUP_KEY", raising=False)
    with pytest.raises(CommandError, match="Set HAMKKE_BACKUP_KEY"):
        backup(tmp_path / "plain.tar")
    assert list(tmp_path.glob("plain.tar*")) == []
    made = backup(tmp_path / "plain.tar", "--unencrypted")
    assert "NOT encrypted" in made
    assert tarfile.is_tarfile(tmp_path / "plain.tar")


def test_the_refusal_is_in_korean_too(world, tmp_path, monkeypatch):
    monkeypatch.delenv("HAMKKE_BACKUP_KEY", raising=False)
    with translation.override("ko"), pytest.raises(CommandError, match="HAMKKE_BACKUP_KEY를"):
        backup(tmp_path / "plain.tar")


def test_a_malformed_backup_key_is_refused(world, tmp_path, monkeypatch):
    monkeypatch.setenv("HAMKKE_BACKUP_KEY", "not-a-key")
    with pytest.raises(CommandError, match="32 bytes in url-safe base64"):
        backup(tmp_path / "x.tar.enc")


def test_the_manifest_holds_fingerprints_and_checksums_never_the_keys(
    world, tmp_path, monkeypatch, settings
):
    monkeypatch.delenv("HAMKKE_BACKUP_KEY", raising=False)
    archive = tmp_path / "plain.tar"
    backup(archive, "--unencrypted")
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"
        manifest = json.load(tar.extractfile("manifest.json"))
        import hashlib

        for name, part in manifest["parts"].items():
            data = tar.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == part["sha256"]
            assert len(data) == part["size"]
    keys = settings.FIELD_ENCRYPTION_KEYS
    assert manifest["field_keys"]["fingerprints"] == [key_fingerprint(k) for k in keys]
    assert all(key.encode() not in archive.read_bytes() for key in keys)
    assert manifest["database"]["engine"] == connection.vendor
    assert "audit.0002_append_only_trigger" in manifest["hamkke"]["migrations"]
    assert set(manifest["parts"]) == {f"database.{_dump_suffix()}", "private.tar"}
    assert manifest["private_files"] == {"count": 1}


def _dump_suffix() -> str:
    return "pgdump" if connection.vendor == "postgresql" else "sqlite3"


def test_restore_refuses_when_the_running_field_key_is_not_the_backups(
    world, target, tmp_path, backup_key, settings
):
    archive = tmp_path / "a.tar.enc"
    backup(archive)
    settings.FIELD_ENCRYPTION_KEYS = [new_fernet_key()]
    with pytest.raises(CommandError, match="cannot decrypt this backup") as refused:
        restore(archive, target)
    assert key_fingerprint(settings.FIELD_ENCRYPTION_KEYS[0]) in str(refused.value)
    assert target_is_empty(target)


def test_restore_undoes_itself_when_the_sample_does_not_decrypt(
    world, target, tmp_path, backup_key, settings
):
    """The data was written with a key that was dropped before the backup (a rotation
    cut short): the fingerprint matches, the decryption after the restore does not."""
    archive = tmp_path / "a.tar.enc"
    settings.FIELD_ENCRYPTION_KEYS = [new_fernet_key()]
    backup(archive)
    with pytest.raises(CommandError, match="does not decrypt the restored data") as refused:
        restore(archive, target)
    assert "counselling_client.phone" in str(refused.value)
    assert "files:counselling_document" in str(refused.value)
    assert "The restore was undone." in str(refused.value)
    assert target_is_empty(target)


def test_restore_refuses_a_part_whose_checksum_does_not_match(world, target, tmp_path, monkeypatch):
    monkeypatch.delenv("HAMKKE_BACKUP_KEY", raising=False)
    archive = tmp_path / "plain.tar"
    backup(archive, "--unencrypted")
    with tarfile.open(archive) as tar:
        offset = tar.getmember(f"database.{_dump_suffix()}").offset_data
    data = bytearray(archive.read_bytes())
    data[offset + 200] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="checksum of database.* does not match"):
        restore(archive, target)
    assert target_is_empty(target)


def test_restore_refuses_a_tampered_archive_and_a_wrong_backup_key(
    world, target, tmp_path, backup_key, monkeypatch
):
    archive = tmp_path / "a.tar.enc"
    backup(archive)
    monkeypatch.setenv("HAMKKE_BACKUP_KEY", stream.new_key())
    with pytest.raises(CommandError, match="not encrypted with this backup key"):
        restore(archive, target)
    monkeypatch.setenv("HAMKKE_BACKUP_KEY", backup_key)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged"):
        restore(archive, target)
    monkeypatch.delenv("HAMKKE_BACKUP_KEY")
    with pytest.raises(CommandError, match="The archive is encrypted: set HAMKKE_BACKUP_KEY"):
        restore(archive, target)
    assert target_is_empty(target)


def test_restore_refuses_a_target_that_is_not_empty_unless_told_to_replace(
    world, target, tmp_path, backup_key
):
    archive = tmp_path / "a.tar.enc"
    backup(archive)
    restore(archive, target)
    forget_target()
    with pytest.raises(CommandError, match="target database is not empty"):
        restore(archive, target)
    report = restore(archive, target, "--replace")
    assert "Restore complete." in report
    assert Client._base_manager.using(TARGET_ALIAS).get(pk=world.client.pk).phone == PHONE


def test_restore_refuses_a_private_files_folder_that_is_not_empty(
    world, target, tmp_path, backup_key
):
    archive = tmp_path / "a.tar.enc"
    backup(archive)
    target.root.mkdir()
    (target.root / "left-over").write_bytes(b"x")
    with pytest.raises(CommandError, match="private files folder .* is not empty"):
        restore(archive, target)
    assert Database(target_alias(target.url)).table_names() == []


def test_restore_refuses_a_backup_made_by_a_newer_release(world, target, tmp_path, monkeypatch):
    monkeypatch.delenv("HAMKKE_BACKUP_KEY", raising=False)
    archive = tmp_path / "plain.tar"
    backup(archive, "--unencrypted")
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    manifest = json.loads(members[0][1])
    manifest["hamkke"]["migrations"].append("counselling.9999_from_the_future")
    members[0] = (members[0][0], json.dumps(manifest).encode())
    with tarfile.open(archive, "w") as tar:
        for member, data in members:
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="made by a newer Hamkke"):
        restore(archive, target)
    assert target_is_empty(target)


def test_restore_refuses_a_file_that_is_not_a_backup(target, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_bytes(b"just some text\n" * 100)
    with pytest.raises(CommandError, match="not a Hamkke backup archive"):
        restore(other, target)
    with pytest.raises(CommandError, match="Cannot read the archive"):
        restore(tmp_path / "missing.tar", target)
    with pytest.raises(CommandError, match="must start with postgres:// or sqlite:///"):
        run("restore", str(other), "--database-url", "mysql://x@y/z")


@pytest.mark.parametrize("size", [0, 1, stream.CHUNK, stream.CHUNK + 1, 3 * stream.CHUNK + 7])
def test_the_encrypted_stream_round_trips_and_notices_a_cut(size, db):
    key = stream.parse_key(stream.new_key())
    plain = bytes(range(256)) * (size // 256) + bytes(size % 256)
    sealed = io.BytesIO()
    writer = stream.EncryptingWriter(sealed, key)
    writer.write(plain[: size // 2])
    writer.write(plain[size // 2 :])
    writer.close()
    assert stream.open_encrypted(io.BytesIO(sealed.getvalue()), key).read() == plain
    if size > stream.CHUNK:
        cut = sealed.getvalue()[: len(stream.MAGIC) + stream.SALT_BYTES + stream.SEALED_CHUNK]
        with pytest.raises(BackupError, match="damaged"):
            stream.open_encrypted(io.BytesIO(cut), key).read()


def test_pg_dump_is_taken_from_hamkke_pg_bin_when_set(settings, tmp_path, db):
    settings.BACKUP_PG_BIN = str(tmp_path)
    with pytest.raises(BackupError, match="has no pg_dump"):
        pg_program("pg_dump", 15)
    (tmp_path / "pg_dump").write_text("")
    assert pg_program("pg_dump", 15) == str(tmp_path / "pg_dump")
