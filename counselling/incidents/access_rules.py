"""Who may see and change incidents: an incident follows the rule of its case.
Whoever reads the case reads its incidents; whoever writes the case records,
changes and deletes them. Another branch's case, or a restricted case she is
not assigned to, answers 404 for its incidents too."""

from django.db.models import Q

from counselling.access_rules import visible_cases
from counselling.incidents.models import Incident
from counselling.models import Case
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


@access.rule(Incident)
def incident_rule(user, need: Need) -> Q | None:
    if not user.can(Capability.READ_CASES):
        return None
    if need is Need.WRITE and not user.can(Capability.WRITE_CASES):
        return None
    return Q(case__in=visible_cases(user).values("pk"))


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)

routes.register(
    {
        "incidents:incident_add": routes.form(gate=_reads_cases, record=Case),
        "incidents:incident_edit": routes.form(gate=_reads_cases, record=Incident),
        "incidents:incident_delete": routes.form(gate=_reads_cases, record=Incident),
        "api:incident-list": routes.api_list(Incident, on_parent=True),
        "api:incident-detail": routes.api_detail(Incident, write=("PATCH", "DELETE")),
    }
)
