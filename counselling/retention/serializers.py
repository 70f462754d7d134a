from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.retention.models import (
    DestructionBatch,
    DestructionItem,
    DestructionRecord,
    LegalHold,
    RetentionRule,
)
from ngo.access.fields import BoundedDateField


class RetentionRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RetentionRule
        fields = ["id", "kind", "years", "version", "updated_by", "updated_at"]
        read_only_fields = fields


class RetentionRuleInputSerializer(serializers.Serializer):
    # Any whole number: the service refuses 0 and below with its own message.
    years = serializers.IntegerField(min_value=-(2**31), max_value=2**31 - 1)


class LegalHoldSerializer(serializers.ModelSerializer):
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "client",
            "case",
            "reason",
            "set_by",
            "starts_on",
            "until",
            "released_by",
            "released_at",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, hold) -> bool:
        return hold.is_active()


class LegalHoldInputSerializer(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    case = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=2000)
    until = BoundedDateField(required=False, allow_null=True)


class DestructionItemSerializer(serializers.ModelSerializer):
    case_code = serializers.CharField(source="client.case_code", read_only=True)

    class Meta:
        model = DestructionItem
        fields = [
            "id",
            "client",
            "case_code",
            "case_ids",
            "whole_client",
            "reason",
            "due_on",
            "state",
            "exclusion_reason",
            "excluded_by",
            "destroyed_at",
        ]
        read_only_fields = fields


class DestructionBatchSerializer(serializers.ModelSerializer):
    branch = serializers.CharField(source="branch.code", read_only=True)
    items = DestructionItemSerializer(many=True, read_only=True)

    class Meta:
        model = DestructionBatch
        fields = [
            "id",
            "branch",
            "status",
            "proposed_by",
            "proposed_at",
            "approved_by",
            "approved_at",
            "executed_at",
            "counts",
            "version",
            "items",
        ]
        read_only_fields = fields


class BatchProposeInputSerializer(serializers.Serializer):
    branch = serializers.CharField(max_length=10, help_text=_("The branch code, e.g. SEO."))


class ItemExcludeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class DestructionRecordSerializer(serializers.ModelSerializer):
    branch = serializers.CharField(source="branch.code", read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = DestructionRecord
        fields = [
            "id",
            "branch",
            "proposed_by",
            "proposed_at",
            "approved_by",
            "approved_at",
            "executed_at",
            "counts",
        ]
        read_only_fields = fields
