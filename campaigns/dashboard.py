"""The coordinator panel of the home page: active campaigns, tasks due soon or
overdue, recent actions."""

from django.utils import timezone

from campaigns import selectors
from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register


@register
def campaigns_panel(user):
    if not user.can(Capability.WRITE_CAMPAIGNS):
        return None
    today = timezone.localdate()
    due = list(selectors.tasks_due(user=user)[:8])
    for task in due:
        task.overdue = task.due_on < today
    return {
        "template": "dashboard/campaigns.html",
        "active_campaigns": list(selectors.active_campaigns(user=user).order_by("title")[:8]),
        "active_count": selectors.active_campaigns(user=user).count(),
        "tasks_due": due,
        "recent_actions": list(selectors.recent_actions(user=user)),
    }
