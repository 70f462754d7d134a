"""Encrypted model fields keyed by FIELD_ENCRYPTION_KEY.

Built on django-fernet-encrypted-fields, but keyed by our own list of Fernet
keys instead of one derived from SECRET_KEY, so that the Django secret and the
data key rotate independently. The first key encrypts; every key decrypts
(MultiFernet). To rotate: put a new key first, run
`python manage.py rotate_field_key`, then drop the old key.

Encrypted values cannot be searched or sorted in the database; keep a separate
non-sensitive column (or a keyed hash) where a lookup is needed.
"""

from cryptography.fernet import Fernet, MultiFernet
from django.apps import apps
from django.conf import settings
from django.utils.functional import cached_property
from encrypted_fields import fields as ef


class HamkkeKeysMixin:
    @cached_property
    def keys(self) -> list[bytes]:
        return [key.encode() for key in settings.FIELD_ENCRYPTION_KEYS]

    @cached_property
    def f(self) -> MultiFernet:
        return MultiFernet([Fernet(key) for key in self.keys])


class EncryptedCharField(HamkkeKeysMixin, ef.EncryptedCharField):
    pass


class EncryptedTextField(HamkkeKeysMixin, ef.EncryptedTextField):
    pass


class EncryptedDateField(HamkkeKeysMixin, ef.EncryptedDateField):
    pass


class EncryptedJSONField(HamkkeKeysMixin, ef.EncryptedJSONField):
    pass


def encrypted_fields_by_model() -> dict:
    """{model: [field names]} for every model with encrypted columns."""
    found = {}
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, HamkkeKeysMixin)]
        if names:
            found[model] = names
    return found


def reset_key_cache(**kwargs) -> None:
    """Forget the keys cached on field instances (after FIELD_ENCRYPTION_KEYS changes)."""
    for model, names in encrypted_fields_by_model().items():
        for name in names:
            field = model._meta.get_field(name)
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


def _on_setting_changed(setting, **kwargs):
    if setting == "FIELD_ENCRYPTION_KEYS":
        reset_key_cache()


from django.core.signals import setting_changed  # noqa: E402

setting_changed.connect(_on_setting_changed, dispatch_uid="hamkke_field_keys")


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for exact-match lookups on an encrypted value (e.g. duplicate
    phone numbers), so the value itself never has to be decrypted in bulk.
    Changes when the first FIELD_ENCRYPTION_KEY changes (rotate_field_key
    recomputes it)."""
    import hashlib
    import hmac

    if not value:
        return ""
    key = hashlib.sha256(f"{purpose}:{settings.FIELD_ENCRYPTION_KEYS[0]}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_phone(value: str | None) -> str:
    """Digits only; a Korean +82 prefix becomes the leading 0."""
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if digits.startswith("82") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits
