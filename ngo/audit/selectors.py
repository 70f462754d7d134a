from django.db.models import QuerySet

from ngo import access
from ngo.access import Need
from ngo.audit.filters import AuditEventFilter
from ngo.audit.models import AuditEvent


def audit_event_list(*, user, filters: dict | None = None) -> tuple[QuerySet, AuditEventFilter]:
    """Audit events the user may read, narrowed by the given filters.

    Returns the queryset and the bound filter (whose form carries any errors)."""
    queryset = access.scope(user, AuditEvent.objects.select_related("actor", "branch"), Need.READ)
    filterset = AuditEventFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset
