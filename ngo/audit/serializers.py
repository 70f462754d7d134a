from rest_framework import serializers

from ngo.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.full_name", read_only=True, default=None)
    branch = serializers.CharField(source="branch.code", read_only=True, default=None)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "occurred_at",
            "actor",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "branch",
            "fields",
            "reason",
            "ip",
            "request_id",
        ]
