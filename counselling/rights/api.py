"""What counselling.rights adds to /api/v1/: her requests to correct, delete,
restrict or object, scoped by the rule of her client record."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.models import Client
from counselling.rights import selectors, services
from counselling.rights.filters import RightsRequestFilter
from counselling.rights.serializers import (
    RightsDecisionInputSerializer,
    RightsRequestInputSerializer,
    RightsRequestSerializer,
)
from ngo import access
from ngo.access import Need
from ngo.access.api import validated
from ngo.access.viewsets import ScopedReadOnlyViewSet


class RightsRequestViewSet(ScopedReadOnlyViewSet):
    """Her requests about her data (?client=, ?kind=, ?outcome=), each answered
    within 10 days (due_on, days_left). A decision is final."""

    serializer_class = RightsRequestSerializer
    filterset_class = RightsRequestFilter
    ordering_fields = ["received_on", "due_on"]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return selectors.request_queryset()

    @extend_schema(request=RightsRequestInputSerializer, responses={201: RightsRequestSerializer})
    def create(self, request):
        values = validated(RightsRequestInputSerializer, request.data)
        client = access.get_for_user(request.user, Client, values.pop("client"), Need.WRITE)
        rights_request = services.request_record(actor=request.user, client=client, **values)
        return Response(
            RightsRequestSerializer(rights_request).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RightsDecisionInputSerializer, responses=RightsRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request, pk=None):
        """Granted, partly granted or refused (with the reason)."""
        rights_request = self.get_object()
        values = validated(RightsDecisionInputSerializer, request.data)
        rights_request = services.request_decide(
            actor=request.user, rights_request=rights_request, **values
        )
        return Response(RightsRequestSerializer(rights_request).data)


ROUTES = [("rights-requests", RightsRequestViewSet, "rights-request")]
