"""The managers' inbox on the home page: transfers awaiting her answer."""

from django.utils.translation import gettext_lazy as _

from counselling.dashboard import TRANSFERS_CHART
from counselling.transfers.selectors import incoming_pending, transfers_by_month
from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register, register_series


@register
def transfers_panel(user):
    if not (user.can(Capability.READ_CASES) and user.can(Capability.MANAGE_BRANCH)):
        return None
    return {"template": "dashboard/transfers.html", "incoming": incoming_pending(user=user).count()}


@register_series(TRANSFERS_CHART)
def transfers_per_month(*, user, months):
    """The managers' transfers chart: accepted transfers in and out per month."""
    counts = {row["month"]: row for row in transfers_by_month(user, months=len(months))}
    if not counts:
        return []
    return [
        (_("transferred in"), [counts.get(month, {}).get("incoming", 0) for month in months]),
        (_("transferred out"), [counts.get(month, {}).get("outgoing", 0) for month in months]),
    ]
