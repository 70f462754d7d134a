"""The approvals of the case page: what awaits the branch manager (the
closure, the safety plan) and what she answered (see counselling.case_panels)."""

from __future__ import annotations

from counselling.approvals import selectors
from counselling.approvals.models import ApprovalKind, ApprovalStatus
from counselling.case_panels import Panel, register
from ngo.accounts.roles import Capability


@register
def approvals_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    approvals = list(selectors.approval_list(user=user, case=case)[:10])
    branch = case.branch
    if not approvals and not (
        branch.closure_needs_approval or branch.high_risk_plan_needs_approval
    ):
        return None
    pending = [approval for approval in approvals if approval.status == ApprovalStatus.PENDING]
    return Panel(
        template="approvals/_case_panel.html",
        context={
            "approvals": approvals,
            "closure_awaiting": any(a.kind == ApprovalKind.CASE_CLOSURE for a in pending),
            "plan_awaiting": any(a.kind == ApprovalKind.SAFETY_PLAN for a in pending),
            "closure_needs_approval": branch.closure_needs_approval,
            "plan_needs_approval": branch.high_risk_plan_needs_approval,
        },
    )
