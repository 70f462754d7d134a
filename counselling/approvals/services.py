"""Requests for the branch manager's approval, and her answer.

The counselling services hand a closure, or the safety plan of a high-risk
case, to this app where the case's branch asks for approval (see
counselling.reviews). A manager of the case's branch who did not ask
approves (the case then closes as asked; the plan stands approved) or
declines with a reason (the case stays open; the plan stays awaiting a new
one). Every step is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling import reviews
from counselling.approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from counselling.models import Case, CaseActivity, CaseStatus, Client, SafetyPlan
from counselling.services import case_change_status
from ngo import access
from ngo.access import four_eyes
from ngo.accounts.models import User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of
from ngo.lib.versions import claim_version


def may_decide(user, approval: ApprovalRequest | None) -> bool:
    """Managers of the case's branch (without a request: of some branch)."""
    if approval is None:
        return user.can(Capability.MANAGE_BRANCH)
    return four_eyes.manages_branch(user, approval.case.branch_id)


def require_decider(actor: User, approval: ApprovalRequest) -> None:
    if not may_decide(actor, approval):
        access.refuse(actor, approval, reason="approve")


def _timeline(*, actor, case: Case, obj, kind, label: str) -> None:
    CaseActivity.objects.create(
        client_id=case.client_id,
        case=case,
        kind=kind,
        actor=actor,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        label=label,
    )


def _save_new(approval: ApprovalRequest) -> None:
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        raise ValidationError(_("This case already has a request awaiting approval.")) from None


# --- Asking (called by the counselling services) ----------------------------------------------


@transaction.atomic
def closure_request(
    *, actor: User, case: Case, closed_on, closure_reason: str, closure_note: str | None
) -> ApprovalRequest:
    """The closure as asked, for the branch manager to approve."""
    if ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.CASE_CLOSURE, status=ApprovalStatus.PENDING
    ).exists():
        raise ValidationError(_("Closing this case already awaits the branch manager's approval."))
    approval = ApprovalRequest(
        kind=ApprovalKind.CASE_CLOSURE,
        case=case,
        closed_on=closed_on,
        closure_reason=closure_reason,
        closure_note=closure_note,
        requested_by=actor,
    )
    _save_new(approval)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=approval,
        fields=["kind", "closed_on", "closure_reason", "closure_note"],
    )
    return approval


@transaction.atomic
def plan_request(*, actor: User, plan: SafetyPlan) -> ApprovalRequest:
    """The new safety plan of a high-risk case awaits approval; a request for
    a plan it replaced has nothing left to approve and goes."""
    for old in ApprovalRequest.objects.filter(
        case_id=plan.case_id, kind=ApprovalKind.SAFETY_PLAN, status=ApprovalStatus.PENDING
    ):
        audit_record(action=AuditAction.DELETE, actor=actor, obj=old, reason="plan_replaced")
        old.delete()
    approval = ApprovalRequest(
        kind=ApprovalKind.SAFETY_PLAN, case_id=plan.case_id, safety_plan=plan, requested_by=actor
    )
    _save_new(approval)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=approval, fields=["kind"])
    return approval


reviews.register(reviews.CLOSURE, closure_request)
reviews.register(reviews.SAFETY_PLAN, plan_request)


# --- Answering -----------------------------------------------------------------------------


def _pending(approval: ApprovalRequest, expected_version: int | None) -> ApprovalRequest:
    approval = (
        ApprovalRequest.objects.select_for_update().select_related("case").get(pk=approval.pk)
    )
    if approval.status != ApprovalStatus.PENDING:
        raise ValidationError(
            _("This request has already been answered (%(status)s).")
            % {"status": approval.get_status_display()}
        )
    claim_version(approval, expected_version)
    return approval


def _second_person(actor: User, approval: ApprovalRequest) -> None:
    require_decider(actor, approval)
    four_eyes.require_second_person(
        actor=actor,
        requested_by_id=approval.requested_by_id,
        message=_("You asked for this approval: another manager of the branch must decide it."),
    )


@transaction.atomic
def approval_approve(
    *, actor: User, approval: ApprovalRequest, expected_version: int | None = None
) -> ApprovalRequest:
    _second_person(actor, approval)
    approval = _pending(approval, expected_version)
    case = approval.case
    if approval.kind == ApprovalKind.CASE_CLOSURE:
        case_change_status(
            actor=actor,
            case=case,
            to=CaseStatus.CLOSED,
            closed_on=approval.closed_on,
            closure_reason=approval.closure_reason,
            closure_note=approval.closure_note,
            approved=True,
        )
    else:
        plan = approval.safety_plan
        if plan is None or not plan.is_active:
            raise ValidationError(_("This safety plan has been replaced: approve the new one."))
        _timeline(
            actor=actor, case=case, obj=plan, kind=CaseActivity.Kind.SAFETY_PLAN, label="approved"
        )
    approval.status = ApprovalStatus.APPROVED
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.save()
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=approval, fields=["status"], reason="approved"
    )
    return approval


@transaction.atomic
def approval_decline(
    *, actor: User, approval: ApprovalRequest, reason: str, expected_version: int | None = None
) -> ApprovalRequest:
    _second_person(actor, approval)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined.")})
    approval = _pending(approval, expected_version)
    approval.status = ApprovalStatus.DECLINED
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.decline_reason = reason
    approval.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=approval,
        fields=["status", "decline_reason"],
        reason="declined",
    )
    return approval


# --- Her records destroyed -----------------------------------------------------------------


def scrub_approvals(client: Client) -> dict[str, int]:
    """Blank the free text of the requests on her cases; kinds and dates stay."""
    count = ApprovalRequest.objects.filter(case__client=client).update(
        closure_note=None, decline_reason=None
    )
    return {"approvals.ApprovalRequest": count}
