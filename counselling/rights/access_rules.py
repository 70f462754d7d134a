"""Who may see and act on her rights records.

- Exports and requests follow the rule of her client record: she who may read
  the client reads them; she who may change the client prepares an export and
  records or decides a request.
- An export is approved by a branch manager of her branch who did not prepare
  it (four eyes; the database holds the second half of the rule too).
- The file is downloaded only by the counsellor who prepared it and the manager
  who approved it.
"""

from __future__ import annotations

from django.db.models import Q

from counselling.models import Client
from counselling.rights.models import RightsRequest, SubjectAccessExport
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


def _on_client(user, need: Need) -> Q | None:
    if access.condition(user, Client, need) is None:
        return None
    return Q(client__in=access.scope(user, Client, need).values("pk"))


access.rule(SubjectAccessExport)(_on_client)
access.rule(RightsRequest)(_on_client)


def may_approve(user, export: SubjectAccessExport | None) -> bool:
    """A manager of her branch (whether she prepared it is the service's
    refusal with a message, not a 403)."""
    if not user.can(Capability.MANAGE_BRANCH):
        return False
    return export is None or user.works_at(export.client.branch)


def may_download(user, export: SubjectAccessExport | None) -> bool:
    if export is None:
        return False
    return user.pk in (export.prepared_by_id, export.approved_by_id)


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)

routes.register(
    {
        "rights:client_rights": routes.page(gate=_reads_cases, record=Client),
        "rights:export_prepare": routes.action(gate=_reads_cases, record=Client),
        "rights:request_add": routes.action(gate=_reads_cases, record=Client),
        "rights:export_approve": routes.action(
            gate=_reads_cases, record=SubjectAccessExport, check=may_approve
        ),
        "rights:export_download": routes.page(
            gate=_reads_cases, record=SubjectAccessExport, check=may_download
        ),
        "rights:request_decide": routes.action(gate=_reads_cases, record=RightsRequest),
        "api:rights-request-list": routes.api_list(RightsRequest, on_parent=True),
        "api:rights-request-detail": routes.api_detail(RightsRequest, write=()),
        "api:rights-request-decide": routes.api_action(RightsRequest),
    }
)
