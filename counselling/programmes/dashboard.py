"""The programmes panel of the home page."""

from counselling.programmes.selectors import facilitated_by
from ngo.lib.dashboard import register


@register
def programmes_panel(user):
    """Facilitators (volunteers included) reach their programmes from the home page."""
    mine = facilitated_by(user=user)
    if not mine.exists():
        return None
    return {
        "template": "dashboard/programmes.html",
        "programmes": list(mine[:5]),
        "total": mine.count(),
    }
