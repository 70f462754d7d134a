"""Referrals."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling import selectors, services
from counselling.api._common import RecordViewSet, _writable
from counselling.filters import (
    ReferralFilter,
)
from counselling.models import (
    Case,
)
from counselling.serializers import (
    ReferralInputSerializer,
    ReferralSerializer,
    ReferralStatusInputSerializer,
)
from ngo.access.api import validated


class ReferralViewSet(RecordViewSet):
    """Referrals to other organisations (?case=, ?status=, ?organisation=).
    Sharing her data needs her consent for that kind of organisation, or an
    override_reason (audited)."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    ordering_fields = ["sent_on"]

    def base_queryset(self):
        return selectors.referral_queryset()

    @extend_schema(request=ReferralInputSerializer, responses={201: ReferralSerializer})
    def create(self, request):
        values = validated(ReferralInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        referral = services.referral_create(actor=request.user, case=case, **values)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralStatusInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def change_status(self, request, pk=None):
        """sent -> accepted or declined; accepted -> completed."""
        referral = self.get_object()
        values = validated(ReferralStatusInputSerializer, request.data)
        referral = services.referral_change_status(actor=request.user, referral=referral, **values)
        return Response(ReferralSerializer(self.reload(referral)).data)
