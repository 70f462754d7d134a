"""Incidents in the API: the list (scoped by the rule of their case, with
filters), recording one, reading, changing (If-Match) and deleting one (with
a reason code; If-Match honoured)."""

from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from counselling.incidents import selectors, services
from counselling.incidents.models import Perpetrator, RemovalReason, ViolenceType, YesNoUnknown
from counselling.incidents.serializers import (
    IncidentCreateInputSerializer,
    IncidentDeleteInputSerializer,
    IncidentFieldsSerializer,
    IncidentSerializer,
)
from counselling.models import Case
from ngo import access
from ngo.access import Need, conditional
from ngo.access.api import validated
from ngo.access.schema import STALE_RESPONSE
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.lib.filters import IdFilter


class IncidentFilter(django_filters.FilterSet):
    """?case=, ?violence_type=, ?perpetrator=, ?broker_involved=,
    ?occurred_from=, ?occurred_until= (dates included)."""

    case = IdFilter(field_name="case_id")
    violence_type = django_filters.ChoiceFilter(choices=ViolenceType.choices)
    perpetrator = django_filters.ChoiceFilter(choices=Perpetrator.choices)
    broker_involved = django_filters.ChoiceFilter(choices=YesNoUnknown.choices)
    occurred_from = django_filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_until = django_filters.DateFilter(field_name="occurred_on", lookup_expr="lte")


_REASON = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    enum=RemovalReason.values,
    description="Why the incident is deleted (kept by the audit).",
)
_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag the deletion was decided on ("3"); 412 if saved since.',
)


class IncidentViewSet(SelectedRecordViewSet):
    """Incidents of violence on cases, one GBVIMS core type each, seen by whoever
    reads the case. A PATCH must send the ETag in If-Match (428 without it, 412
    if someone saved the incident meanwhile); a DELETE says why (?reason=) and
    may send If-Match too."""

    if_match_required = True
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["occurred_on", "recorded_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def selected(self, user):
        return selectors.incident_list(user=user)

    def _out(self, incident, status_code=status.HTTP_200_OK):
        return Response(IncidentSerializer(self.reload(incident)).data, status=status_code)

    @extend_schema(request=IncidentCreateInputSerializer, responses={201: IncidentSerializer})
    def create(self, request):
        values = validated(IncidentCreateInputSerializer, request.data)
        case = access.get_for_user(request.user, Case, values.pop("case"), Need.WRITE)
        incident = services.incident_record(actor=request.user, case=case, **values)
        return self._out(incident, status.HTTP_201_CREATED)

    @extend_schema(request=IncidentFieldsSerializer, responses=IncidentSerializer)
    def partial_update(self, request, pk=None):
        incident = self.get_object()
        values = validated(IncidentFieldsSerializer, request.data, partial=True)
        incident = services.incident_update(
            actor=request.user, incident=incident, expected_version=incident.version, **values
        )
        return self._out(incident)

    @extend_schema(
        parameters=[_REASON, _IF_MATCH],
        responses={204: OpenApiResponse(description="Deleted."), 412: STALE_RESPONSE},
    )
    def destroy(self, request, pk=None):
        incident = self.get_object()
        values = validated(IncidentDeleteInputSerializer, request.query_params)
        conditional.check_if_match(
            incident, conditional.parse_if_match(request.headers.get("If-Match"))
        )
        services.incident_delete(
            actor=request.user,
            incident=incident,
            reason=values["reason"],
            expected_version=incident.version,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [("incidents", IncidentViewSet, "incident")]
