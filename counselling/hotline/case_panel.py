"""The hotline panel of the case page (see counselling.case_panels): the calls
linked to the case, and linking one of the branch's unlinked calls (their list
is fetched when she opens the form)."""

from __future__ import annotations

from typing import NamedTuple

from counselling.case_panels import Panel, register, register_form
from counselling.hotline import selectors
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


@register
def hotline_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    return Panel(
        template="hotline/_case_panel.html",
        context={
            "calls": list(selectors.calls_of_case(user=user, case=case)),
            "can_write": access.can(user, case, Need.WRITE),
        },
    )


class CallsToLink(NamedTuple):
    calls: list


register_form(
    "hotline-call",
    lambda user, case: CallsToLink(calls=selectors.calls_to_link(user=user, case=case)),
    template="hotline/_call_link_fields.html",
)
