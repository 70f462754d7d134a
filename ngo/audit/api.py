from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.audit.filters import AuditEventFilter
from ngo.audit.models import AuditEvent
from ngo.audit.serializers import AuditEventSerializer


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """The audit trail (auditors and administrators). Read-only: there is no
    way to change or remove an event."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    ordering_fields = ["occurred_at", "action"]
    ordering = ["-occurred_at", "-id"]

    def base_queryset(self):
        return AuditEvent.objects.select_related("actor", "branch")

    def get_object(self):
        # Reading an audit event is not itself audited (that would never end).
        from ngo import access
        from ngo.access import Need

        return access.get_for_user(
            self.request.user,
            self.base_queryset(),
            self.kwargs["pk"],
            Need.READ,
            audit_read=False,
        )


ROUTES = [("audit-events", AuditEventViewSet, "audit-event")]
