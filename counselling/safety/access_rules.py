"""Who may see and change a woman's safe-contact rules.

- They follow the rule of her client record: whoever reads her record reads
  them (the code word only through the audited reveal); whoever writes her
  record changes them. Another branch's client answers 404.
"""

from django.db.models import Q

from counselling.models import Client
from counselling.safety.models import SafetyRecord
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


@access.rule(SafetyRecord)
def safety_rule(user, need: Need) -> Q | None:
    if not user.can(Capability.READ_CASES):
        return None
    if need is Need.WRITE and not user.can(Capability.WRITE_CASES):
        return None
    return Q(client__in=access.scope(user, Client.objects.all(), need).values("pk"))


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)

routes.register(
    {
        "safety:edit": routes.form(gate=_reads_cases, record=Client),
        "safety:code_word": routes.Route(
            gate=_reads_cases, record=Client, methods=routes._methods(POST=Need.READ)
        ),
        "api:client-safety-detail": routes.api_detail(Client),
        "api:client-safety-code-word": routes.Route(
            refused=routes.FORBIDDEN,
            record=Client,
            methods=routes._methods(POST=Need.READ),
            api=True,
        ),
    }
)
