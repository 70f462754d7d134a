"""Explicit output and input serializers of the campaigns API. Inputs only
validate shapes; the services apply the rules and save."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from campaigns.models import (
    ActionFile,
    ActionType,
    Campaign,
    CampaignAction,
    CampaignStatus,
    CampaignTask,
    CampaignType,
    Coalition,
    Demand,
    Membership,
    MembershipRole,
    Signatory,
    SignOn,
    SignOnKind,
)
from ngo.access.fields import BoundedDateField
from ngo.accounts.models import User
from ngo.directory.models import Organisation
from ngo.directory.serializers import OrganisationRefSerializer
from policy_monitor.evidence_serializers import EvidenceMixin, demand_evidence
from policy_monitor.models import Policy, Recommendation


class CoalitionRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Coalition
        fields = ["id", "name"]
        read_only_fields = fields


class CoalitionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    active_members = serializers.IntegerField(read_only=True)
    campaign_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Coalition
        fields = [
            "id",
            "version",
            "name",
            "name_ko",
            "name_en",
            "purpose",
            "founded_on",
            "centre_role",
            "is_active",
            "active_members",
            "campaign_count",
            "created_at",
        ]
        read_only_fields = fields


class CoalitionInputSerializer(serializers.Serializer):
    name_ko = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    purpose = serializers.CharField(required=False, allow_blank=True)
    founded_on = BoundedDateField(required=False, allow_null=True)
    centre_role = serializers.ChoiceField(
        choices=MembershipRole.choices, required=False, allow_blank=True
    )
    is_active = serializers.BooleanField(required=False)


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "version",
            "coalition",
            "organisation",
            "role",
            "joined_on",
            "left_on",
            "is_active",
            "notes",
        ]
        read_only_fields = fields


class MembershipInputSerializer(serializers.Serializer):
    coalition = serializers.IntegerField(required=False)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False
    )
    role = serializers.ChoiceField(choices=MembershipRole.choices, required=False)
    joined_on = BoundedDateField(required=False)
    left_on = BoundedDateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if not self.partial:
            missing = {
                name: [_("This field is required.")]
                for name in ("coalition", "organisation")
                if name not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class MembershipEndInputSerializer(serializers.Serializer):
    left_on = BoundedDateField(required=False)


class CampaignSerializer(serializers.ModelSerializer):
    coalition = CoalitionRefSerializer(read_only=True)
    lead_organisation = OrganisationRefSerializer(read_only=True)
    run_by = serializers.SerializerMethodField()
    action_count = serializers.IntegerField(read_only=True)
    open_task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "version",
            "title",
            "goal",
            "campaign_type",
            "status",
            "run_by",
            "coalition",
            "lead_organisation",
            "starts_on",
            "ends_on",
            "outcome",
            "outcome_on",
            "action_count",
            "open_task_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_run_by(self, campaign) -> str:
        return "coalition" if campaign.coalition_id else "centre"


class CampaignInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    goal = serializers.CharField(required=False, allow_blank=True)
    campaign_type = serializers.ChoiceField(choices=CampaignType.choices, required=False)
    status = serializers.ChoiceField(choices=CampaignStatus.choices, required=False)
    coalition = serializers.IntegerField(required=False, allow_null=True)
    lead_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    starts_on = BoundedDateField(required=False, allow_null=True)
    ends_on = BoundedDateField(required=False, allow_null=True)
    outcome = serializers.CharField(required=False, allow_blank=True)
    outcome_on = BoundedDateField(required=False, allow_null=True)

    def validate(self, attrs):
        if not self.partial and not attrs.get("title"):
            raise serializers.ValidationError({"title": [_("This field is required.")]})
        return attrs


class DemandSerializer(serializers.ModelSerializer):
    addressed_to = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Demand
        fields = [
            "id",
            "version",
            "campaign",
            "text",
            "addressed_to",
            "policy",
            "response",
            "position",
            "created_at",
        ]
        read_only_fields = fields


class DemandDetailSerializer(EvidenceMixin, DemandSerializer):
    """One demand, with the recommendations it presses for (the evidence chain)."""

    class Meta(DemandSerializer.Meta):
        fields = [*DemandSerializer.Meta.fields, "evidence"]
        read_only_fields = fields

    def chain(self, user, obj):
        return demand_evidence(user, obj)


class DemandInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False)
    addressed_to = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False
    )
    policy = serializers.PrimaryKeyRelatedField(
        queryset=Policy.objects.all(), required=False, allow_null=True
    )
    recommendations = serializers.PrimaryKeyRelatedField(
        queryset=Recommendation.objects.all(),
        many=True,
        required=False,
        help_text=_("The recommendations or plan commitments the demand presses for."),
    )
    response = serializers.CharField(required=False, allow_blank=True)
    position = serializers.IntegerField(required=False, min_value=0, max_value=32767)

    def validate(self, attrs):
        if not self.partial:
            missing = {
                name: [_("This field is required.")]
                for name in ("campaign", "text", "addressed_to")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class ActionFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionFile
        fields = ["id", "action", "title", "original_name", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ActionFileInputSerializer(serializers.Serializer):
    action = serializers.IntegerField()
    file = serializers.FileField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CampaignActionSerializer(serializers.ModelSerializer):
    organisations = OrganisationRefSerializer(many=True, read_only=True)
    files = ActionFileSerializer(many=True, read_only=True)
    links = serializers.ListField(child=serializers.URLField(), read_only=True)

    class Meta:
        model = CampaignAction
        fields = [
            "id",
            "version",
            "campaign",
            "action_type",
            "title",
            "occurred_on",
            "place",
            "organisations",
            "participants",
            "links",
            "files",
            "follow_up",
            "created_at",
        ]
        read_only_fields = fields


class CampaignActionInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False)
    action_type = serializers.ChoiceField(choices=ActionType.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    occurred_on = BoundedDateField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    participants = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    links = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=20
    )
    follow_up = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        if not self.partial:
            missing = {
                name: [_("This field is required.")]
                for name in ("campaign", "action_type", "title", "occurred_on")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class SignOnSerializer(serializers.ModelSerializer):
    addressed_to = OrganisationRefSerializer(read_only=True)
    signatory_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SignOn
        fields = [
            "id",
            "version",
            "campaign",
            "kind",
            "title",
            "text",
            "deadline",
            "addressed_to",
            "individual_signatures",
            "signatory_count",
            "created_at",
        ]
        read_only_fields = fields


class SignOnInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=SignOnKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    text = serializers.CharField(required=False, allow_blank=True)
    deadline = BoundedDateField(required=False, allow_null=True)
    individual_signatures = serializers.IntegerField(required=False, min_value=0)
    addressed_to = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs):
        if not self.partial:
            missing = {
                name: [_("This field is required.")]
                for name in ("campaign", "title")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class SignatorySerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Signatory
        fields = ["id", "sign_on", "organisation", "signed_on"]
        read_only_fields = fields


class SignatoryInputSerializer(serializers.Serializer):
    sign_on = serializers.IntegerField()
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    signed_on = BoundedDateField(required=False)


class AssigneeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class CampaignTaskSerializer(serializers.ModelSerializer):
    assignee = AssigneeSerializer(read_only=True)

    class Meta:
        model = CampaignTask
        fields = [
            "id",
            "version",
            "campaign",
            "title",
            "assignee",
            "due_on",
            "done",
            "done_at",
            "created_at",
        ]
        read_only_fields = fields


class CampaignTaskInputSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False)
    title = serializers.CharField(max_length=200, required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    due_on = BoundedDateField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not self.partial:
            missing = {
                name: [_("This field is required.")]
                for name in ("campaign", "title")
                if not attrs.get(name)
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class NetworkNodeSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=["organisation", "coalition", "campaign"])
    label = serializers.CharField()
    url_id = serializers.IntegerField()
    country = serializers.CharField(required=False)
    status = serializers.CharField(required=False)


class NetworkEdgeSerializer(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    kind = serializers.CharField()


class NetworkSerializer(serializers.Serializer):
    nodes = NetworkNodeSerializer(many=True)
    edges = NetworkEdgeSerializer(many=True)
