"""Counselling sessions and key dates: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.models import (
    CaseEvent,
    CaseEventKind,
    CounsellingSession,
    Service,
    SessionMode,
)
from counselling.serializers._common import (
    LanguageCodeField,
    UserRefSerializer,
    _choice_list,
    _text,
)
from ngo.access.fields import BoundedDateField, BoundedDateTimeField


class SessionSerializer(serializers.ModelSerializer):
    staff = UserRefSerializer(read_only=True)
    services = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = CounsellingSession
        fields = [
            "id",
            "version",
            "case",
            "started_at",
            "duration_minutes",
            "mode",
            "language",
            "interpreter_name",
            "interpreter_organisation",
            "staff",
            "services",
            "notes",
            "follow_up_on",
            "created_at",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "version",
            "case",
            "kind",
            "starts_at",
            "place",
            "notes",
            "done",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class SessionUpdateInputSerializer(serializers.Serializer):
    started_at = BoundedDateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=24 * 60)
    mode = serializers.ChoiceField(choices=SessionMode.choices, required=False)
    language = LanguageCodeField(required=False, allow_blank=True)
    interpreter_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    interpreter_organisation = serializers.CharField(
        max_length=150, required=False, allow_blank=True
    )
    services = _choice_list(Service.choices, required=False)
    notes = _text()
    follow_up_on = BoundedDateField(required=False, allow_null=True)


class SessionInputSerializer(SessionUpdateInputSerializer):
    case = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=SessionMode.choices)


class CaseEventUpdateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseEventKind.choices, required=False)
    starts_at = BoundedDateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = _text()
    done = serializers.BooleanField(required=False)


class CaseEventInputSerializer(CaseEventUpdateInputSerializer):
    case = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CaseEventKind.choices)
    starts_at = BoundedDateTimeField()
