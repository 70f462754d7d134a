"""Every write on her rights records: exports (prepare, approve, build,
download, expire) and requests (record, decide), and the scrub that the
destruction of her file calls.

Audit events name the records and the fields only; what she asked, the
reasons and the contents of her copy never reach the audit trail."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Client
from counselling.rights import access_rules
from counselling.rights.models import (
    ExportStatus,
    Outcome,
    RequestKind,
    RightsRequest,
    SubjectAccessExport,
    due_after,
)
from counselling.rights.registry import path_to_client, records_of
from ngo import access
from ngo.access import four_eyes
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of
from ngo.lib import private_files
from ngo.lib.celery_helpers import enqueue_on_commit
from ngo.lib.versions import claim_version

logger = logging.getLogger("counselling.rights")

# A build claimed longer ago than this was cut short (the worker died).
STALE_CLAIM = timedelta(minutes=15)
AREA = SubjectAccessExport.file_area


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _not_in_future(day: date, field: str) -> date:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return day


# --- Exports ---------------------------------------------------------------------------


@transaction.atomic
def export_prepare(
    *,
    actor: User,
    client: Client,
    requester: str,
    identity_check: str,
    identity_note: str = "",
    requested_on: date | None = None,
) -> SubjectAccessExport:
    """Record her request for a copy; a manager approves it before it is built."""
    requested_on = _not_in_future(requested_on or timezone.localdate(), "requested_on")
    export = SubjectAccessExport(
        client=client,
        requested_on=requested_on,
        requester=requester,
        identity_check=identity_check,
        identity_note=_clean(identity_note) or None,
        due_on=due_after(requested_on),
        prepared_by=actor,
    )
    export.full_clean()
    export.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=export,
        fields=["requested_on", "requester", "identity_check", "identity_note", "due_on"],
    )
    return export


@transaction.atomic
def export_approve(
    *, actor: User, export: SubjectAccessExport, expected_version: int | None = None
) -> SubjectAccessExport:
    """The manager's approval (not the preparer's); queues the build."""
    export = (
        SubjectAccessExport.objects.select_for_update().select_related("client").get(pk=export.pk)
    )
    if not access_rules.may_approve(actor, export):
        access.refuse(actor, export, reason="approve")
    four_eyes.require_second_person(
        actor=actor,
        requested_by_id=export.prepared_by_id,
        message=_("You prepared this export: another manager of the branch must approve it."),
    )
    if export.status != ExportStatus.PREPARED:
        raise ValidationError(_("This export has been approved already."))
    claim_version(export, expected_version)
    export.status = ExportStatus.APPROVED
    export.approved_by = actor
    export.approved_at = timezone.now()
    export.save(update_fields=["status", "approved_by", "approved_at", "version"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=export,
        fields=["status", "approved_by", "approved_at"],
        reason="approve",
    )
    enqueue_on_commit("rights.build_export", args=[export.pk])
    return export


def _claim(export_id: int) -> datetime | None:
    now = timezone.now()
    claimed = (
        SubjectAccessExport.objects.filter(pk=export_id, status=ExportStatus.APPROVED)
        .filter(Q(build_started_at__isnull=True) | Q(build_started_at__lt=now - STALE_CLAIM))
        .update(build_started_at=now)
    )
    return now if claimed else None


def export_build(*, export_id: int) -> str:
    """Build, encrypt and store the ZIP. Safe to run twice: only an approved
    export is claimed, and the file is kept only if the claim still holds."""
    from counselling.rights.bundle import build_zip

    claimed_at = _claim(export_id)
    if claimed_at is None:
        return "skipped"
    export = SubjectAccessExport.objects.select_related("client__branch").get(pk=export_id)
    try:
        data, section_keys = build_zip(export)
    except Exception:
        logger.exception("subject-access export %s could not be built", export_id)
        with transaction.atomic():
            failed = SubjectAccessExport.objects.filter(
                pk=export_id, status=ExportStatus.APPROVED, build_started_at=claimed_at
            ).update(status=ExportStatus.FAILED, build_started_at=None)
            if failed:
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=export.approved_by,
                    obj=export,
                    fields=["status"],
                    reason="build_failed",
                )
        return "failed"
    now = timezone.now()
    with private_files.stored(AREA, data) as storage_name, transaction.atomic():
        stored = SubjectAccessExport.objects.filter(
            pk=export_id, status=ExportStatus.APPROVED, build_started_at=claimed_at
        ).update(
            status=ExportStatus.READY,
            storage_name=storage_name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            built_at=now,
            expires_at=now + timedelta(days=settings.RIGHTS_EXPORT_KEEP_DAYS),
            build_started_at=None,
            version=F("version") + 1,
        )
        if not stored:
            private_files.delete(AREA, storage_name)
            return "skipped"
        audit_record(
            action=AuditAction.EXPORT,
            actor=export.approved_by,
            obj=export,
            fields=section_keys,
            reason="built",
        )
    return "built"


def exports_waiting() -> list[int]:
    """Approved exports nobody is building (the broker was down, a worker died)."""
    now = timezone.now()
    return list(
        SubjectAccessExport.objects.filter(status=ExportStatus.APPROVED)
        .filter(Q(build_started_at__isnull=True) | Q(build_started_at__lt=now - STALE_CLAIM))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def export_download(*, actor: User, export: SubjectAccessExport) -> tuple[str, bytes]:
    """The file name and the ZIP, for the preparer or the approving manager
    only; every download is audited."""
    if not access_rules.may_download(actor, export):
        access.refuse(actor, export, reason="download")
    if export.status in (ExportStatus.PREPARED, ExportStatus.APPROVED):
        raise ValidationError(
            _("This export is not ready: it must be approved and built first.")
            if export.status == ExportStatus.PREPARED
            else _("This export is being built; try again in a few minutes.")
        )
    if export.status == ExportStatus.FAILED:
        raise ValidationError(_("This export could not be built. Prepare a new one."))
    if (
        export.status == ExportStatus.EXPIRED
        or export.expires_at is None
        or export.expires_at <= timezone.now()
        or not export.has_file()
    ):
        raise ValidationError(_("This export has expired and its file is deleted."))
    content = export.read_file()
    audit_record(action=AuditAction.EXPORT, actor=actor, obj=export, reason="download")
    return f"{export.client.case_code}-data-{export.pk}.zip", content


def _expire(export: SubjectAccessExport, *, actor=None, reason: str) -> bool:
    """Delete the file and mark the export expired; True if this call did it."""
    with transaction.atomic():
        done = (
            SubjectAccessExport.objects.filter(pk=export.pk, storage_name=export.storage_name)
            .exclude(status=ExportStatus.EXPIRED, storage_name="")
            .update(status=ExportStatus.EXPIRED, storage_name="", version=F("version") + 1)
        )
        if done:
            audit_record(
                action=AuditAction.DELETE,
                actor=actor,
                obj=export,
                fields=["storage_name"],
                reason=reason,
            )
    private_files.delete(AREA, export.storage_name)
    return bool(done)


def exports_delete_expired(now: datetime | None = None) -> int:
    """The daily task: delete every file kept past its time. Returns how many."""
    now = now or timezone.now()
    expired = SubjectAccessExport.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now
    ).select_related("client")
    return sum(_expire(export, reason="expired") for export in expired)


# --- Requests --------------------------------------------------------------------------


@transaction.atomic
def request_record(
    *, actor: User, client: Client, kind: str, asked: str, received_on: date | None = None
) -> RightsRequest:
    """Her request to correct, delete, restrict or object, answered within ten days."""
    received_on = _not_in_future(received_on or timezone.localdate(), "received_on")
    if not _clean(asked):
        raise ValidationError({"asked": _("Write down what she asks.")})
    rights_request = RightsRequest(
        client=client,
        kind=kind,
        asked=_clean(asked),
        received_on=received_on,
        due_on=due_after(received_on),
        recorded_by=actor,
    )
    rights_request.full_clean()
    rights_request.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=rights_request,
        fields=["kind", "asked", "received_on", "due_on"],
    )
    return rights_request


def her_record_types() -> dict[str, type]:
    """{audit object type: model} of every kind of record about a client."""
    from django.apps import apps

    return {
        object_type_of(model): model
        for model in apps.get_models()
        if path_to_client(model) is not None
    }


def _changed_record(client: Client, object_type: str, object_id: str) -> tuple[str, str]:
    object_type, object_id = _clean(object_type), _clean(object_id)
    if not object_type and not object_id:
        return "", ""
    model = her_record_types().get(object_type)
    if model is None or not (object_id.isascii() and object_id.isdigit() and len(object_id) < 19):
        raise ValidationError({"changed_object_type": _("Name one of her records (type and id).")})
    if not records_of(model, client).filter(pk=int(object_id)).exists():
        raise ValidationError({"changed_object_id": _("That is not one of her records.")})
    return object_type, object_id


@transaction.atomic
def request_decide(
    *,
    actor: User,
    rights_request: RightsRequest,
    outcome: str,
    reason: str = "",
    changes_made: str = "",
    changed_object_type: str = "",
    changed_object_id: str = "",
    expected_version: int | None = None,
) -> RightsRequest:
    """Decide her request: granted, partly granted or refused. A refusal (in
    whole or in part) gives its reason; a granted correction says what was
    changed, and may name the record whose audit trail shows the change."""
    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    errors = {}
    if outcome not in (Outcome.GRANTED, Outcome.PARTLY, Outcome.REFUSED):
        errors["outcome"] = _("Choose granted, partly granted or refused.")
    if outcome in (Outcome.PARTLY, Outcome.REFUSED) and not _clean(reason):
        errors["reason"] = _("Give the reason for refusing (PIPA requires it).")
    if (
        rights_request.kind == RequestKind.CORRECTION
        and outcome in (Outcome.GRANTED, Outcome.PARTLY)
        and not _clean(changes_made)
    ):
        errors["changes_made"] = _("Say what was corrected.")
    if errors:
        raise ValidationError(errors)
    if not rights_request.is_pending:
        raise ValidationError(_("This request has been decided already."))
    changed_type, changed_id = _changed_record(
        rights_request.client, changed_object_type, changed_object_id
    )
    claim_version(rights_request, expected_version)
    rights_request.outcome = outcome
    rights_request.reason = _clean(reason) or None
    rights_request.changes_made = _clean(changes_made) or None
    rights_request.changed_object_type = changed_type
    rights_request.changed_object_id = changed_id
    rights_request.decided_by = actor
    rights_request.decided_at = timezone.now()
    rights_request.full_clean()
    fields = [
        "outcome",
        "reason",
        "changes_made",
        "changed_object_type",
        "changed_object_id",
        "decided_by",
        "decided_at",
    ]
    rights_request.save(update_fields=[*fields, "version"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=rights_request, fields=fields, reason="decide"
    )
    return rights_request


# --- When her file is destroyed -----------------------------------------------------------


def scrub_rights_for_client(client: Client, *, actor: User | None = None) -> dict[str, int]:
    """Delete her stored exports and blank the free text of her requests and
    exports, keeping a stub (kind, dates, outcome) that identifies nobody.
    Safe to call twice. Returns how many exports and requests it touched."""
    deleted = 0
    for export in SubjectAccessExport.objects.filter(client=client).exclude(storage_name=""):
        deleted += _expire(export, actor=actor, reason="scrub")
    with transaction.atomic():
        now = timezone.now()
        # A copy not built yet is never built: the worker's claim needs "approved",
        # and a build under way keeps its file only if the export is still so.
        SubjectAccessExport.objects.filter(
            client=client, status__in=[ExportStatus.PREPARED, ExportStatus.APPROVED]
        ).update(status=ExportStatus.EXPIRED, version=F("version") + 1)
        exports = SubjectAccessExport.objects.filter(client=client, identity_note__isnull=False)
        for export in exports:
            export.identity_note = None
            export.save(update_fields=["identity_note"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                obj=export,
                fields=["identity_note"],
                reason="scrub",
            )
        requests = RightsRequest.objects.filter(client=client, scrubbed_at__isnull=True)
        scrubbed = 0
        for rights_request in requests:
            rights_request.asked = None
            rights_request.reason = None
            rights_request.changes_made = None
            rights_request.scrubbed_at = now
            rights_request.version += 1
            rights_request.save(
                update_fields=["asked", "reason", "changes_made", "scrubbed_at", "version"]
            )
            audit_record(
                action=AuditAction.UPDATE,
                actor=actor,
                obj=rights_request,
                fields=["asked", "reason", "changes_made"],
                reason="scrub",
            )
            scrubbed += 1
    return {"exports_deleted": deleted, "requests_scrubbed": scrubbed}
