"""The policy panel of the home page: open comment periods and deadlines,
recommendations by status and mechanism, recent policy events."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.accounts.roles import Capability
from ngo.lib import charts
from ngo.lib.dashboard import register
from policy_monitor import selectors

HORIZON = timedelta(days=60)
# The home panel looks further ahead than the policy index.
PANEL_HORIZON = timedelta(days=90)


@register
def policy_panel(user):
    if not user.can(Capability.WRITE_POLICY):
        return None
    today = timezone.localdate()
    horizon = today + PANEL_HORIZON
    overview = selectors.policy_overview(user=user, today=today, horizon=horizon)
    weeks = charts.weeks_from(today, horizon)
    deadlines = selectors.deadlines_per_week(user=user, today=today, horizon=horizon)
    return {
        "template": "dashboard/policy.html",
        **overview,
        "charts": [
            charts.chart(
                key="policy-status",
                title=_("Recommendations by status"),
                labels=[label for label, _n, _value in overview["by_status"]],
                series=[(_("recommendations"), [n for _label, n, _value in overview["by_status"]])],
                horizontal=True,
            ),
            charts.chart(
                key="policy-mechanism",
                title=_("Recommendations by mechanism"),
                labels=[mechanism.code for mechanism, _n in overview["by_mechanism"]],
                series=[(_("recommendations"), [n for _m, n in overview["by_mechanism"]])],
            ),
            charts.chart(
                key="policy-deadlines",
                title=_("Deadlines in the next 90 days, by week"),
                labels=charts.week_labels(weeks),
                series=[(_("deadlines"), charts.per_period(deadlines, weeks))],
            ),
        ],
    }
