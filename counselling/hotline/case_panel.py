"""The hotline panel of the case page (see counselling.case_panels): the calls
linked to the case, and linking one of the branch's unlinked calls."""

from __future__ import annotations

from counselling.case_panels import Panel, register
from counselling.hotline import selectors
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


@register
def hotline_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    can_write = access.can(user, case, Need.WRITE)
    return Panel(
        template="hotline/_case_panel.html",
        context={
            "calls": list(selectors.calls_of_case(user=user, case=case)),
            "to_link": selectors.calls_to_link(user=user, case=case) if can_write else [],
            "can_write": can_write,
        },
    )
