"""Who may see and answer approval requests.

- A request follows the rule of its case: whoever reads the case reads the
  requests on it (another branch's request answers 404).
- Approving or declining: a manager of the case's branch (services.may_decide),
  never the person who asked (the four-eyes rule, ngo.access.four_eyes).
"""

from django.db.models import Q

from counselling.access_rules import visible_cases
from counselling.approvals.models import ApprovalRequest
from counselling.approvals.services import may_decide
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


@access.rule(ApprovalRequest)
def approval_rule(user, need: Need) -> Q | None:
    if not user.can(Capability.READ_CASES):
        return None
    if need is Need.WRITE and not user.can(Capability.WRITE_CASES):
        return None
    return Q(case__in=visible_cases(user).values("pk"))


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)

routes.register(
    {
        "approvals:approval_list": routes.page(gate=_reads_cases),
        "approvals:approval_approve": routes.action(
            gate=_reads_cases, record=ApprovalRequest, write_check=may_decide
        ),
        "approvals:approval_decline": routes.action(
            gate=_reads_cases, record=ApprovalRequest, write_check=may_decide
        ),
        "api:approval-list": routes.api_list(ApprovalRequest, create=False),
        "api:approval-detail": routes.api_detail(ApprovalRequest, write=()),
        "api:approval-approve": routes.api_action(ApprovalRequest, write_check=may_decide),
        "api:approval-decline": routes.api_action(ApprovalRequest, write_check=may_decide),
    }
)
