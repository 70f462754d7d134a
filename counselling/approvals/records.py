"""The approval requests on her cases in her copy of her records, and in the
destruction of them."""

from __future__ import annotations

from counselling.approvals.models import ApprovalRequest
from counselling.approvals.services import scrub_approvals
from counselling.retention.registry import register_scrubber
from counselling.rights.display import display
from counselling.rights.registry import register_section


def _approvals(client):
    return [
        {
            "case": str(approval.case),
            "what": approval.get_kind_display(),
            "status": approval.get_status_display(),
            "requested at": display(approval.requested_at),
            "closed on": display(approval.closed_on),
            "closure reason": approval.get_closure_reason_display(),
            "closure note": approval.closure_note or "",
            "answered at": display(approval.decided_at),
            "reason for declining": approval.decline_reason or "",
        }
        for approval in ApprovalRequest.objects.filter(case__client=client).select_related(
            "case__client"
        )
    ]


register_section(
    "approvals", "관리자 승인 / Manager approvals", _approvals, models=[ApprovalRequest]
)
register_scrubber("approvals", scrub_approvals)
