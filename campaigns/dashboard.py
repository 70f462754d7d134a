"""The coordinator panel of the home page: active campaigns, tasks due soon or
overdue, recent actions."""

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors
from campaigns.models import CampaignStatus
from ngo.accounts.roles import Capability
from ngo.lib import charts
from ngo.lib.dashboard import register


@register
def campaigns_panel(user):
    if not user.can(Capability.WRITE_CAMPAIGNS):
        return None
    today = timezone.localdate()
    due = list(selectors.tasks_due(user=user)[:8])
    for task in due:
        task.overdue = task.due_on < today
    months = charts.month_starts(today)
    by_status = selectors.campaigns_by_status(user=user)
    actions = selectors.actions_per_month(user=user, since=months[0])
    # Seen from head office across every partner: the small-cell rule applies.
    k = charts.DEFAULT_CELL_SIZE
    return {
        "template": "dashboard/campaigns.html",
        "charts": [
            charts.chart(
                key="campaign-status",
                title=_("Campaigns by status"),
                labels=CampaignStatus.labels,
                series=[(_("campaigns"), list(by_status.values()))],
                k=k,
            ),
            charts.chart(
                key="campaign-actions",
                title=_("Campaign actions per month"),
                labels=charts.month_labels(months),
                series=[(_("actions"), charts.per_period(actions, months))],
                k=k,
            ),
        ],
        "active_campaigns": list(selectors.active_campaigns(user=user).order_by("title")[:8]),
        "active_count": selectors.active_campaigns(user=user).count(),
        "tasks_due": due,
        "recent_actions": list(selectors.recent_actions(user=user)),
    }
