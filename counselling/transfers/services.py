"""Requesting, accepting, declining and cancelling a transfer of a case to
another branch, and what the destruction of her records does to transfers.

Acceptance moves, in one transaction with the rows locked: the case, her
other cases still open at the sending branch (one woman, one branch) and her
client record; the sending branch's staff are taken off those cases and the
receiving branch's chosen staff put on. Her case code stays. What the centre
wrote before the move (audit events, letters, legal holds, shelter stays)
stays as it was written."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Case, CaseActivity, CaseStatus, Client
from counselling.shelters.models import Stay
from counselling.transfers.models import Transfer, TransferStatus
from ngo import access
from ngo.access import four_eyes
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of
from ngo.lib.versions import bump_version, claim_version

TIMELINE_PREFIX = "transfer:"


# --- Who decides ---------------------------------------------------------------------------


def may_receive(user, transfer: Transfer | None) -> bool:
    """The managers of the receiving branch accept or decline (without a
    transfer: of some branch)."""
    if transfer is None:
        return user.can(Capability.MANAGE_BRANCH)
    return four_eyes.manages_branch(user, transfer.to_branch_id)


def may_cancel(user, transfer: Transfer | None) -> bool:
    """Whoever may change the case (its sending side) withdraws the request."""
    if transfer is None:
        return user.can(Capability.WRITE_CASES)
    return access.can(user, transfer.case, access.Need.WRITE)


def require_receiver(actor: User, transfer: Transfer) -> None:
    if not may_receive(actor, transfer):
        access.refuse(actor, transfer, reason="transfer_receive")


def require_canceller(actor: User, transfer: Transfer) -> None:
    if not may_cancel(actor, transfer):
        access.refuse(actor, transfer, reason="transfer_cancel")


# --- What the screens say before acceptance --------------------------------------------------


def cases_moving_with(transfer: Transfer) -> list[Case]:
    """Her other cases still open at the sending branch: they move too."""
    return list(
        Case.objects.filter(client_id=transfer.case.client_id, branch_id=transfer.from_branch_id)
        .exclude(pk=transfer.case_id)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("pk")
    )


def in_sending_shelter(transfer: Transfer) -> bool:
    """She stays in a shelter of the sending branch now (the stay does not move)."""
    return Stay.objects.filter(
        client_id=transfer.case.client_id,
        shelter__branch_id=transfer.from_branch_id,
        discharged_on__isnull=True,
    ).exists()


# --- Requesting ----------------------------------------------------------------------------


@transaction.atomic
def transfer_request(
    *, actor: User, case: Case, to_branch: Branch, reason: str, note: str | None = None
) -> Transfer:
    """A request to the receiving branch; `actor` may change the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case should move to another branch.")})
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": _("This case is closed: a closed case is not transferred.")})
    if to_branch.pk == case.branch_id:
        raise ValidationError({"to_branch": _("The case is already at this branch.")})
    if not to_branch.is_active:
        raise ValidationError({"to_branch": _("This branch is closed.")})
    if Transfer.objects.filter(case=case, status=TransferStatus.PENDING).exists():
        raise ValidationError({"case": _("This case already has a transfer awaiting an answer.")})
    transfer = Transfer(
        case=case,
        from_branch_id=case.branch_id,
        to_branch=to_branch,
        reason=reason,
        note=(note or "").strip() or None,
        requested_by=actor,
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:  # a request made meanwhile
        raise ValidationError(
            {"case": _("This case already has a transfer awaiting an answer.")}
        ) from None
    audit_record(
        action=AuditAction.CREATE, actor=actor, obj=transfer, fields=["to_branch", "reason", "note"]
    )
    return transfer


def _pending(transfer: Transfer, expected_version: int | None) -> Transfer:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(
            _("This transfer has already been answered (%(status)s).")
            % {"status": transfer.get_status_display()}
        )
    claim_version(transfer, expected_version)
    return transfer


def _check_receiving_staff(branch_id: int, users: Iterable[User]) -> list[User]:
    users = list(users)
    if not users:
        raise ValidationError(
            {"assigned": _("Choose at least one counsellor of your branch for the case.")}
        )
    for user in users:
        if not (
            user.is_active and user.can(Capability.WRITE_CASES) and branch_id in user.branch_ids()
        ):
            raise ValidationError(
                {
                    "assigned": _("%(name)s does not work at the receiving branch.")
                    % {"name": user.full_name}
                }
            )
    return users


def _timeline(*, actor: User, case: Case, transfer: Transfer) -> None:
    """One line on the case's timeline naming both branches."""
    CaseActivity.objects.create(
        client_id=case.client_id,
        case=case,
        kind=CaseActivity.Kind.CASE_UPDATED,
        actor=actor,
        object_type=object_type_of(transfer),
        object_id=str(transfer.pk),
        label=f"{TIMELINE_PREFIX}{transfer.from_branch.code}:{transfer.to_branch.code}"[:100],
    )


# --- Answering -----------------------------------------------------------------------------


@transaction.atomic
def transfer_accept(
    *,
    actor: User,
    transfer: Transfer,
    assigned: Iterable[User],
    expected_version: int | None = None,
) -> Transfer:
    """Move her case (and her other open cases there) and her record to the
    receiving branch, with the staff chosen; all or nothing."""
    require_receiver(actor, transfer)
    four_eyes.require_second_person(
        actor=actor,
        requested_by_id=transfer.requested_by_id,
        message=_(
            "You requested this transfer: another manager of the receiving branch accepts it."
        ),
    )
    transfer = _pending(transfer, expected_version)
    staff = _check_receiving_staff(transfer.to_branch_id, assigned)
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if case.branch_id != transfer.from_branch_id:
        raise ValidationError(_("The case is no longer at the sending branch."))
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The case was closed meanwhile: it is not transferred."))
    client = Client.objects.select_for_update().get(pk=case.client_id)
    others = list(
        Case.objects.select_for_update()
        .filter(client=client, branch_id=transfer.from_branch_id)
        .exclude(pk=case.pk)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("pk")
    )
    now = timezone.now()
    for moving in [case, *others]:
        bump_version(moving, branch_id=transfer.to_branch_id, updated_at=now)
        moving.assigned.set(staff)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=moving,
            branch=transfer.to_branch_id,
            fields=["branch", "assigned"],
            reason="transfer",
        )
        _timeline(actor=actor, case=moving, transfer=transfer)
    if client.branch_id != transfer.to_branch_id:
        bump_version(client, branch_id=transfer.to_branch_id)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=client,
            branch=transfer.to_branch_id,
            fields=["branch"],
            reason="transfer",
        )
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by, transfer.decided_at = actor, now
    transfer.moved_cases = [other.pk for other in others]
    transfer.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=transfer,
        fields=["status", "assigned"],
        reason="accepted",
    )
    return transfer


