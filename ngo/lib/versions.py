"""Record versions: no lost updates.

A versioned record carries an integer `version` that the service layer raises
by one on every saved change, with a compare-and-set in SQL
(`UPDATE ... SET version = version + 1 WHERE id = %s AND version = %s`). Two
saves that start from the same version cannot both win: the second matches no
row and is refused with `StaleVersion`, before anything of hers is written.

The version she started from travels with her edit: the hidden field of an edit
form, or the API's `If-Match` header (the ETag is the version, quoted). The
service is given it as `expected_version`; without one, the version the record
had when the request read it is the one compared.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Abstract base of the records staff edit: the version column, raised by
    the services only (`claim_version`), never by a form."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by one on every saved change; the API's ETag."),
    )

    class Meta:
        abstract = True


class StaleVersion(ValidationError):
    """Someone saved the record after the version this change started from.

    A ValidationError, so that a screen that shows a service's refusal shows
    this one too; the API answers it with 412 and the current ETag, and
    record_form_view shows her values next to the saved ones."""

    def __init__(self, instance: models.Model, *, expected: int, current: int | None):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(
            _(
                "Someone else saved this record after you opened it (version %(current)s; "
                "you started from version %(expected)s). Nothing of yours was saved."
            ),
            code="stale_version",
            params={"current": current, "expected": expected},
        )


def is_versioned(instance_or_model) -> bool:
    model = instance_or_model if isinstance(instance_or_model, type) else type(instance_or_model)
    return issubclass(model, Versioned)


def check_version(instance: Versioned, expected: int | None) -> None:
    """Refuse an edit that started from another version than the record's as
    read; nothing is written (for a change that turned out to change nothing)."""
    if expected is not None and expected != instance.version:
        raise StaleVersion(instance, expected=expected, current=instance.version)


def claim_version(instance: Versioned, expected: int | None = None) -> int:
    """Compare-and-set the record's version to the next one, in the service's
    transaction, before the change is saved; the instance carries the new
    version for the save that follows. Raises StaleVersion, having written
    nothing, when the row is no longer at the version the edit started from.

    On PostgreSQL the UPDATE locks the row until the transaction ends: a
    concurrent claim waits, then finds the version moved on and matches no
    row. SQLite lets one writer at a time, to the same effect."""
    check_version(instance, expected)
    expected = instance.version
    rows = type(instance)._base_manager.filter(pk=instance.pk, version=expected)
    if not rows.update(version=F("version") + 1):
        current = (
            type(instance)
            ._base_manager.filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        raise StaleVersion(instance, expected=expected, current=current)
    instance.version = expected + 1
    return instance.version


def bump_version(instance: Versioned, **columns) -> int:
    """Raise the version by one without comparing, writing `columns` with it in
    the same UPDATE: for a change that must never be refused because of an
    edit meanwhile (a risk assessment setting the case's level), and that
    writes only the columns it owns."""
    model = type(instance)
    model._base_manager.filter(pk=instance.pk).update(version=F("version") + 1, **columns)
    instance.version = (
        model._base_manager.filter(pk=instance.pk).values_list("version", flat=True).get()
    )
    for name, value in columns.items():
        setattr(instance, name, value)
    return instance.version
