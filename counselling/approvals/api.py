"""Approval requests in the API: the list (?status=, ?kind=, ?case=,
?awaiting=true for those awaiting her decision), one request, and the
manager's approve or decline. Answers honour If-Match."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.approvals import selectors, services
from counselling.approvals.models import ApprovalKind, ApprovalStatus
from counselling.approvals.serializers import (
    ApprovalDeclineInputSerializer,
    ApprovalRequestSerializer,
)
from ngo.access.api import validated
from ngo.access.conditional import honour_if_match
from ngo.access.schema import IF_MATCH_OPTIONAL, STALE_RESPONSE
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.lib.filters import IdFilter


class ApprovalFilter(filters.FilterSet):
    """?case=, ?status=, ?kind=, ?awaiting=true (of the branches she manages)."""

    case = IdFilter(field_name="case_id")
    status = filters.ChoiceFilter(choices=ApprovalStatus.choices)
    kind = filters.ChoiceFilter(choices=ApprovalKind.choices)
    awaiting = filters.BooleanFilter(method="filter_awaiting")

    def filter_awaiting(self, queryset, name, value):
        if not value:
            return queryset
        awaiting = selectors.awaiting_decision(user=self.request.user).values("pk")
        return queryset.filter(pk__in=awaiting)


class ApprovalViewSet(SelectedRecordViewSet):
    """Requests for a branch manager's approval: closing a case, the safety
    plan of a high-risk case, where the case's branch asks for it. They are
    made by closing the case (POST /cases/{id}/status/ answers 202) or by
    saving the plan; a manager of the case's branch who did not ask decides."""

    serializer_class = ApprovalRequestSerializer
    filterset_class = ApprovalFilter
    ordering_fields = ["requested_at", "decided_at"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.approval_list(user=user)

    def _approval(self, approval):
        return Response(ApprovalRequestSerializer(self.reload(approval)).data)

    @extend_schema(
        request=None,
        responses={200: ApprovalRequestSerializer, 412: STALE_RESPONSE},
        parameters=[IF_MATCH_OPTIONAL],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        """Approve: the case closes as asked, or the plan stands approved."""
        approval = self.get_object()
        services.require_decider(request.user, approval)
        honour_if_match(request, approval)
        approval = services.approval_approve(
            actor=request.user, approval=approval, expected_version=approval.version
        )
        return self._approval(approval)

    @extend_schema(
        request=ApprovalDeclineInputSerializer,
        responses={200: ApprovalRequestSerializer, 412: STALE_RESPONSE},
        parameters=[IF_MATCH_OPTIONAL],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request, pk=None):
        """Decline, saying why."""
        approval = self.get_object()
        services.require_decider(request.user, approval)
        honour_if_match(request, approval)
        values = validated(ApprovalDeclineInputSerializer, request.data)
        approval = services.approval_decline(
            actor=request.user,
            approval=approval,
            reason=values["reason"],
            expected_version=approval.version,
        )
        return self._approval(approval)


ROUTES = [("approvals", ApprovalViewSet, "approval")]
