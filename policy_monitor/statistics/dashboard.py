"""The home-page panel of shadow-report statistics: a way in for those who read them."""

from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register
from policy_monitor.statistics.selectors import dataset_list


@register
def statistics_panel(user):
    if not user.can(Capability.READ_STATISTICS):
        return None
    datasets, _filterset = dataset_list(user=user)
    return {
        "template": "statistics/_panel.html",
        "datasets": list(datasets[:5]),
        "can_create": user.can(Capability.WRITE_STATISTICS),
    }
