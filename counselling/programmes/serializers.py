"""REST representations of programmes, classes, enrolments and attendance:
output serializers say what a reader sees, input serializers what a writer may
send. A client is shown by her case code, a community member by name. The rules
(the register, completion) belong to counselling.programmes.services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.programmes.models import (
    Attendance,
    ClassSession,
    Enrolment,
    Programme,
    ProgrammeType,
)
from counselling.serializers import LanguageCodeField, UserRefSerializer
from ngo.access.fields import BoundedDateField, BoundedDateTimeField
from ngo.accounts.models import User
from ngo.accounts.serializers import branch_code_field

# --- Output -----------------------------------------------------------------------------


PROGRAMME_FIELDS = [
    "id",
    "version",
    "branch",
    "title_ko",
    "title_en",
    "description",
    "kind",
    "facilitator",
    "language",
    "interpreter_available",
    "completion_threshold",
    "starts_on",
    "ends_on",
    "archived",
    "class_count",
    "enrolled_count",
    "created_at",
]


class ProgrammeSerializer(serializers.ModelSerializer):
    """Expects the `class_count` and `enrolled_count` annotations of the API's queryset."""

    branch = serializers.CharField(source="branch.code", read_only=True)
    facilitator = UserRefSerializer(read_only=True)
    class_count = serializers.IntegerField(read_only=True)
    enrolled_count = serializers.IntegerField(read_only=True, help_text="Enrolments not withdrawn.")

    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        read_only_fields = fields


class ClassSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClassSession
        fields = ["id", "programme", "starts_at", "place", "topic"]
        read_only_fields = fields


class EnrolmentSerializer(serializers.ModelSerializer):
    """A client by her case code, a community member by name and contact."""

    case_code = serializers.CharField(
        source="client.case_code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "programme",
            "client",
            "case_code",
            "member_name",
            "member_contact",
            "status",
            "enrolled_on",
            "completed_on",
        ]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "session", "enrolment", "present", "recorded_at"]
        read_only_fields = fields


class AttendanceRowSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    client = serializers.IntegerField(allow_null=True)
    who = serializers.CharField(help_text="Case code of a client, name of a community member.")
    status = serializers.CharField()
    marks = serializers.ListField(
        child=serializers.BooleanField(allow_null=True),
        help_text="One per class, in the order of `sessions`: present, absent, or null.",
    )
    attended = serializers.IntegerField()
    rate = serializers.IntegerField(help_text="Classes attended in % of the classes planned.")


class AttendanceSheetSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    completion_threshold = serializers.IntegerField()
    sessions = ClassSessionSerializer(many=True)
    rows = AttendanceRowSerializer(many=True)


# --- Input ------------------------------------------------------------------------------


class ProgrammeUpdateInputSerializer(serializers.Serializer):
    title_ko = serializers.CharField(max_length=200, required=False)
    title_en = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ProgrammeType.choices, required=False)
    facilitator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False
    )
    language = LanguageCodeField(required=False)
    interpreter_available = serializers.BooleanField(required=False)
    completion_threshold = serializers.IntegerField(required=False, min_value=1, max_value=100)
    starts_on = BoundedDateField(required=False)
    ends_on = BoundedDateField(required=False, allow_null=True)
    archived = serializers.BooleanField(
        required=False, help_text="Archived programmes take no new enrolments."
    )


class ProgrammeInputSerializer(ProgrammeUpdateInputSerializer):
    branch = branch_code_field()
    title_ko = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ProgrammeType.choices)
    facilitator = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    language = LanguageCodeField()
    starts_on = BoundedDateField()

    def validate(self, attrs):
        if attrs.get("ends_on") and attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError(
                {"ends_on": _("A programme cannot end before it starts.")}
            )
        return attrs


class ClassSessionInputSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    starts_at = BoundedDateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True)


class EnrolmentInputSerializer(serializers.Serializer):
    """A client (by id) or a community member without a case (by name)."""

    programme = serializers.IntegerField()
    client = serializers.IntegerField(required=False, allow_null=True)
    member_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    member_contact = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def validate(self, attrs):
        has_client = attrs.get("client") is not None
        has_member = bool((attrs.get("member_name") or "").strip())
        if has_client == has_member:
            raise serializers.ValidationError(
                {"client": _("Enrol either a client or a community member (by name).")}
            )
        return attrs


class AttendanceInputSerializer(serializers.Serializer):
    present = serializers.DictField(
        child=serializers.BooleanField(),
        allow_empty=False,
        help_text='Enrolment id -> present, e.g. {"12": true, "13": false}.',
    )

    def validate_present(self, value):
        try:
            return {int(key): present for key, present in value.items()}
        except ValueError:
            raise serializers.ValidationError(_("Name each enrolment by its id.")) from None
