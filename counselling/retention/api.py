"""REST API of retention: rules, legal holds, destruction batches (proposal,
review, approval) and destruction records. Who may call each is the route
catalogue's gate (access_rules.py); records come scoped by the access rules."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.models import Client
from counselling.retention import access_rules, selectors, services
from counselling.retention.models import RetentionRule
from counselling.retention.serializers import (
    BatchProposeInputSerializer,
    DestructionBatchSerializer,
    DestructionRecordSerializer,
    ItemExcludeInputSerializer,
    LegalHoldInputSerializer,
    LegalHoldSerializer,
    RetentionRuleInputSerializer,
    RetentionRuleSerializer,
)
from ngo.access.api import IsVerifiedStaff, readable, validated
from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.accounts.models import Branch


def _gate(rule):
    class Gate(permissions.BasePermission):
        def has_permission(self, request, view):
            return rule(request.user)

    return Gate


class RetentionRuleViewSet(ScopedReadOnlyViewSet):
    """How long each kind of record is kept. Administrators change a period
    (at least 1 year) with PATCH and the rule's ETag in If-Match."""

    http_method_names = ["get", "patch", "head", "options"]
    if_match_required = True
    serializer_class = RetentionRuleSerializer
    permission_classes = [IsVerifiedStaff, _gate(access_rules.reads_rules)]
    pagination_class = None

    def base_queryset(self):
        return RetentionRule.objects.select_related("updated_by")

    @extend_schema(request=RetentionRuleInputSerializer, responses=RetentionRuleSerializer)
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        values = validated(RetentionRuleInputSerializer, request.data)
        rule = services.rule_update(actor=request.user, rule=rule, years=values["years"])
        return Response(RetentionRuleSerializer(rule).data)


class LegalHoldViewSet(ScopedReadOnlyViewSet):
    """Legal holds on a client or one of her cases: while one is active,
    nothing of hers (or of that case) is destroyed."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = LegalHoldSerializer
    permission_classes = [IsVerifiedStaff, _gate(access_rules.reads_batches)]

    def base_queryset(self):
        return selectors.hold_queryset()

    @extend_schema(request=LegalHoldInputSerializer, responses={201: LegalHoldSerializer})
    def create(self, request):
        values = validated(LegalHoldInputSerializer, request.data)
        client = readable(request.user, Client, values["client"])
        case = None
        if values.get("case"):
            case = (
                selectors.client_cases(user=request.user, client=client)
                .filter(pk=values["case"])
                .first()
            )
            if case is None:
                raise DjangoValidationError({"case": _("This case is not hers.")})
        hold = services.hold_set(
            actor=request.user,
            client=client,
            case=case,
            reason=values["reason"],
            until=values.get("until"),
        )
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=LegalHoldSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def release(self, request, pk=None):
        hold = self.get_object()
        hold = services.hold_release(actor=request.user, hold=hold)
        return Response(LegalHoldSerializer(hold).data)


class DestructionBatchViewSet(ScopedReadOnlyViewSet):
    """What fell due per branch, with why (reason, due since) and what is held.
    POST proposes (or brings up to date) a branch's batch; a branch manager
    who did not propose it approves; items can be excluded with a reason
    while it is under review."""

    http_method_names = ["get", "post", "head", "options"]
    serializer_class = DestructionBatchSerializer
    permission_classes = [IsVerifiedStaff, _gate(access_rules.reads_batches)]

    def base_queryset(self):
        return selectors.batch_queryset().prefetch_related("items__client")

    @extend_schema(
        request=BatchProposeInputSerializer,
        responses={
            201: DestructionBatchSerializer,
            204: OpenApiResponse(description="Nothing is due at the branch."),
        },
        description="201 with the batch; 204 when nothing is due at the branch.",
    )
    def create(self, request):
        values = validated(BatchProposeInputSerializer, request.data)
        branch = Branch.objects.filter(code=values["branch"]).first()
        if branch is None:
            raise DjangoValidationError({"branch": _("There is no branch with this code.")})
        batch = services.batch_propose(branch=branch, actor=request.user)
        if batch is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            DestructionBatchSerializer(self.reload(batch)).data, status=status.HTTP_201_CREATED
        )

    def reload(self, batch):
        return self.base_queryset().get(pk=batch.pk)

    @extend_schema(request=None, responses=DestructionBatchSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        batch = self.get_object()
        batch = services.batch_approve(actor=request.user, batch=batch)
        return Response(DestructionBatchSerializer(self.reload(batch)).data)

    @extend_schema(
        request=ItemExcludeInputSerializer,
        responses=DestructionBatchSerializer,
        parameters=[
            OpenApiParameter(
                "item_id", int, OpenApiParameter.PATH, required=True, description="The item."
            )
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"items/(?P<item_id>[0-9]{1,18})/exclude",
        filter_backends=[],
    )
    def exclude(self, request, pk=None, item_id=None):
        batch = self.get_object()
        values = validated(ItemExcludeInputSerializer, request.data)
        item = selectors.item_of(batch=batch, item_id=item_id)
        services.item_exclude(actor=request.user, item=item, reason=values["reason"])
        return Response(DestructionBatchSerializer(self.reload(batch)).data)


class DestructionRecordViewSet(ScopedReadOnlyViewSet):
    """Carried-out destructions: how many of what, when, proposed and approved
    by whom. Administrators and auditors; no case code."""

    serializer_class = DestructionRecordSerializer
    permission_classes = [IsVerifiedStaff, _gate(access_rules.reads_records)]

    def base_queryset(self):
        return selectors.record_queryset().order_by("-executed_at", "-id")


ROUTES = [
    ("retention-rules", RetentionRuleViewSet, "retention-rule"),
    ("legal-holds", LegalHoldViewSet, "legal-hold"),
    ("destruction-batches", DestructionBatchViewSet, "destruction-batch"),
    ("destruction-records", DestructionRecordViewSet, "destruction-record"),
]
