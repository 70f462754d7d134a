"""Encrypted fields and key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from ngo.audit.models import AuditEvent
from ngo.lib.env import new_fernet_key


def _raw_phone(user_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user_id])
        return cursor.fetchone()[0]


def test_phone_is_stored_encrypted(personas):
    user = personas.counsellor_a
    user.phone = "010-1234-5678"
    user.save(update_fields=["phone"])
    raw = _raw_phone(user.pk)
    assert "010-1234-5678" not in raw
    user.refresh_from_db()
    assert user.phone == "010-1234-5678"


def test_rotation_reencrypts_with_the_new_key(personas, settings, capsys):
    user = personas.counsellor_a
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    user.phone = "010-9999-0000"
    user.save(update_fields=["phone"])
    before = _raw_phone(user.pk)

    new_key = new_fernet_key()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_key")
    after = _raw_phone(user.pk)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == "010-9999-0000"
    assert AuditEvent.objects.filter(reason="key_rotation", object_type="accounts.user").exists()

    # The old key can now be dropped.
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    user.refresh_from_db()
    assert user.phone == "010-9999-0000"


def test_generate_field_key_prints_a_valid_key(capsys):
    call_command("generate_field_key")
    key = capsys.readouterr().out.strip()
    Fernet(key.encode())


@pytest.mark.parametrize("value", ["", None])
def test_empty_values_are_null(personas, value):
    user = personas.counsellor_a
    user.phone = value
    user.save(update_fields=["phone"])
    assert _raw_phone(user.pk) is None


def test_rotation_reencrypts_the_files_of_every_app(
    campaign_world, policy_world, personas, settings
):
    """Case documents, campaign action files and policy submissions all live in
    the one private store; after a rotation the old key can go."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campaigns import services as campaign_services
    from ngo.lib import private_files
    from policy_monitor import services as policy_services
    from tests.policy_helpers import pdf

    content = pdf(["statement", "of", "the", "network"])
    stored = campaign_services.action_file_upload(
        actor=personas.coordinator,
        action=campaign_world.action,
        uploaded_file=SimpleUploadedFile("statement.pdf", content),
    )
    submission = policy_services.submission_update(
        actor=personas.policy_officer,
        submission=policy_world.draft,
        upload=SimpleUploadedFile("follow-up.pdf", content),
    )
    raw = private_files.path(campaign_services.ACTION_FILE_AREA, stored.storage_name).read_bytes()
    assert content not in raw  # encrypted at rest
    assert (
        b"statement"
        not in private_files.path(
            policy_services.FILE_AREA, submission.file_storage_name
        ).read_bytes()
    )

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [new_fernet_key(), old_key]
    call_command("rotate_field_key")
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert campaign_services.action_file_content(stored) == content
    assert policy_services.submission_file(submission) == content
    assert submission.word_count == 4
    for object_type in ("campaigns.actionfile", "policy_monitor.submission"):
        assert AuditEvent.objects.filter(reason="key_rotation", object_type=object_type).exists()


# --- Second-factor secrets ------------------------------------------------------------


def _raw_totp_key(device_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatordevice WHERE id = %s", [device_id])
        return cursor.fetchone()[0]


def test_totp_key_is_ciphertext_and_rotates(personas, settings):
    from ngo.accounts.models import AuthenticatorDevice

    device = AuthenticatorDevice.objects.create(user=personas.counsellor_a, name="phone")
    hex_key = AuthenticatorDevice.objects.get(pk=device.pk).key
    assert len(hex_key) == 40 and int(hex_key, 16) >= 0
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    before = _raw_totp_key(device.pk)
    assert hex_key not in before
    assert Fernet(old_key.encode()).decrypt(before.encode()).decode() == hex_key

    new_key = new_fernet_key()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_key")
    after = _raw_totp_key(device.pk)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()).decode() == hex_key
    assert AuditEvent.objects.filter(
        reason="key_rotation", object_type="accounts.authenticatordevice"
    ).exists()

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert AuthenticatorDevice.objects.get(pk=device.pk).bin_key == bytes.fromhex(hex_key)


def test_recovery_codes_are_stored_as_digests(personas):
    from ngo.accounts.models import RecoveryCode
    from ngo.accounts.services import recovery_codes_regenerate

    codes = recovery_codes_regenerate(user=personas.counsellor_a)
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest FROM accounts_recoverycode")
        stored = [row[0] for row in cursor.fetchall()]
    assert len(stored) == len(codes) == RecoveryCode.objects.count()
    assert not any(code in digest for code in codes for digest in stored)
