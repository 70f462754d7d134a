from rest_framework import serializers

from counselling.approvals.forms import TEXT_MAX
from counselling.approvals.models import ApprovalRequest


class ApprovalRequestSerializer(serializers.ModelSerializer):
    case_code = serializers.CharField(source="case.client.case_code", read_only=True)
    branch = serializers.CharField(source="case.branch.code", read_only=True)
    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "version",
            "kind",
            "case",
            "case_code",
            "branch",
            "safety_plan",
            "status",
            "closed_on",
            "closure_reason",
            "closure_note",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decline_reason",
        ]
        read_only_fields = fields


class ApprovalDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)
