"""Consent decisions: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.models import (
    REFERRAL_ORGANISATION_KINDS,
    Consent,
    ConsentPurpose,
)
from counselling.serializers._common import LanguageCodeField, UserRefSerializer, _choice_list
from ngo.access.fields import BoundedDateField


class ConsentTextShownSerializer(serializers.Serializer):
    """One version of the explanation she was shown."""

    id = serializers.IntegerField(read_only=True)
    language = serializers.CharField(read_only=True)
    section = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    reviewed_by_native_speaker = serializers.BooleanField(read_only=True)


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)
    texts_shown = ConsentTextShownSerializer(many=True, read_only=True)
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
            "interpreter_explained",
            "texts_shown",
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
    interpreter_explained = serializers.BooleanField(
        required=False, default=False, help_text="An interpreter explained it to her."
    )
    signed_form = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of one of her documents."
    )


class IntakeConsentInputSerializer(serializers.Serializer):
    """One decision made at intake (each purpose at most once)."""

    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField(help_text="false records her refusal.")
    organisation_kinds = _choice_list(
        [(kind, kind) for kind in REFERRAL_ORGANISATION_KINDS], required=False
    )
