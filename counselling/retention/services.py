"""Every write of retention: rules, legal holds, the proposal, review and
approval of destruction batches, and the destruction itself.

Destruction runs one transaction per client: her row is locked, the hold and
the due-ness are checked again, every registered scrubber runs, the stubs are
written and the item is marked; a client already destroyed is skipped, so a
second run does nothing twice. Audit events name ids and model labels only.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Case, CaseStatus, Client
from counselling.retention import due as due_rules
from counselling.retention import registry
from counselling.retention.models import (
    MAX_YEARS,
    MIN_YEARS,
    BatchStatus,
    DestructionBatch,
    DestructionItem,
    DestructionStub,
    ItemState,
    LegalHold,
    RetentionRule,
)
from counselling.shelters.models import Stay
from ngo.access import four_eyes
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import private_files
from ngo.lib.celery_helpers import enqueue_on_commit
from ngo.lib.versions import claim_version

MIN_REASON = 10


def manages_branch(user: User, branch_id: int) -> bool:
    return four_eyes.manages_branch(user, branch_id)


def may_hold(user: User, client: Client) -> bool:
    """Branch managers of her branch and administrators set and release holds."""
    return manages_branch(user, client.branch_id) or user.can(Capability.MANAGE_STAFF)


# --- Rules -------------------------------------------------------------------------------


def _check_years(years) -> int:
    if not isinstance(years, int) or isinstance(years, bool) or years < MIN_YEARS:
        raise ValidationError(
            {"years": _("Keep records for at least %(min)d year.") % {"min": MIN_YEARS}}
        )
    if years > MAX_YEARS:
        raise ValidationError(
            {"years": _("Keep records for at most %(max)d years.") % {"max": MAX_YEARS}}
        )
    return years


@transaction.atomic
def rule_update(
    *, actor: User, rule: RetentionRule, years, expected_version: int | None = None
) -> RetentionRule:
    if not actor.can(Capability.MANAGE_STAFF):
        raise PermissionDenied
    years = _check_years(years)
    rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
    if rule.years == years:
        return rule
    claim_version(rule, expected_version)
    rule.years, rule.updated_by = years, actor
    rule.save(update_fields=["years", "updated_by", "updated_at", "version"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=rule, fields=["years"])
    return rule


# --- Legal holds -------------------------------------------------------------------------


@transaction.atomic
def hold_set(
    *,
    actor: User,
    client: Client,
    reason: str,
    case: Case | None = None,
    starts_on: date | None = None,
    until: date | None = None,
) -> LegalHold:
    """Stop the destruction of her records (or of one case) while a court case runs."""
    if not may_hold(actor, client):
        raise PermissionDenied
    # Her row is locked as destruction locks it: a hold set now is seen there.
    client = Client.objects.select_for_update().get(pk=client.pk)
    reason = (reason or "").strip()
    errors = {}
    if len(reason) < MIN_REASON:
        errors["reason"] = _("Give the reason for the hold (at least %(n)d characters).") % {
            "n": MIN_REASON
        }
    if case is not None and case.client_id != client.pk:
        errors["case"] = _("This case is not hers.")
    starts_on = starts_on or timezone.localdate()
    if until is not None and until < starts_on:
        errors["until"] = _("A hold cannot end before it starts.")
    if until is not None and until < timezone.localdate():
        errors["until"] = _("The end of a hold cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    hold = LegalHold(
        client=client, case=case, reason=reason, set_by=actor, starts_on=starts_on, until=until
    )
    hold.full_clean()
    hold.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=hold,
        fields=["client", "case", "reason", "starts_on", "until"],
        reason="legal_hold",
    )
    return hold


@transaction.atomic
def hold_release(*, actor: User, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().select_related("client").get(pk=hold.pk)
    if not may_hold(actor, hold.client):
        raise PermissionDenied
    if hold.released_at is not None:
        raise ValidationError(_("This hold has already been released."))
    hold.released_at, hold.released_by = timezone.now(), actor
    hold.save(update_fields=["released_at", "released_by"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=hold,
        fields=["released_at", "released_by"],
        reason="legal_hold_released",
    )
    return hold


# --- Proposal and review -----------------------------------------------------------------


def _claimed_elsewhere(branch_id: int) -> set[int]:
    """Clients in an approved batch still being carried out."""
    return set(
        DestructionItem.objects.filter(
            batch__branch_id=branch_id, batch__status=BatchStatus.APPROVED, state=ItemState.DUE
        ).values_list("client_id", flat=True)
    )


def batch_propose(*, branch: Branch, actor: User | None = None) -> DestructionBatch | None:
    """Bring the branch's proposed batch up to date with what is due today (the
    daily task, actor None, or an administrator or branch manager). Items
    excluded at review stay excluded; held ones say so; those no longer due
    are marked. Returns None when nothing is due and no batch is open."""
    if actor is not None and not (
        manages_branch(actor, branch.pk) or actor.can(Capability.MANAGE_STAFF)
    ):
        raise PermissionDenied
    today = timezone.localdate()
    found = {d.client_id: d for d in due_rules.due_at_branch(branch.pk, today)}
    for client_id in _claimed_elsewhere(branch.pk):
        found.pop(client_id, None)
    try:
        with transaction.atomic():
            batch = (
                DestructionBatch.objects.select_for_update()
                .filter(branch=branch, status=BatchStatus.PROPOSED)
                .first()
            )
            if batch is None:
                if not found:
                    return None
                batch = DestructionBatch.objects.create(branch=branch, proposed_by=actor)
                audit_record(action=AuditAction.CREATE, actor=actor, obj=batch, fields=["items"])
            _refresh_items(batch, found)
            if actor is not None:
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=actor,
                    obj=batch,
                    fields=["items"],
                    reason="propose",
                )
            return batch
    except IntegrityError:  # another run made it meanwhile: that one stands
        return DestructionBatch.objects.filter(branch=branch, status=BatchStatus.PROPOSED).first()


def _refresh_items(batch: DestructionBatch, found: dict) -> None:
    items = {item.client_id: item for item in batch.items.all()}
    for client_id, item in items.items():
        if item.state == ItemState.EXCLUDED:
            continue
        entry = found.get(client_id)
        if entry is None:
            state, values = ItemState.NOT_DUE, {}
        else:
            state = ItemState.HELD if entry.held else ItemState.DUE
            values = {
                "case_ids": entry.case_ids,
                "whole_client": entry.whole_client,
                "reason": entry.reason,
                "due_on": entry.due_on,
            }
        DestructionItem.objects.filter(pk=item.pk).update(state=state, **values)
    DestructionItem.objects.bulk_create(
        [
            DestructionItem(
                batch=batch,
                client_id=entry.client_id,
                case_ids=entry.case_ids,
                whole_client=entry.whole_client,
                reason=entry.reason,
                due_on=entry.due_on,
                state=ItemState.HELD if entry.held else ItemState.DUE,
            )
            for client_id, entry in found.items()
            if client_id not in items
        ]
    )


@transaction.atomic
def item_exclude(*, actor: User, item: DestructionItem, reason: str) -> DestructionItem:
    item = DestructionItem.objects.select_for_update().select_related("batch").get(pk=item.pk)
    if not (manages_branch(actor, item.batch.branch_id) or actor.can(Capability.MANAGE_STAFF)):
        raise PermissionDenied
    if item.batch.status != BatchStatus.PROPOSED:
        raise ValidationError(_("Only the items of a batch still under review can be excluded."))
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {
                "reason": _("Give the reason for excluding it (at least %(n)d characters).")
                % {"n": MIN_REASON}
            }
        )
    if item.state == ItemState.EXCLUDED:
        raise ValidationError(_("This item is already excluded."))
    item.state, item.exclusion_reason, item.excluded_by = ItemState.EXCLUDED, reason, actor
    item.save(update_fields=["state", "exclusion_reason", "excluded_by"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=item,
        fields=["state", "exclusion_reason"],
        reason="exclude",
    )
    return item


def _refuse_if_held(items, today) -> None:
    held = [
        item.client.case_code
        for item in items
        if due_rules.is_held(item.client_id, item.case_ids, today, whole_client=item.whole_client)
    ]
    if held:
        raise ValidationError(
            _(
                "Under legal hold: %(codes)s. Exclude them from the batch or release the "
                "hold first; nothing was approved."
            )
            % {"codes": ", ".join(sorted(held))}
        )


@transaction.atomic
def batch_approve(
    *, actor: User, batch: DestructionBatch, expected_version: int | None = None
) -> DestructionBatch:
    """The second person's yes: a branch manager of the batch's branch who did
    not propose it. Every due item is checked for a hold first."""
    batch = DestructionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == BatchStatus.EXECUTED:
        raise ValidationError(_("This batch has already been carried out."))
    if batch.status == BatchStatus.APPROVED:
        raise ValidationError(_("This batch has already been approved."))
    if not manages_branch(actor, batch.branch_id):
        raise ValidationError(
            _("Only a branch manager of this branch can approve its destruction.")
        )
    four_eyes.require_second_person(
        actor=actor,
        requested_by_id=batch.proposed_by_id,
        message=_("You proposed this batch: another branch manager must approve it."),
    )
    due = list(batch.items.filter(state=ItemState.DUE).select_related("client"))
    if not due:
        raise ValidationError(_("Nothing in this batch is due for destruction."))
    _refuse_if_held(due, timezone.localdate())
    claim_version(batch, expected_version)
    batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor, timezone.now()
    batch.save(update_fields=["status", "approved_by", "approved_at", "version"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=batch,
        fields=["status", "approved_by"],
        reason="approve",
    )
    enqueue_on_commit("retention.execute_batch", args=[batch.pk])
    return batch


# --- Destruction ---------------------------------------------------------------------------


def _delete_files(stub_id: int) -> None:
    stub = DestructionStub.objects.filter(pk=stub_id).first()
    if stub is None or not stub.files_pending:
        return
    for area, storage_name in stub.files_pending:
        private_files.delete(area, storage_name)
    DestructionStub.objects.filter(pk=stub_id).update(files_pending=[])


def _still_destroyable(item: DestructionItem, client: Client) -> tuple[list[Case], bool]:
    cases = list(
        Case.objects.filter(pk__in=item.case_ids, client=client, status=CaseStatus.CLOSED).exclude(
            pk__in=DestructionStub.objects.filter(case__isnull=False).values("case_id")
        )
    )
    whole = item.whole_client
    if whole:
        remaining = Case.objects.filter(client=client).exclude(
            Q(pk__in=[c.pk for c in cases])
            | Q(
                pk__in=DestructionStub.objects.filter(client=client, case__isnull=False).values(
                    "case_id"
                )
            )
        )
        whole = (
            not remaining.exists()
            and not Stay.objects.filter(client=client, discharged_on__isnull=True).exists()
        )
    return cases, whole


def item_destroy(*, item_id: int) -> dict[str, int]:
    """Destroy one client's due records, in one transaction; {} if there was
    nothing (left) to do."""
    with transaction.atomic():
        item = DestructionItem.objects.select_for_update().select_related("batch").get(pk=item_id)
        if item.state != ItemState.DUE or item.batch.status != BatchStatus.APPROVED:
            return {}
        client = Client.objects.select_for_update().get(pk=item.client_id)
        actor = item.batch.approved_by
        today = timezone.localdate()
        if due_rules.is_held(client.pk, item.case_ids, today, whole_client=item.whole_client):
            item.state = ItemState.HELD
            item.save(update_fields=["state"])
            audit_record(
                action=AuditAction.UPDATE, actor=actor, obj=item, fields=["state"], reason="held"
            )
            return {}
        cases, whole = _still_destroyable(item, client)
        if not cases and not whole:
            item.state = ItemState.NOT_DUE
            item.save(update_fields=["state"])
            return {}
        counts: registry.Counts = {}
        now = timezone.now()
        with registry.collecting_files() as pending:
            if whole:
                for scrubber in registry.scrubbers():
                    registry.add_counts(counts, registry.counted(scrubber, scrubber.fn(client)))
            else:
                for case in cases:
                    for scrubber in registry.scrubbers():
                        if scrubber.case_fn is not None:
                            result = scrubber.case_fn(case)
                            registry.add_counts(counts, registry.counted(scrubber, result))
        stubs = [
            DestructionStub(client=client, case=case, item=item, destroyed_at=now) for case in cases
        ]
        if whole:
            stubs.append(DestructionStub(client=client, item=item, destroyed_at=now))
        stubs[-1].files_pending = pending
        DestructionStub.objects.bulk_create(stubs)
        item.state, item.destroyed_at, item.counts = ItemState.DESTROYED, now, counts
        item.save(update_fields=["state", "destroyed_at", "counts"])
        audit_record(
            action=AuditAction.DELETE,
            actor=actor,
            obj=client,
            fields=sorted(counts),
            reason="retention_client" if whole else "retention_cases",
        )
        for case in cases:
            audit_record(action=AuditAction.DELETE, actor=actor, obj=case, reason="retention_case")
        pending_stub = DestructionStub.objects.filter(item=item).exclude(files_pending=[]).first()
        if pending_stub is not None:
            transaction.on_commit(lambda: _delete_files(pending_stub.pk))
    return counts


def batch_execute(*, batch_id: int) -> str:
    """Carry out an approved batch, client by client; safe to run again (a
    destroyed client is skipped, and leftover files are deleted)."""
    batch = DestructionBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status == BatchStatus.PROPOSED:
        return "skipped"
    for stub_id in (
        DestructionStub.objects.filter(item__batch=batch)
        .exclude(files_pending=[])
        .values_list("pk", flat=True)
    ):
        _delete_files(stub_id)
    if batch.status == BatchStatus.EXECUTED:
        return "done"
    for item_id in batch.items.filter(state=ItemState.DUE).values_list("pk", flat=True):
        item_destroy(item_id=item_id)
    counts: registry.Counts = {}
    for destroyed in batch.items.filter(state=ItemState.DESTROYED).values_list("counts", flat=True):
        registry.add_counts(counts, destroyed)
    with transaction.atomic():
        finished = DestructionBatch.objects.filter(pk=batch_id, status=BatchStatus.APPROVED).update(
            status=BatchStatus.EXECUTED, executed_at=timezone.now(), counts=counts
        )
        if finished:
            batch.refresh_from_db()
            audit_record(
                action=AuditAction.UPDATE,
                actor=batch.approved_by,
                obj=batch,
                fields=["status", "counts"],
                reason="executed",
            )
    return "executed"


def batches_waiting() -> list[int]:
    """Approved batches not yet carried out (the broker was down, a worker died)."""
    return list(
        DestructionBatch.objects.filter(status=BatchStatus.APPROVED).values_list("pk", flat=True)
    )


def propose_everywhere() -> list[int]:
    """The daily proposal at every branch; the ids of the batches open for review."""
    proposed = []
    for branch in Branch.objects.order_by("pk"):
        batch = batch_propose(branch=branch)
        if batch is not None:
            proposed.append(batch.pk)
    return proposed
