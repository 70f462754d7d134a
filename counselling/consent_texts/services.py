"""Writes of the consent texts: an edit saves the next version, the review
mark is set on one version by an administrator. Both are audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.consent_texts.models import ConsentText
from ngo.accounts.models import User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.versions import StaleVersion, check_version


def _require_administrator(actor: User, text: ConsentText) -> None:
    if not actor.can(Capability.MANAGE_STAFF):
        audit_record(
            action=AuditAction.PERMISSION_DENIED, actor=actor, obj=text, reason="administrator"
        )
        raise PermissionDenied


def _current_version(text: ConsentText) -> int | None:
    return (
        ConsentText.objects.filter(language=text.language, section=text.section, is_current=True)
        .values_list("version", flat=True)
        .first()
    )


def _must_be_current(text: ConsentText, expected_version: int | None) -> None:
    """Only the current version is edited or reviewed, from the version she read."""
    check_version(text, expected_version)
    if not text.is_current:
        raise StaleVersion(text, expected=text.version, current=_current_version(text))


@transaction.atomic
def consent_text_edit(
    *,
    actor: User,
    text: ConsentText,
    heading: str,
    body: str,
    expected_version: int | None = None,
) -> ConsentText:
    """Save a new wording as the next version (unreviewed); the edited version
    is kept, unchanged, for the consents recorded with it. An edit that changes
    nothing saves nothing."""
    _require_administrator(actor, text)
    heading, body = (heading or "").strip(), (body or "").strip()
    _must_be_current(text, expected_version)
    if not heading:
        raise ValidationError({"heading": _("Give the heading.")})
    if not body:
        raise ValidationError({"body": _("The text cannot be empty.")})
    changed = [
        name
        for name, value in (("heading", heading), ("body", body))
        if getattr(text, name) != value
    ]
    if not changed:
        return text
    # Compare-and-set: of two edits from the same version, one wins.
    claimed = ConsentText.objects.filter(pk=text.pk, is_current=True, version=text.version)
    if not claimed.update(is_current=False):
        raise StaleVersion(text, expected=text.version, current=_current_version(text))
    new = ConsentText(
        language=text.language,
        section=text.section,
        heading=heading,
        body=body,
        version=text.version + 1,
        created_by=actor,
    )
    new.full_clean()
    new.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=new,
        fields=changed,
        reason="review_cleared" if text.reviewed_by_native_speaker else "",
    )
    return new


@transaction.atomic
def consent_text_mark_reviewed(
    *,
    actor: User,
    text: ConsentText,
    reviewer_name: str,
    expected_version: int | None = None,
) -> ConsentText:
    """An administrator records that a native speaker (named) checked this
    version. The wording does not change, nor does its version."""
    _require_administrator(actor, text)
    _must_be_current(text, expected_version)
    reviewer_name = (reviewer_name or "").strip()
    if not reviewer_name:
        raise ValidationError(
            {"reviewer_name": _("Name the native speaker who reviewed the text.")}
        )
    if len(reviewer_name) > 200:
        raise ValidationError({"reviewer_name": _("At most 200 characters.")})
    text.reviewed_by_native_speaker = True
    text.reviewer_name = reviewer_name
    text.reviewed_by = actor
    text.reviewed_at = timezone.now()
    text.full_clean()
    text.save(
        update_fields=["reviewed_by_native_speaker", "reviewer_name", "reviewed_by", "reviewed_at"]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=text,
        fields=["reviewed_by_native_speaker"],
        reason="native_review",
    )
    return text
