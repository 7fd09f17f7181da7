"""Fields encrypted at rest: contacts and identity numbers never sit in the database in clear.

A dump of the database (a backup, a copied disk, a read-only SQL injection) must not hand out
how to reach a relative or their ID numbers. Such fields store a Fernet token (AES-128 in CBC
mode with an HMAC-SHA256, from `cryptography`) made with the keys in FIELD_ENCRYPTION_KEYS, which
come from the environment and never from the database. The first key encrypts, every key
decrypts: to rotate, put a new key first, run `manage.py rotate_encryption_key`, then remove the
old key.

An encrypted value cannot be searched, filtered or sorted in the database (each encryption of
the same text differs), so these fields refuse every lookup but `isnull` and `exact` with an
empty value: code that would need them in clear for a search fails loudly instead of matching
nothing. An empty value is stored empty (it says only that nothing was recorded), so "has one
or not" stays a query.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.db.models.lookups import Exact
from django.dispatch import receiver


class UndecryptableValue(ImproperlyConfigured):
    """A stored value that no key in FIELD_ENCRYPTION_KEYS opens: the key it was encrypted with
    is missing from the environment (or the row was written in clear by hand)."""


@cache
def _keys() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


@receiver(setting_changed, dispatch_uid="encryption_keys_changed")
def _keys_changed(setting, **kwargs):
    if setting == "FIELD_ENCRYPTION_KEYS":
        _keys.cache_clear()


def encrypt(text: str) -> str:
    """A token for `text`, made with the first key."""
    return _keys().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, label: str = "a value") -> str:
    """The text of a token made with any of the keys."""
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        # Never the value itself in the message: it ends up in logs and error reports.
        raise UndecryptableValue(
            f"{label} cannot be decrypted with FIELD_ENCRYPTION_KEYS: the key it was encrypted "
            "with is not among them."
        ) from None


class EmptyOnlyExact(Exact):
    """`field=""` (whether a value was recorded), and nothing else."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with an empty "
                "value, never searched."
            )
        return super().get_prep_lookup()


class EncryptedField:
    """Mixed into a text field: encrypted on the way into the database, decrypted on the way
    out. The column is a text column whatever the clear value's max_length, which forms and
    model validation still apply to the clear value."""

    def get_internal_type(self):
        return "TextField"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, label=f"{self.model._meta.label}.{self.name}")

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return EmptyOnlyExact
        return None

    def get_transform(self, lookup_name):
        return None


class EncryptedCharField(EncryptedField, models.CharField):
    pass


class EncryptedTextField(EncryptedField, models.TextField):
    pass


def encrypted_fields(model) -> list:
    """The encrypted fields of `model` (its concrete ones: a historical copy has its own)."""
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedField)]
