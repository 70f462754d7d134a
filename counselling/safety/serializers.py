from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.safety.models import Channel, SafetyRecord, Weekday
from ngo.directory.models import Organisation


class SafetyRecordSerializer(serializers.ModelSerializer):
    """Her rules as stored; the code word never (only `has_code_word`)."""

    client = serializers.IntegerField(source="client_id", read_only=True)
    allowed_channels = serializers.ListField(child=serializers.ChoiceField(Channel.choices))
    forbidden_channels = serializers.ListField(child=serializers.ChoiceField(Channel.choices))
    safe_days = serializers.ListField(child=serializers.ChoiceField(Weekday.choices))
    has_code_word = serializers.SerializerMethodField()
    outside_safe_hours = serializers.BooleanField(read_only=True)
    notes = serializers.CharField(source="client.safe_contact", read_only=True, allow_null=True)

    class Meta:
        model = SafetyRecord
        fields = [
            "client",
            "version",
            "allowed_channels",
            "forbidden_channels",
            "contact_person",
            "safe_from",
            "safe_until",
            "safe_days",
            "outside_safe_hours",
            "who_must_not_know",
            "has_code_word",
            "immediate_danger",
            "child_protection",
            "perpetrator_is_partner_staff",
            "perpetrator_organisation",
            "perpetrator_has_address",
            "notes",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_code_word(self, record) -> bool:
        return bool(record.code_word)


class SafetyRecordInputSerializer(serializers.Serializer):
    allowed_channels = serializers.ListField(
        child=serializers.ChoiceField(Channel.choices), max_length=len(Channel.choices)
    )
    forbidden_channels = serializers.ListField(
        child=serializers.ChoiceField(Channel.choices), max_length=len(Channel.choices)
    )
    contact_person = serializers.CharField(max_length=200, allow_blank=True, allow_null=True)
    safe_from = serializers.TimeField(allow_null=True)
    safe_until = serializers.TimeField(allow_null=True)
    safe_days = serializers.ListField(child=serializers.ChoiceField(Weekday.choices), max_length=7)
    who_must_not_know = serializers.CharField(max_length=2000, allow_blank=True, allow_null=True)
    code_word = serializers.CharField(
        max_length=100,
        allow_blank=True,
        allow_null=True,
        write_only=True,
        help_text=_("Write only; null or empty removes it."),
    )
    immediate_danger = serializers.BooleanField()
    child_protection = serializers.BooleanField()
    perpetrator_is_partner_staff = serializers.BooleanField()
    perpetrator_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), allow_null=True
    )
    perpetrator_has_address = serializers.BooleanField()

    def validate(self, attrs):
        for name in ("contact_person", "who_must_not_know", "code_word"):
            if name in attrs and not attrs[name]:
                attrs[name] = None
        return attrs


class CodeWordSerializer(serializers.Serializer):
    code_word = serializers.CharField(allow_blank=True)
