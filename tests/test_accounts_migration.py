"""The migration that moves second-factor secrets out of django-otp's plain tables."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_otp.oath import totp

from ngo.accounts.models import AuthenticatorDevice, RecoveryCodeDevice


@pytest.mark.django_db(transaction=True)
def test_devices_move_with_the_key_encrypted_and_the_codes_hashed(personas):
    before = [("accounts", "0003_api_tokens_and_encrypted_devices")]
    after = [("accounts", "0004_move_secrets_out_of_plain_tables")]
    user = personas.counsellor_a
    hex_key = "3132333435363738393031323334353637383930"
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        otp = [("otp_totp", "0003_add_timestamps"), ("otp_static", "0003_add_timestamps")]
        old_apps = executor.loader.project_state(before + otp).apps
        OldTOTP = old_apps.get_model("otp_totp", "TOTPDevice")
        OldStatic = old_apps.get_model("otp_static", "StaticDevice")
        OldToken = old_apps.get_model("otp_static", "StaticToken")
        OldTOTP.objects.create(user_id=user.pk, name="phone", key=hex_key, confirmed=True, drift=1)
        static = OldStatic.objects.create(user_id=user.pk, name="recovery", confirmed=True)
        OldToken.objects.create(device=static, token="abcdefgh23456789")

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert not OldTOTP.objects.exists()
        assert not OldStatic.objects.exists()
        assert not OldToken.objects.exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    device = AuthenticatorDevice.objects.get(user=user)
    assert (device.name, device.confirmed, device.drift, device.key) == ("phone", True, 1, hex_key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatordevice WHERE id = %s", [device.pk])
        assert hex_key not in cursor.fetchone()[0]
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=1)
    assert device.verify_token(f"{code:06d}")

    recovery = RecoveryCodeDevice.objects.get(user=user)
    assert recovery.codes.count() == 1
    assert "abcdefgh23456789" not in recovery.codes.get().digest
    assert recovery.verify_token("ABCD EFGH 2345 6789")
    assert not recovery.verify_token("abcdefgh23456789")  # used once
