"""Hotline calls: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.hotline.models import (
    MAX_CALL_MINUTES,
    CallerKind,
    CallReferral,
    CallRisk,
    CallTopic,
    ComeIn,
    HotlineCall,
    Interpreter,
)
from counselling.serializers._common import LanguageCodeField, UserRefSerializer, _choice_list
from ngo.access.fields import BoundedDateTimeField


class HotlineCallSerializer(serializers.ModelSerializer):
    staff = UserRefSerializer(read_only=True)
    branch = serializers.CharField(source="branch.code", read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)
    referrals = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = HotlineCall
        fields = [
            "id",
            "version",
            "branch",
            "case",
            "started_at",
            "duration_minutes",
            "language",
            "interpreter",
            "caller_kind",
            "topics",
            "risk",
            "advice",
            "referrals",
            "wants_to_come_in",
            "staff",
            "created_at",
        ]
        read_only_fields = fields


class HotlineCallUpdateInputSerializer(serializers.Serializer):
    started_at = BoundedDateTimeField(required=False)
    duration_minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_CALL_MINUTES
    )
    language = LanguageCodeField(required=False, allow_blank=True)
    interpreter = serializers.ChoiceField(choices=Interpreter.choices, required=False)
    caller_kind = serializers.ChoiceField(choices=CallerKind.choices, required=False)
    topics = _choice_list(CallTopic.choices, required=False, max_length=len(CallTopic.values))
    risk = serializers.ChoiceField(choices=CallRisk.choices, required=False)
    advice = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=20000
    )
    referrals = _choice_list(
        CallReferral.choices, required=False, max_length=len(CallReferral.values)
    )
    wants_to_come_in = serializers.ChoiceField(choices=ComeIn.choices, required=False)
    confirm_no_identifier = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Send true to save advice that looks like a phone number, once you have "
            "checked that it identifies nobody; without it such advice answers 400."
        ),
    )


class HotlineCallInputSerializer(HotlineCallUpdateInputSerializer):
    branch = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Her branch if she has several."
    )


class HotlineCallLinkInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
