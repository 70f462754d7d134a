"""The audit trail: readable by auditors and administrators, writable by nobody."""

from django.db.models import Q

from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditEvent


@access.rule(AuditEvent)
def audit_event_rule(user, need: Need) -> Q | None:
    if need is Need.READ and user.can(Capability.READ_AUDIT):
        return Q()
    return None


_reads_audit = routes.has(Capability.READ_AUDIT)

routes.register(
    {
        "audit:list": routes.page(gate=_reads_audit),
        "audit:export": routes.page(gate=_reads_audit),
        "api:audit-event-list": routes.api_list(AuditEvent, create=False),
        "api:audit-event-detail": routes.api_detail(AuditEvent, write=()),
    }
)
