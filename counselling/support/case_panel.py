"""The services-given panel of the case page (see counselling.case_panels)."""

from __future__ import annotations

from counselling.case_panels import Panel, register, register_form
from counselling.support import forms, selectors
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


@register
def services_given_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    given = selectors.services_of_case(user=user, case=case)
    can_write = access.can(user, case, Need.WRITE)
    return Panel(
        template="support/_case_panel.html",
        context={
            "services": given,
            "total_cost": selectors.total_cost(given),
            "can_write": can_write,
        },
    )


register_form("service", lambda user, case: forms.ServiceForm(user=user, prefix="service"))
