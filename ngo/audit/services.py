"""Writing audit events. Call inside the transaction of the write it records."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import models

from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib import request_context
from ngo.lib.changes import apply_changes, set_many_to_many
from ngo.lib.versions import claim_version, is_versioned


def object_type_of(obj_or_model) -> str:
    """ "app_label.model_name", unless the model pins its own `audit_object_type`:
    a model moved to another app keeps the name its past events were written under."""
    meta = obj_or_model._meta
    return getattr(meta.model, "audit_object_type", None) or f"{meta.app_label}.{meta.model_name}"


def audit_record(
    *,
    action: AuditAction,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    branch=None,
    fields: Iterable[str] = (),
    reason: str = "",
    using: str = "default",
) -> AuditEvent:
    """Append one audit event (to the database `using`, e.g. one just restored).

    `fields` are field *names* only and `reason` a short code; never pass values.
    The request id and client IP come from the current request, if any.
    """
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or obj.pk
        if branch is None:
            branch = audit_branch_of(obj)
    context = request_context.current()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.db_manager(using).create(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        branch_id=getattr(branch, "pk", branch),
        fields=sorted(fields),
        reason=reason[:64],
        ip=context.ip if context else None,
        request_id=context.request_id if context else "",
    )


def audit_record_many(
    *,
    action: AuditAction,
    actor=None,
    records: Iterable[tuple[models.Model, Iterable[str]]],
    reason: str = "",
    batch_size: int = 1000,
) -> int:
    """Append one audit event per (record, field names), as audit_record would,
    in bulk inserts: an import that writes thousands of records audits each one
    without a query each. Inserts only, so the append-only rule holds. Returns
    how many events were written."""
    context = request_context.current()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    events = [
        AuditEvent(
            actor_id=actor_id,
            action=action,
            object_type=object_type_of(obj),
            object_id=str(obj.pk),
            branch_id=audit_branch_of(obj),
            fields=sorted(fields),
            reason=reason[:64],
            ip=context.ip if context else None,
            request_id=context.request_id if context else "",
        )
        for obj, fields in records
    ]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)


def audit_branch_of(obj) -> int | None:
    """The branch a record belongs to, if its model says (an `audit_branch_id` property
    or a `branch_id` column)."""
    for attr in ("audit_branch_id", "branch_id"):
        value = getattr(obj, attr, None)
        if value is not None:
            return value
    return None


# --- The audited create and update step every service shares ----------------------------


def audited_create(
    model,
    *,
    actor,
    values: dict,
    allowed,
    extra: dict | None = None,
    m2m: Iterable[str] = (),
    before_save: Callable | None = None,
):
    """Build a `model` from the `allowed` keys of `values` (plus `extra`), run
    `before_save(obj)` (the checks only the service can make), validate it whole,
    save it, set the `m2m` many-to-many fields that `values` gives and write its
    create event naming the fields given. Call inside the service's transaction."""
    m2m = tuple(m2m)
    obj = model(**{k: v for k, v in values.items() if k in allowed}, **(extra or {}))
    if before_save is not None:
        before_save(obj)
    obj.full_clean()
    obj.save()
    set_many_to_many(obj, values, m2m)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=obj,
        fields=[k for k in values if k in allowed or k in m2m],
    )
    return obj


def audited_update(
    obj,
    *,
    actor,
    values: dict,
    allowed,
    m2m: Iterable[str] = (),
    before_save=None,
    expected_version: int | None = None,
) -> list[str]:
    """Apply the changed `allowed` fields (ngo.lib.changes.apply_changes) and the
    changed `m2m` many-to-many fields and, if anything changed, write the update
    event naming them. Returns the names.

    A versioned record is compared with `expected_version` first (StaleVersion,
    nothing saved and nothing audited, when someone saved it meanwhile); a
    change of its many-to-many fields alone raises its version too."""
    changed = apply_changes(
        obj, values, allowed, before_save=before_save, expected_version=expected_version
    )
    members = set_many_to_many(obj, values, m2m)
    if members and not changed and is_versioned(obj):
        claim_version(obj, expected_version)
    changed += members
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=obj, fields=changed)
    return changed