@transaction.atomic
def transfer_decline(
    *, actor: User, transfer: Transfer, reason: str, expected_version: int | None = None
) -> Transfer:
    require_receiver(actor, transfer)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is declined.")})
    four_eyes.require_second_person(
        actor=actor,
        requested_by_id=transfer.requested_by_id,
        message=_("You requested this transfer: cancel it instead of declining it."),
    )
    transfer = _pending(transfer, expected_version)
    transfer.status = TransferStatus.DECLINED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.decline_reason = reason
    transfer.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=transfer,
        fields=["status", "decline_reason"],
        reason="declined",
    )
    return transfer


@transaction.atomic
def transfer_cancel(
    *, actor: User, transfer: Transfer, expected_version: int | None = None
) -> Transfer:
    require_canceller(actor, transfer)
    transfer = _pending(transfer, expected_version)
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save()
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=transfer, fields=["status"], reason="cancelled"
    )
    return transfer


# --- Her records destroyed -----------------------------------------------------------------


def scrub_transfers(client: Client) -> dict[str, int]:
    """Blank the free text of her transfers; the branches and dates stay (counts)."""
    count = Transfer.objects.filter(case__client=client).update(
        reason=None, note=None, decline_reason=None
    )
    return {"transfers.Transfer": count}


def unknown_staff_message() -> str:
    return _("Some of the staff named do not exist.")
