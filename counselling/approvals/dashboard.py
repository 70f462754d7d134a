"""The managers' inbox on the home page: approvals awaiting her decision."""

from counselling.approvals.selectors import awaiting_decision
from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register


@register
def approvals_panel(user):
    if not (user.can(Capability.READ_CASES) and user.can(Capability.MANAGE_BRANCH)):
        return None
    return {
        "template": "dashboard/approvals.html",
        "awaiting": awaiting_decision(user=user).count(),
    }
