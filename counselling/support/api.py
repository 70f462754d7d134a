"""The REST API of services given: `/api/v1/services-given/` (filters: ?case=,
?kind=, ?status=, ?organisation=, ?date_from=, ?date_until=). A create names
her case, fetched for writing first (404 outside her scope, 403 read-only);
ETag is the version and a PATCH honours If-Match."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.api import _writable
from counselling.models import Case
from counselling.support import selectors, services
from counselling.support.models import ServiceGiven, SupportKind, SupportStatus
from counselling.support.serializers import (
    ServiceGivenInputSerializer,
    ServiceGivenSerializer,
    ServiceGivenUpdateInputSerializer,
)
from ngo import access
from ngo.access.api import validated
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.directory.models import Organisation
from ngo.lib.filters import IdFilter


class ServiceGivenFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    kind = filters.ChoiceFilter(choices=SupportKind.choices)
    status = filters.ChoiceFilter(choices=SupportStatus.choices)
    organisation = IdFilter(field_name="organisation_id")
    date_from = filters.DateFilter(field_name="given_on", lookup_expr="gte")
    date_until = filters.DateFilter(field_name="given_on", lookup_expr="lte")

    class Meta:
        model = ServiceGiven
        fields = []


def _organisation(user, values: dict) -> None:
    if "organisation" not in values or values["organisation"] is None:
        return
    found = access.scope(user, Organisation.objects.filter(pk=values["organisation"])).first()
    if found is None:
        raise exceptions.ValidationError({"organisation": [_("There is no such organisation.")]})
    values["organisation"] = found


class ServiceGivenViewSet(SelectedRecordViewSet):
    """Services given to the cases you see: kind, provider, dates, cost, payer."""

    serializer_class = ServiceGivenSerializer
    filterset_class = ServiceGivenFilter
    ordering_fields = ["given_on", "cost_krw"]

    def selected(self, user):
        return selectors.service_list(user=user)

    def _answer(self, service, status_code=status.HTTP_200_OK):
        return Response(ServiceGivenSerializer(self.reload(service)).data, status=status_code)

    @extend_schema(request=ServiceGivenInputSerializer, responses={201: ServiceGivenSerializer})
    def create(self, request):
        values = validated(ServiceGivenInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        _organisation(request.user, values)
        service = services.service_add(actor=request.user, case=case, **values)
        return self._answer(service, status.HTTP_201_CREATED)

    @extend_schema(request=ServiceGivenUpdateInputSerializer, responses=ServiceGivenSerializer)
    def partial_update(self, request, pk=None):
        service = self.get_object()
        values = validated(ServiceGivenUpdateInputSerializer, request.data, partial=True)
        _organisation(request.user, values)
        service = services.service_update(actor=request.user, service=service, **values)
        return self._answer(service)

    @extend_schema(request=None, responses=ServiceGivenSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        service = services.service_cancel(actor=request.user, service=self.get_object())
        return self._answer(service)


ROUTES = [("services-given", ServiceGivenViewSet, "service-given")]
