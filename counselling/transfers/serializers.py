from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.models import CaseType, RiskLevel
from counselling.transfers.forms import TEXT_MAX
from counselling.transfers.models import Transfer
from ngo.accounts.models import Branch

ID = {"min_value": 1, "max_value": 2**63 - 1}


class TransferSerializer(serializers.ModelSerializer):
    """A transfer and the case's few details the receiving branch decides on
    (never her file before acceptance)."""

    case_code = serializers.CharField(source="case.client.case_code", read_only=True)
    case_types = serializers.ListField(
        source="case.case_types", child=serializers.ChoiceField(choices=CaseType.choices)
    )
    risk_level = serializers.ChoiceField(source="case.risk_level", choices=RiskLevel.choices)
    languages = serializers.ListField(source="case.client.languages", child=serializers.CharField())
    from_branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requested_by = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.full_name", read_only=True, allow_null=True, default=None
    )
    moved_cases = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "version",
            "case",
            "case_code",
            "case_types",
            "risk_level",
            "languages",
            "from_branch",
            "to_branch",
            "status",
            "reason",
            "note",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decline_reason",
            "moved_cases",
        ]
        read_only_fields = fields


class TransferRequestInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(**ID)
    to_branch = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Branch.objects.filter(is_active=True),
        help_text=_("The receiving branch's code."),
        error_messages={"does_not_exist": _("There is no open branch with the code %(value)s.")},
    )
    reason = serializers.CharField(max_length=TEXT_MAX)
    note = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, allow_null=True, default=None
    )


class TransferAcceptInputSerializer(serializers.Serializer):
    assigned = serializers.ListField(
        child=serializers.IntegerField(**ID),
        allow_empty=False,
        max_length=50,
        help_text=_("The ids of the staff of the receiving branch who take the case."),
    )


class TransferDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)
