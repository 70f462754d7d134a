"""Clients and their children."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from counselling import selectors, services
from counselling.api._common import (
    NO_CONTENT,
    RecordViewSet,
    SelectorFilterBackend,
    _home_branch,
    _prefixed,
    _selected,
)
from counselling.filters import (
    ClientChildFilter,
    ClientFilter,
)
from counselling.models import (
    Client,
)
from counselling.serializers import (
    ChildInputSerializer,
    ChildSerializer,
    ClientInputSerializer,
    ClientIntakeInputSerializer,
    ClientSerializer,
    ClientSummarySerializer,
    DuplicateCheckInputSerializer,
    DuplicateCheckResultSerializer,
    DuplicateMatchSerializer,
    PossibleDuplicatesErrorSerializer,
)
from ngo import access
from ngo.access.api import validated
from ngo.access.viewsets import SearchByPostMixin
from ngo.lib import request_context


def _client_detail(user, client: Client) -> dict:
    client.visible_cases = selectors.cases_of_client(user=user, client=client)
    return ClientSerializer(client).data


def _possible_duplicates(exc: services.PossibleDuplicates) -> Response:
    context = request_context.current()
    body = {
        "error": {
            "status": status.HTTP_409_CONFLICT,
            "code": "possible_duplicates",
            "message": str(exc),
            "fields": {},
            "matches": DuplicateMatchSerializer(exc.matches, many=True).data,
        },
        "request_id": context.request_id if context else "",
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class ClientViewSet(SearchByPostMixin, RecordViewSet):
    """The women the NGO works with. Creating one is the intake: her details,
    her first case and her children in one go. An intake that looks like a
    client already known (same name and birth date, or the same phone) answers
    409 with the matching clients' ids and case codes; send it again with
    confirm_not_duplicate=true if she is someone else. A PATCH must send the
    ETag of her record in If-Match (428 without it, 412 if someone saved it
    meanwhile)."""

    if_match_required = True

    serializer_class = ClientSummarySerializer
    filterset_class = ClientFilter
    filter_backends = [SelectorFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "name_romanised", "case_code"]
    search_url_name = "api:client-search"

    def base_queryset(self):
        return selectors.client_queryset()

    def get_queryset(self):
        return _selected(selectors.client_list(user=self.request.user, filters=self.list_filters()))

    @extend_schema(responses=ClientSerializer)
    def retrieve(self, request, pk=None):
        return Response(_client_detail(request.user, self.get_object()))

    @extend_schema(
        request=ClientIntakeInputSerializer,
        responses={201: ClientSerializer, 409: PossibleDuplicatesErrorSerializer},
    )
    def create(self, request):
        access.require_create(request.user, Client)
        values = validated(ClientIntakeInputSerializer, request.data)
        branch = values.pop("branch", None) or _home_branch(request.user)
        case = values.pop("case")
        children = values.pop("children", [])
        assigned = values.pop("assigned", [])
        confirmed = values.pop("confirm_not_duplicate")
        consent_values = {
            "consents": values.pop("consents", []),
            "consent_language": values.pop("consent_language", ""),
            "interpreter_explained": values.pop("interpreter_explained"),
        }
        try:
            client, _case = services.client_intake(
                actor=request.user,
                branch=branch,
                client=values,
                case=case,
                children=children,
                assigned=assigned,
                confirm_not_duplicate=confirmed,
                **consent_values,
            )
        except services.PossibleDuplicates as duplicates:
            return _possible_duplicates(duplicates)
        except DjangoValidationError as error:
            raise _prefixed(error, "case", services.CASE_FIELDS) from None
        client = self.reload(client)
        return Response(_client_detail(request.user, client), status=status.HTTP_201_CREATED)

    @extend_schema(request=ClientInputSerializer, responses=ClientSerializer)
    def partial_update(self, request, pk=None):
        client = self.get_object()
        values = validated(ClientInputSerializer, request.data, partial=True)
        client = services.client_update(actor=request.user, client=client, **values)
        return Response(_client_detail(request.user, self.reload(client)))

    @extend_schema(request=ChildInputSerializer, responses={201: ChildSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def children(self, request, pk=None):
        """Add a child to her record."""
        client = self.get_object()
        values = validated(ChildInputSerializer, request.data)
        child = services.child_add(actor=request.user, client=client, **values)
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DuplicateCheckInputSerializer, responses=DuplicateCheckResultSerializer)
    @action(
        detail=False,
        methods=["post"],
        url_path="check-duplicates",
        filter_backends=[],
        pagination_class=None,
    )
    def check_duplicates(self, request):
        """The clients you can see who may be the woman being registered (for the
        intake form, before it is sent). Others are never mentioned."""
        values = validated(DuplicateCheckInputSerializer, request.data)
        matches = selectors.client_possible_duplicates(user=request.user, **values)
        return Response(DuplicateCheckResultSerializer({"matches": matches}).data)


class ChildViewSet(RecordViewSet):
    """A client's children (added with POST /clients/{id}/children/)."""

    serializer_class = ChildSerializer
    filterset_class = ClientChildFilter
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return selectors.child_queryset()

    @extend_schema(request=ChildInputSerializer, responses=ChildSerializer)
    def partial_update(self, request, pk=None):
        child = self.get_object()
        values = validated(ChildInputSerializer, request.data, partial=True)
        child = services.child_update(actor=request.user, child=child, **values)
        return Response(ChildSerializer(child).data)

    @extend_schema(responses=NO_CONTENT)
    def destroy(self, request, pk=None):
        services.child_remove(actor=request.user, child=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
