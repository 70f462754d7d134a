"""Risk assessments and safety plans."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling import selectors, services
from counselling.api._common import RecordViewSet, _writable
from counselling.filters import (
    CaseChildFilter,
)
from counselling.models import (
    Case,
)
from counselling.serializers import (
    RiskAssessmentInputSerializer,
    RiskAssessmentSerializer,
    SafetyPlanInputSerializer,
    SafetyPlanItemDoneInputSerializer,
    SafetyPlanItemInputSerializer,
    SafetyPlanReviewInputSerializer,
    SafetyPlanSerializer,
)
from ngo.access.api import validated


class RiskAssessmentViewSet(RecordViewSet):
    """Risk assessments (?case=). High or severe risk sets a follow-up within
    48 hours and opens a safety plan if the case has none; the answer says
    whether a safety plan is active."""

    serializer_class = RiskAssessmentSerializer
    filterset_class = CaseChildFilter
    ordering_fields = ["assessed_at"]

    def base_queryset(self):
        return selectors.risk_assessment_queryset()

    @extend_schema(request=RiskAssessmentInputSerializer, responses={201: RiskAssessmentSerializer})
    def create(self, request):
        values = validated(RiskAssessmentInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        assessment = services.risk_assess(actor=request.user, case=case, **values)
        return Response(
            RiskAssessmentSerializer(self.reload(assessment)).data, status=status.HTTP_201_CREATED
        )


class SafetyPlanViewSet(RecordViewSet):
    """Safety plans (?case=): one active plan per case; a new plan replaces it.
    Items are added and ticked off, and the plan is reviewed."""

    serializer_class = SafetyPlanSerializer
    filterset_class = CaseChildFilter
    ordering_fields = ["created_at"]

    def base_queryset(self):
        return selectors.safety_plan_queryset()

    def _plan(self, plan):
        return Response(SafetyPlanSerializer(self.reload(plan)).data)

    @extend_schema(request=SafetyPlanInputSerializer, responses={201: SafetyPlanSerializer})
    def create(self, request):
        values = validated(SafetyPlanInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        plan = services.safety_plan_create(actor=request.user, case=case, **values)
        return Response(
            SafetyPlanSerializer(self.reload(plan)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=SafetyPlanItemInputSerializer, responses={201: SafetyPlanSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def items(self, request, pk=None):
        """Add an action to the plan."""
        plan = self.get_object()
        values = validated(SafetyPlanItemInputSerializer, request.data)
        services.safety_plan_item_add(actor=request.user, plan=plan, **values)
        return Response(
            SafetyPlanSerializer(self.reload(plan)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=SafetyPlanItemDoneInputSerializer,
        responses=SafetyPlanSerializer,
        parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"items/(?P<item_id>[0-9]+)/done",
        url_name="item-done",
        filter_backends=[],
    )
    def item_done(self, request, pk=None, item_id=None):
        """Tick an action off (done=false to undo)."""
        plan = self.get_object()
        item = plan.items.filter(pk=item_id).first()
        if item is None:
            raise Http404
        values = validated(SafetyPlanItemDoneInputSerializer, request.data)
        services.safety_plan_item_set_done(actor=request.user, item=item, done=values["done"])
        return self._plan(plan)

    @extend_schema(request=SafetyPlanReviewInputSerializer, responses={201: SafetyPlanSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def reviews(self, request, pk=None):
        """Record a review of the plan and set the next one."""
        plan = self.get_object()
        values = validated(SafetyPlanReviewInputSerializer, request.data)
        services.safety_plan_review(actor=request.user, plan=plan, **values)
        return Response(
            SafetyPlanSerializer(self.reload(plan)).data, status=status.HTTP_201_CREATED
        )
