"""Risk assessments and safety plans: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.models import (
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
)
from counselling.serializers._common import UserRefSerializer, _text
from ngo.access.fields import BoundedDateField


class RiskAssessmentSerializer(serializers.ModelSerializer):
    """Expects the `safety_plan_active` and `active_safety_plan` annotations of
    the API's queryset."""

    assessed_by = UserRefSerializer(read_only=True)
    answers = serializers.DictField(child=serializers.BooleanField(), read_only=True)
    safety_plan_active = serializers.BooleanField(
        read_only=True, help_text="Whether the case has an active safety plan now."
    )
    active_safety_plan = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The id of the case's active safety plan."
    )

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "case",
            "assessed_at",
            "assessed_by",
            "answers",
            "score",
            "level",
            "follow_up_by",
            "notes",
            "safety_plan_active",
            "active_safety_plan",
        ]
        read_only_fields = fields


class SafetyPlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyPlanItem
        fields = ["id", "action", "responsible", "due_on", "done"]
        read_only_fields = fields


class SafetyPlanReviewSerializer(serializers.ModelSerializer):
    reviewed_by = UserRefSerializer(read_only=True)

    class Meta:
        model = SafetyPlanReview
        fields = ["id", "reviewed_on", "reviewed_by", "note"]
        read_only_fields = fields


class SafetyPlanSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)
    items = SafetyPlanItemSerializer(many=True, read_only=True)
    reviews = SafetyPlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyPlan
        fields = [
            "id",
            "version",
            "case",
            "risk_assessment",
            "created_by",
            "created_at",
            "next_review_on",
            "is_active",
            "notes",
            "items",
            "reviews",
        ]
        read_only_fields = fields


class RiskAssessmentInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    answers = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Indicator name -> yes/no; indicators left out count as no.",
    )
    notes = _text()


class SafetyPlanItemInputSerializer(serializers.Serializer):
    action = serializers.CharField()
    responsible = serializers.CharField(max_length=150)
    due_on = BoundedDateField(required=False, allow_null=True)


class SafetyPlanInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    items = SafetyPlanItemInputSerializer(many=True, required=False)
    next_review_on = BoundedDateField(required=False, allow_null=True)
    notes = _text()


class SafetyPlanItemDoneInputSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class SafetyPlanReviewInputSerializer(serializers.Serializer):
    note = _text()
    next_review_on = BoundedDateField(required=False, allow_null=True)
