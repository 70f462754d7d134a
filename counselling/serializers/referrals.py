"""Referrals: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.models import (
    Referral,
    ReferralStatus,
)
from counselling.serializers._common import UserRefSerializer, _text
from ngo.access.fields import BoundedDateField
from ngo.directory.models import Organisation
from ngo.directory.serializers import OrganisationRefSerializer


class ReferralSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "case",
            "organisation",
            "reason",
            "shares_personal_data",
            "consent",
            "consent_override_reason",
            "status",
            "sent_on",
            "responded_on",
            "completed_on",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ReferralInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    reason = _text()
    shares_personal_data = serializers.BooleanField(default=True)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why her data must be shared without her consent (audited).",
    )
    sent_on = BoundedDateField(required=False)


class ReferralStatusInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ReferralStatus.choices)
    on = BoundedDateField(required=False, help_text="Defaults to today.")
