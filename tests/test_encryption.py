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
