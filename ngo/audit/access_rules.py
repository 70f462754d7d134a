"""The audit trail: readable by auditors and administrators, writable by nobody."""

from django.db.models import Q

from ngo.accounts.roles import Capability
from ngo.audit.models import AuditEvent
from ngo.lib import access
from ngo.lib.access import Need


@access.rule(AuditEvent)
def audit_event_rule(user, need: Need) -> Q | None:
    if need is Need.READ and user.can(Capability.READ_AUDIT):
        return Q()
    return None
