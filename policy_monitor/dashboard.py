"""The policy panel of the home page: open comment periods and deadlines,
recommendations by status and mechanism, recent policy events."""

from datetime import timedelta

from django.utils import timezone

from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register
from policy_monitor import selectors

HORIZON = timedelta(days=60)


@register
def policy_panel(user):
    if not user.can(Capability.WRITE_POLICY):
        return None
    today = timezone.localdate()
    return {
        "template": "dashboard/policy.html",
        **selectors.policy_overview(user=user, today=today, horizon=today + HORIZON),
    }
