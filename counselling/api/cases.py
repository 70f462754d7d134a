"""Cases."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from counselling import exports, selectors, services
from counselling.access_rules import require_caseload
from counselling.api._common import RecordViewSet, SelectorFilterBackend, _selected, _writable
from counselling.filters import (
    CaseFilter,
)
from counselling.models import (
    CaseStatus,
    Client,
)
from counselling.serializers import (
    CaseActivitySerializer,
    CaseAssignInputSerializer,
    CaseOpenInputSerializer,
    CaseSerializer,
    CaseStatusInputSerializer,
    CaseSummarySerializer,
    CaseUpdateInputSerializer,
)
from ngo.access.api import IgnoreAcceptNegotiation, search_filters, validated
from ngo.access.viewsets import SearchByPostMixin
from ngo.lib import tabular

EXPORT_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The filtered caseload.")


class CaseViewSet(SearchByPostMixin, RecordViewSet):
    """Cases: the caseload (with the same filters as the screens), opening a
    further case for a registered client, changes, status, assignment and the
    timeline.

    A PATCH must send the ETag of the case in If-Match (428 without it,
    412 if someone saved the case meanwhile)."""

    if_match_required = True

    serializer_class = CaseSummarySerializer
    filterset_class = CaseFilter
    filter_backends = [SelectorFilterBackend, OrderingFilter]
    ordering_fields = ["opened_on", "updated_at", "risk_level", "status"]
    search_url_name = "api:case-search"

    def base_queryset(self):
        return selectors.case_queryset()

    def get_queryset(self):
        return _selected(selectors.case_list(user=self.request.user, filters=self.list_filters()))

    def _export(self, request, file_format):
        require_caseload(request.user)
        # A search by name or phone is POSTed to the export's own address.
        filters = search_filters(request, request.path)
        # Bad filters: a 400 that names them, before anything is written.
        _selected(selectors.case_list(user=request.user, filters=filters))
        return exports.case_list_export(user=request.user, filters=filters, file_format=file_format)

    @extend_schema(
        methods=["GET"],
        operation_id="v1_cases_export_csv",
        responses={(200, "text/csv"): EXPORT_RESPONSE},
    )
    @extend_schema(
        methods=["POST"],
        operation_id="v1_cases_export_csv_search",
        request=OpenApiTypes.OBJECT,
        responses={(200, "text/csv"): EXPORT_RESPONSE},
    )
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="export.csv",
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def export_csv(self, request):
        """The caseload (same filters as the list) as CSV, every case; branch
        managers and administrators. Audited. A search by name or phone (`q`)
        is POSTed here as a JSON body, as to cases/search/."""
        return self._export(request, "csv")

    @extend_schema(
        methods=["GET"],
        operation_id="v1_cases_export_xlsx",
        responses={(200, tabular.XLSX): EXPORT_RESPONSE},
    )
    @extend_schema(
        methods=["POST"],
        operation_id="v1_cases_export_xlsx_search",
        request=OpenApiTypes.OBJECT,
        responses={(200, tabular.XLSX): EXPORT_RESPONSE},
    )
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="export.xlsx",
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def export_xlsx(self, request):
        """The caseload as an Excel workbook; branch managers and administrators. Audited."""
        return self._export(request, "xlsx")

    @extend_schema(responses=CaseSerializer)
    def retrieve(self, request, pk=None):
        return Response(CaseSerializer(self.get_object()).data)

    @extend_schema(request=CaseOpenInputSerializer, responses={201: CaseSerializer})
    def create(self, request):
        values = validated(CaseOpenInputSerializer, request.data)
        client = _writable(request.user, Client, values.pop("client"))
        case = services.case_open(actor=request.user, client=client, **values)
        return Response(CaseSerializer(self.reload(case)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateInputSerializer, responses=CaseSerializer)
    def partial_update(self, request, pk=None):
        case = self.get_object()
        values = validated(CaseUpdateInputSerializer, request.data, partial=True)
        case = services.case_update(actor=request.user, case=case, **values)
        return Response(CaseSerializer(self.reload(case)).data)

    @extend_schema(
        request=CaseStatusInputSerializer,
        responses={
            200: CaseSerializer,
            202: OpenApiResponse(
                CaseSerializer,
                description="Closing needs the branch manager's approval at this branch: "
                "the request is recorded (/approvals/) and the case is unchanged.",
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def change_status(self, request, pk=None):
        """intake -> active -> closed, and reopen (closed -> active)."""
        case = self.get_object()
        values = validated(CaseStatusInputSerializer, request.data)
        case = services.case_change_status(actor=request.user, case=case, **values)
        awaiting = values["to"] == CaseStatus.CLOSED and case.status != CaseStatus.CLOSED
        return Response(
            CaseSerializer(self.reload(case)).data,
            status=status.HTTP_202_ACCEPTED if awaiting else status.HTTP_200_OK,
        )

    @extend_schema(request=CaseAssignInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def assign(self, request, pk=None):
        """Replace the staff assigned to the case."""
        case = self.get_object()
        values = validated(CaseAssignInputSerializer, request.data)
        case = services.case_assign(actor=request.user, case=case, users=values["assigned"])
        return Response(CaseSerializer(self.reload(case)).data)

    @extend_schema(responses=CaseActivitySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request, pk=None):
        """Everything that happened on the case (and to its client), newest first."""
        case = self.get_object()
        page = self.paginate_queryset(selectors.case_timeline(user=request.user, case=case))
        return self.get_paginated_response(CaseActivitySerializer(page, many=True).data)
