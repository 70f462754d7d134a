"""Her records as display values: what the PDF, the JSON and the CSV files show.

Values are her data as stored (decrypted), choices in words, staff by name,
dates in ISO form (local time), lists joined."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


def display(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(str(display(item)) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {display(item)}" for key, item in value.items())
    if isinstance(value, models.Model):
        return getattr(value, "full_name", None) or str(value)
    return value


def field_value(obj: models.Model, name: str) -> object:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None) and not field.many_to_many:
        raw = getattr(obj, name)
        return getattr(obj, f"get_{name}_display")() if raw not in (None, "") else ""
    return display(getattr(obj, name))


def row(obj: models.Model, names, **extra) -> dict[str, object]:
    """{verbose name: display value} of the fields `names`, then `extra`
    (already display values, keyed by their label)."""
    values = {"id": obj.pk}
    for name in names:
        label = str(obj._meta.get_field(name).verbose_name)
        values[label] = field_value(obj, name)
    values.update({str(key): display(value) for key, value in extra.items()})
    return values


def header_of(rows: list[dict]) -> list[str]:
    """Every key of the rows, in the order they first appear."""
    header: dict[str, None] = {}
    for values in rows:
        header.update(dict.fromkeys(values))
    return list(header)


_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_file_name(name: str, fallback: str) -> str:
    """A name for a member of the ZIP: no folders, no control characters."""
    cleaned = _UNSAFE.sub("_", name or "").strip(" ._")
    return cleaned[:120] or fallback
