"""Her rights requests: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.rights.models import Outcome, RequestKind, RightsRequest
from counselling.serializers._common import UserRefSerializer
from ngo.access.fields import BoundedDateField

DECISIONS = [(value, label) for value, label in Outcome.choices if value != Outcome.PENDING]


class RightsRequestSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)
    days_left = serializers.IntegerField(
        read_only=True, help_text="Days until the answer is due (negative: overdue)."
    )

    class Meta:
        model = RightsRequest
        fields = [
            "id",
            "client",
            "kind",
            "asked",
            "received_on",
            "due_on",
            "days_left",
            "outcome",
            "reason",
            "changes_made",
            "changed_object_type",
            "changed_object_id",
            "decided_by",
            "decided_at",
            "recorded_by",
            "recorded_at",
            "scrubbed_at",
            "version",
        ]
        read_only_fields = fields


class RightsRequestInputSerializer(serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    asked = serializers.CharField(max_length=4000, help_text="What she asks, in her words.")
    received_on = BoundedDateField(required=False, help_text="Today when left out.")


class RightsDecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DECISIONS)
    reason = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="Required when the request is refused in whole or in part.",
    )
    changes_made = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="For a granted correction: what was changed.",
    )
    changed_object_type = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text='The corrected record\'s audit type, e.g. "counselling.client".',
    )
    changed_object_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
