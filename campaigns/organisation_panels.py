"""What the campaigns app adds to the directory's organisation page: the
coalitions (with their history), campaigns, actions, sign-ons and demands of
that partner."""

from campaigns import selectors
from ngo.accounts.roles import Capability
from ngo.directory.panels import Panel, register


@register
def partnership_panel(user, organisation) -> Panel | None:
    if not user.can(Capability.READ_CAMPAIGNS):
        return None
    return Panel(
        template="campaigns/_organisation_panel.html",
        context=selectors.organisation_partnership(user=user, organisation=organisation),
    )
