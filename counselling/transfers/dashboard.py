"""The managers' inbox on the home page: transfers awaiting her answer."""

from counselling.transfers.selectors import incoming_pending
from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register


@register
def transfers_panel(user):
    if not (user.can(Capability.READ_CASES) and user.can(Capability.MANAGE_BRANCH)):
        return None
    return {"template": "dashboard/transfers.html", "incoming": incoming_pending(user=user).count()}
