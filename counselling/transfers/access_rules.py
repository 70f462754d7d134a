"""Who may see and answer transfers.

- A transfer follows the rule of its case: whoever reads the case reads its
  transfers; whoever writes it requests one, or cancels one still awaiting
  an answer.
- The managers of the receiving branch read the transfers to their branch
  (the request and the case's few details needed to decide, never her file
  before acceptance) and accept or decline them (services.may_receive).
- After acceptance the case is the receiving branch's: the sending branch's
  staff no longer read it, nor its transfers.
"""

from django.db.models import Q

from counselling.access_rules import any_of, branches_q, visible_cases
from counselling.models import Case
from counselling.transfers.models import Transfer
from counselling.transfers.services import may_cancel, may_receive
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


@access.rule(Transfer)
def transfer_rule(user, need: Need) -> Q | None:
    if not user.can(Capability.READ_CASES):
        return None
    if need is Need.WRITE and not user.can(Capability.WRITE_CASES):
        return None
    of_case = Q(case__in=visible_cases(user).values("pk"))
    if not user.can(Capability.MANAGE_BRANCH):
        return of_case
    return any_of(of_case, branches_q(user, "to_branch_id"))


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)

routes.register(
    {
        "transfers:transfer_list": routes.page(gate=_reads_cases),
        "transfers:transfer_request": routes.action(gate=_reads_cases, record=Case),
        "transfers:transfer_detail": routes.page(gate=_reads_cases, record=Transfer),
        "transfers:transfer_accept": routes.action(
            gate=_reads_cases, record=Transfer, write_check=may_receive
        ),
        "transfers:transfer_decline": routes.action(
            gate=_reads_cases, record=Transfer, write_check=may_receive
        ),
        "transfers:transfer_cancel": routes.action(
            gate=_reads_cases, record=Transfer, write_check=may_cancel
        ),
        "api:transfer-list": routes.api_list(Transfer, on_parent=True),
        "api:transfer-detail": routes.api_detail(Transfer, write=()),
        "api:transfer-accept": routes.api_action(Transfer, write_check=may_receive),
        "api:transfer-decline": routes.api_action(Transfer, write_check=may_receive),
        "api:transfer-cancel": routes.api_action(Transfer, write_check=may_cancel),
    }
)
