"""Transfers in the API: the list (?status=, ?direction=incoming|outgoing,
?case=), requesting one, and accepting, declining or cancelling it. The
answers honour If-Match."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.models import Case
from counselling.transfers import selectors, services
from counselling.transfers.models import TransferStatus
from counselling.transfers.serializers import (
    TransferAcceptInputSerializer,
    TransferDeclineInputSerializer,
    TransferRequestInputSerializer,
    TransferSerializer,
)
from ngo import access
from ngo.access import Need
from ngo.access.api import on_field, validated
from ngo.access.conditional import honour_if_match
from ngo.access.schema import IF_MATCH_OPTIONAL, STALE_RESPONSE
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.accounts.models import User
from ngo.lib.filters import IdFilter


class TransferFilter(filters.FilterSet):
    """?status=, ?direction=incoming (to her branches) or outgoing (from them), ?case=."""

    case = IdFilter(field_name="case_id")
    status = filters.ChoiceFilter(choices=TransferStatus.choices)
    direction = filters.ChoiceFilter(
        choices=[(selectors.INCOMING, "incoming"), (selectors.OUTGOING, "outgoing")],
        method="filter_direction",
    )

    def filter_direction(self, queryset, name, value):
        field = "to_branch_id" if value == selectors.INCOMING else "from_branch_id"
        return queryset.filter(**{f"{field}__in": self.request.user.branch_ids()})


class TransferViewSet(SelectedRecordViewSet):
    """Transfers of cases between branches. Whoever may change a case requests
    its transfer; a manager of the receiving branch (not the requester)
    accepts it, choosing the staff who take it, or declines it with a reason;
    the requester's side may cancel it while it awaits an answer."""

    serializer_class = TransferSerializer
    filterset_class = TransferFilter
    ordering_fields = ["requested_at", "decided_at"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.transfer_list(user=user)

    def _transfer(self, transfer, status_code=status.HTTP_200_OK):
        return Response(TransferSerializer(self.reload(transfer)).data, status=status_code)

    @extend_schema(request=TransferRequestInputSerializer, responses={201: TransferSerializer})
    def create(self, request):
        values = validated(TransferRequestInputSerializer, request.data)
        case = access.get_for_user(request.user, Case, values.pop("case"), Need.WRITE)
        try:
            transfer = services.transfer_request(actor=request.user, case=case, **values)
        except DjangoValidationError as error:
            raise on_field(error, "case") from None
        return self._transfer(transfer, status.HTTP_201_CREATED)

    @extend_schema(
        request=TransferAcceptInputSerializer,
        responses={200: TransferSerializer, 412: STALE_RESPONSE},
        parameters=[IF_MATCH_OPTIONAL],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request, pk=None):
        """Accept: the case, her other open cases at the sending branch and her
        record move to the receiving branch, with the staff named."""
        transfer = self.get_object()
        services.require_receiver(request.user, transfer)
        honour_if_match(request, transfer)
        values = validated(TransferAcceptInputSerializer, request.data)
        staff = list(User.objects.filter(pk__in=values["assigned"]))
        if len(staff) != len(set(values["assigned"])):
            raise on_field(
                DjangoValidationError(services.unknown_staff_message()),
                "assigned",
            )
        try:
            transfer = services.transfer_accept(
                actor=request.user,
                transfer=transfer,
                assigned=staff,
                expected_version=transfer.version,
            )
        except DjangoValidationError as error:
            raise on_field(error, "assigned") from None
        return self._transfer(transfer)

    @extend_schema(
        request=TransferDeclineInputSerializer,
        responses={200: TransferSerializer, 412: STALE_RESPONSE},
        parameters=[IF_MATCH_OPTIONAL],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request, pk=None):
        """Decline, saying why; the case stays where it is."""
        transfer = self.get_object()
        services.require_receiver(request.user, transfer)
        honour_if_match(request, transfer)
        values = validated(TransferDeclineInputSerializer, request.data)
        transfer = services.transfer_decline(
            actor=request.user,
            transfer=transfer,
            reason=values["reason"],
            expected_version=transfer.version,
        )
        return self._transfer(transfer)

    @extend_schema(
        request=None,
        responses={200: TransferSerializer, 412: STALE_RESPONSE},
        parameters=[IF_MATCH_OPTIONAL],
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        """Withdraw a request still awaiting its answer."""
        transfer = self.get_object()
        services.require_canceller(request.user, transfer)
        honour_if_match(request, transfer)
        transfer = services.transfer_cancel(
            actor=request.user, transfer=transfer, expected_version=transfer.version
        )
        return self._transfer(transfer)


ROUTES = [("transfers", TransferViewSet, "transfer")]
