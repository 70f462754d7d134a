"""The audit trail: readable by auditors and administrators, writable by nobody."""

from django.db.models import Q

from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditEvent


@access.rule(AuditEvent)
def audit_event_rule(user, need: Need) -> Q | None:
    if need is Need.READ and user.can(Capability.READ_AUDIT):
        return Q()
    return None
