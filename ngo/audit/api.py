from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.audit import selectors
from ngo.audit.filters import AuditEventFilter
from ngo.audit.serializers import AuditEventSerializer


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """The audit trail (auditors and administrators). Read-only: there is no
    way to change or remove an event."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields = ["occurred_at", "action"]
    ordering = ["-occurred_at", "-id"]

    def base_queryset(self):
        return selectors.audit_event_queryset()

    def get_object(self):
        event = selectors.audit_event_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, event)
        return event


ROUTES = [("audit-events", AuditEventViewSet, "audit-event")]
