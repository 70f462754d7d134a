"""Second-factor secrets move to Hamkke's own devices (TOTP key encrypted with the
field keys, recovery codes as digests) and leave django-otp's tables empty.
The plain API tokens of rest_framework.authtoken are dropped: people issue new
ones (hashed, named, expiring) from their profile page."""

import hashlib

from django.db import migrations

DEVICE_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
)
TOTP_FIELDS = ("key", "step", "t0", "digits", "tolerance", "drift", "last_t")


def _digest(code: str) -> str:
    # As ngo.accounts.models.recovery_code_digest at the time of this migration.
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def move_devices(apps, schema_editor):
    OldTOTP = apps.get_model("otp_totp", "TOTPDevice")
    OldStatic = apps.get_model("otp_static", "StaticDevice")
    OldStaticToken = apps.get_model("otp_static", "StaticToken")
    Authenticator = apps.get_model("accounts", "AuthenticatorDevice")
    RecoveryDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")

    for old in OldTOTP.objects.all().iterator():
        values = {f: getattr(old, f) for f in DEVICE_FIELDS + TOTP_FIELDS}
        Authenticator.objects.create(**values)
    OldTOTP.objects.all().delete()

    for old in OldStatic.objects.all().iterator():
        device = RecoveryDevice.objects.create(**{f: getattr(old, f) for f in DEVICE_FIELDS})
        digests = {
            _digest(t)
            for t in OldStaticToken.objects.filter(device_id=old.pk).values_list("token", flat=True)
            if t
        }
        RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=d) for d in digests])
    OldStaticToken.objects.all().delete()
    OldStatic.objects.all().delete()


def drop_plain_api_tokens(apps, schema_editor):
    if "authtoken_token" in schema_editor.connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens_and_encrypted_devices"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(move_devices, migrations.RunPython.noop),
        migrations.RunPython(drop_plain_api_tokens, migrations.RunPython.noop),
    ]
