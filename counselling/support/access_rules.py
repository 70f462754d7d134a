"""Who may see and change the services given to a case, and who reads the
"what support cost" report.

- A service given follows its case's rule (counselling.access_rules): READ_CASES
  to read, WRITE_CASES to write, the case visible to her; another branch's
  record is 404.
- The cost report (sums and counts, no personal data) is for branch managers,
  over the branches they work at, and for head office (all branches): the
  branch-caseload rule, `may_see_caseload`.
"""

from django.db.models import Q

from counselling.access_rules import may_see_caseload, visible_cases
from counselling.models import Case
from counselling.support.models import ServiceGiven
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


def _may(user, need: Need) -> bool:
    if not user.can(Capability.READ_CASES):
        return False
    return need is Need.READ or user.can(Capability.WRITE_CASES)


@access.rule(ServiceGiven)
def service_given_rule(user, need: Need) -> Q | None:
    if not _may(user, need):
        return None
    return Q(case__in=visible_cases(user).values("pk"))


def may_see_cost_report(user) -> bool:
    return may_see_caseload(user)


def require_cost_report(user) -> None:
    if not may_see_cost_report(user):
        access.refuse(user, ServiceGiven, reason="cost_report")


_reads_cases = routes.has(Capability.READ_CASES)
_cost_report = routes.Gate("cost report", may_see_cost_report)

routes.register(
    {
        "support:service_add": routes.action(gate=_reads_cases, record=Case),
        "support:service_edit": routes.form(gate=_reads_cases, record=ServiceGiven),
        "support:service_cancel": routes.action(gate=_reads_cases, record=ServiceGiven),
        "support:cost_report": routes.page(gate=_cost_report),
        "support:cost_report_csv": routes.page(gate=_cost_report),
        "api:service-given-list": routes.api_list(ServiceGiven, on_parent=True),
        "api:service-given-detail": routes.api_detail(ServiceGiven),
        "api:service-given-cancel": routes.api_action(ServiceGiven),
    }
)
