"""Who may see and change hotline calls.

- An unlinked call belongs to its branch: the case workers of that branch
  (READ_CASES to read, WRITE_CASES to write: counsellors, branch managers,
  administrators; shelter workers read) see it. Another branch's call is 404.
- A call linked to her case follows the case's rule
  (counselling.access_rules.visible_cases): a restricted case hides its calls.
"""

from django.db.models import Q

from counselling.access_rules import branches_q, visible_cases
from counselling.hotline.models import HotlineCall
from counselling.models import Case
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


def _may(user, need: Need) -> bool:
    if not user.can(Capability.READ_CASES):
        return False
    return need is Need.READ or user.can(Capability.WRITE_CASES)


@access.rule(HotlineCall)
def call_rule(user, need: Need) -> Q | None:
    if not _may(user, need):
        return None
    unlinked = Q(case__isnull=True) & branches_q(user, "branch_id")
    return unlinked | Q(case__in=visible_cases(user).values("pk"))


_reads_cases = routes.has(Capability.READ_CASES)

routes.register(
    {
        "hotline:call_list": routes.page(gate=_reads_cases),
        "hotline:call_new": routes.form(gate=_reads_cases, creates=HotlineCall),
        "hotline:call_detail": routes.page(gate=_reads_cases, record=HotlineCall),
        "hotline:call_edit": routes.form(gate=_reads_cases, record=HotlineCall),
        "hotline:call_link": routes.action(gate=_reads_cases, record=HotlineCall),
        "hotline:call_unlink": routes.action(gate=_reads_cases, record=HotlineCall),
        "hotline:case_call_link": routes.action(gate=_reads_cases, record=Case),
        "api:hotline-call-list": routes.api_list(HotlineCall),
        "api:hotline-call-detail": routes.api_detail(HotlineCall),
        "api:hotline-call-link": routes.api_action(HotlineCall),
        "api:hotline-call-unlink": routes.api_action(HotlineCall),
    }
)
