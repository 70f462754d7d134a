"""Cases and their timeline: what the API shows and what it takes."""

from rest_framework import serializers

from counselling import case_panels
from counselling.models import (
    Case,
    CaseActivity,
    CaseStatus,
    CaseType,
    ClosureReason,
)
from counselling.serializers._common import UserRefSerializer, _active_staff, _choice_list, _text
from ngo.access.fields import BoundedDateField
from ngo.accounts.models import Branch

CASE_SUMMARY_FIELDS = [
    "id",
    "version",
    "reference",
    "client",
    "client_case_code",
    "client_name",
    "branch",
    "case_types",
    "status",
    "risk_level",
    "assigned",
    "opened_on",
    "closed_on",
    "closure_reason",
    "restricted",
    "updated_at",
]


class CaseSummarySerializer(serializers.ModelSerializer):
    client_case_code = serializers.CharField(source="client.case_code", read_only=True)
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    branch = serializers.CharField(source="branch.code", read_only=True)
    case_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    assigned = UserRefSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = CASE_SUMMARY_FIELDS
        read_only_fields = fields


class CaseSerializer(CaseSummarySerializer):
    class Meta:
        model = Case
        fields = [*CASE_SUMMARY_FIELDS, "summary", "closure_note", "created_at"]
        read_only_fields = fields


def activity_kind_choices() -> list[tuple[str, object]]:
    """Every kind a timeline line may have: the case's own and the nested apps'
    (counselling.case_panels); the schema's CaseActivityKindEnum."""
    return [*CaseActivity.Kind.choices, *case_panels.timeline_kinds()]


class CaseActivitySerializer(serializers.ModelSerializer):
    """One line of the case timeline."""

    actor = UserRefSerializer(read_only=True)

    def get_fields(self):
        fields = super().get_fields()
        # The nested apps add kinds of their own (counselling.case_panels).
        fields["kind"] = serializers.ChoiceField(choices=activity_kind_choices(), read_only=True)
        return fields

    class Meta:
        model = CaseActivity
        fields = ["id", "kind", "occurred_at", "actor", "case", "object_type", "object_id", "label"]
        read_only_fields = fields


class CaseInputSerializer(serializers.Serializer):
    """The details of a case when it is opened."""

    case_types = _choice_list(CaseType.choices, allow_empty=False)
    restricted = serializers.BooleanField(required=False)
    summary = _text()
    opened_on = BoundedDateField(required=False)


class CaseOpenInputSerializer(CaseInputSerializer):
    """A further case for a woman already registered."""

    client = serializers.IntegerField()
    branch = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Branch.objects.filter(is_active=True),
        required=False,
        help_text="Branch code; defaults to the client's.",
    )
    assigned = serializers.PrimaryKeyRelatedField(
        queryset=_active_staff(), many=True, required=False, help_text="Defaults to you."
    )


class CaseUpdateInputSerializer(serializers.Serializer):
    case_types = _choice_list(CaseType.choices, allow_empty=False, required=False)
    restricted = serializers.BooleanField(required=False)
    summary = _text()


class CaseStatusInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=CaseStatus.choices)
    closed_on = BoundedDateField(required=False, allow_null=True)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True
    )
    closure_note = _text()


class CaseAssignInputSerializer(serializers.Serializer):
    assigned = serializers.PrimaryKeyRelatedField(
        queryset=_active_staff(), many=True, allow_empty=False
    )
