"""Services given: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.serializers._common import UserRefSerializer
from counselling.support.models import (
    MAX_COST_KRW,
    PaidBy,
    ServiceGiven,
    SupportKind,
    SupportStatus,
)
from ngo.access.fields import BoundedDateField


class ServiceGivenSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)
    provider = serializers.CharField(read_only=True)

    class Meta:
        model = ServiceGiven
        fields = [
            "id",
            "version",
            "case",
            "kind",
            "organisation",
            "provider_name",
            "provider",
            "given_on",
            "given_until",
            "cost_krw",
            "paid_by",
            "status",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ServiceGivenUpdateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SupportKind.choices, required=False)
    organisation = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    provider_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    given_on = BoundedDateField(required=False)
    given_until = BoundedDateField(required=False, allow_null=True)
    cost_krw = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_COST_KRW
    )
    paid_by = serializers.ChoiceField(choices=PaidBy.choices, required=False)
    status = serializers.ChoiceField(choices=SupportStatus.choices, required=False)
    note = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=20000
    )


class ServiceGivenInputSerializer(ServiceGivenUpdateInputSerializer):
    case = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    kind = serializers.ChoiceField(choices=SupportKind.choices)
