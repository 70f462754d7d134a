"""The Incidents panel of the case page (see counselling.case_panels)."""

from __future__ import annotations

from counselling.case_panels import Panel, register
from counselling.incidents import selectors
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


@register
def incidents_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    return Panel(
        template="incidents/_case_panel.html",
        context={
            "incidents": list(selectors.incident_list(user=user, case=case)),
            "can_write": access.can(user, case, Need.WRITE),
        },
    )
