from django.db.models import QuerySet

from ngo import access
from ngo.access import Need
from ngo.audit.filters import AuditEventFilter
from ngo.audit.models import AuditEvent


def audit_event_queryset() -> QuerySet[AuditEvent]:
    """The shape an audit event is read in (the trail's page, export and API)."""
    return AuditEvent.objects.select_related("actor", "branch")


def audit_event_list(*, user, filters: dict | None = None) -> tuple[QuerySet, AuditEventFilter]:
    """Audit events the user may read, narrowed by the given filters.

    Returns the queryset and the bound filter (whose form carries any errors)."""
    queryset = access.scope(user, audit_event_queryset(), Need.READ)
    filterset = AuditEventFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def audit_event_get(*, user, pk) -> AuditEvent:
    """One event for `user` (404 outside her scope). Reading an audit event is
    not itself audited: that would never end."""
    return access.get_for_user(user, audit_event_queryset(), pk, Need.READ, audit_read=False)
