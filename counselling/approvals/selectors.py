"""Reading approval requests, always scoped to the person reading."""

from __future__ import annotations

from django.db.models import QuerySet

from counselling.approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


def approval_queryset() -> QuerySet:
    return ApprovalRequest.objects.select_related(
        "case__client", "case__branch", "requested_by", "decided_by"
    )


def approval_list(*, user, case=None, status: str = "", kind: str = "") -> QuerySet:
    approvals = access.scope(user, approval_queryset(), Need.READ)
    if case is not None:
        approvals = approvals.filter(case=case)
    if status:
        approvals = approvals.filter(status=status)
    if kind:
        approvals = approvals.filter(kind=kind)
    return approvals


def awaiting_decision(*, user) -> QuerySet:
    """What awaits her answer: the pending requests of the branches she manages."""
    if not user.can(Capability.MANAGE_BRANCH):
        return ApprovalRequest.objects.none()
    return approval_list(user=user, status=ApprovalStatus.PENDING).filter(
        case__branch_id__in=user.branch_ids()
    )


def approval_get(*, user, pk, need: Need = Need.READ) -> ApprovalRequest:
    return access.get_for_user(user, approval_queryset(), pk, need)


def closure_awaiting(case) -> ApprovalRequest | None:
    return ApprovalRequest.objects.filter(
        case=case, kind=ApprovalKind.CASE_CLOSURE, status=ApprovalStatus.PENDING
    ).first()
