"""Consent decisions: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.models import (
    REFERRAL_ORGANISATION_KINDS,
    Consent,
    ConsentPurpose,
)
from counselling.serializers._common import LanguageCodeField, UserRefSerializer, _choice_list
from ngo.access.fields import BoundedDateField


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)
    organisation_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "purpose",
            "given",
            "organisation_kinds",
            "decided_on",
            "explanation_language",
            "recorded_by",
            "recorded_at",
            "signed_form",
        ]
        read_only_fields = fields


class ConsentInputSerializer(serializers.Serializer):
    """A decision. A withdrawal is a new decision with given=false."""

    client = serializers.IntegerField()
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField()
    explanation_language = LanguageCodeField()
    organisation_kinds = _choice_list(
        [(kind, kind) for kind in REFERRAL_ORGANISATION_KINDS], required=False
    )
    decided_on = BoundedDateField(required=False)
    signed_form = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of one of her documents."
    )
