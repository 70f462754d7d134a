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
