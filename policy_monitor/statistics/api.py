"""REST API of shadow-report datasets: list, retrieve, create, generate,
cancel a generation, publish, export (CSV, XLSX, DOCX, Data Package).

Reading needs READ_STATISTICS (others get 403 on the list, 404 on a record);
writing needs WRITE_STATISTICS (403). Lists are scoped by access_rules
(a branch manager sees her own branches' datasets only); retrieves and
exports are audited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ngo import access
from ngo.access import Need
from ngo.access.api import IgnoreAcceptNegotiation, IsVerifiedStaff
from ngo.access.schema import ApiErrorSerializer
from ngo.accounts.roles import Capability
from ngo.lib import tabular
from policy_monitor.statistics import selectors, services
from policy_monitor.statistics.exports import FORMATS
from policy_monitor.statistics.filters import DatasetFilter
from policy_monitor.statistics.models import StatisticsDataset
from policy_monitor.statistics.serializers import DatasetInputSerializer, DatasetSerializer


class NothingRunning(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "nothing_running"


class ReadsStatistics(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.can(Capability.READ_STATISTICS)


class StatisticsDatasetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Anonymised, aggregated counts from the case files for shadow reports."""

    serializer_class = DatasetSerializer
    permission_classes = [IsVerifiedStaff, ReadsStatistics]
    filterset_class = DatasetFilter

    def get_queryset(self):
        return selectors.datasets_for_user(user=self.request.user)

    def get_object(self):
        need = Need.READ if self.request.method in permissions.SAFE_METHODS else Need.WRITE
        dataset = selectors.dataset_for_user(
            user=self.request.user, pk=self.kwargs["pk"], need=need
        )
        self.check_object_permissions(self.request, dataset)
        return dataset

    @extend_schema(responses={200: DatasetSerializer})
    def list(self, request, *args, **kwargs):
        """Datasets with their tables; each table sent is recorded in the
        release ledger. A table the release auditor now refuses is left out
        (its dataset shows no tables: generate it again)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        unreleased = set()
        for dataset in page if page is not None else queryset:
            try:
                services.dataset_send(actor=request.user, dataset=dataset)
            except ValidationError:
                unreleased.add(dataset.pk)
        context = {**self.get_serializer_context(), "unreleased": unreleased}
        data = DatasetSerializer(page if page is not None else queryset, many=True, context=context)
        if page is not None:
            return self.get_paginated_response(data.data)
        return Response(data.data)

    @extend_schema(responses={200: DatasetSerializer})
    def retrieve(self, request, *args, **kwargs):
        """One dataset with its tables, recorded in the release ledger; 400 when
        tables released since its generation make it unsafe (generate it again)."""
        dataset = services.dataset_send(actor=request.user, dataset=self.get_object())
        return Response(DatasetSerializer(dataset).data)

    def _writable(self, pk) -> StatisticsDataset:
        return selectors.dataset_for_user(user=self.request.user, pk=pk, need=Need.WRITE)

    def _output(self, dataset: StatisticsDataset) -> dict:
        """The dataset as stored after a write (the write itself is audited)."""
        fresh = selectors.dataset_for_user(user=self.request.user, pk=dataset.pk, audit_read=False)
        return DatasetSerializer(fresh).data

    @extend_schema(request=DatasetInputSerializer, responses={201: DatasetSerializer})
    def create(self, request):
        """Define a dataset; its generation is queued at once (status "queued")."""
        access.require_create(request.user, StatisticsDataset)
        serializer = DatasetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dataset = services.dataset_create(actor=request.user, **serializer.validated_data)
        return Response(self._output(dataset), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: DatasetSerializer})
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        """Queue a new generation from the current case files (not once published)."""
        dataset = services.dataset_request_generation(
            actor=request.user, dataset=self._writable(pk)
        )
        return Response(self._output(dataset), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses={
            202: DatasetSerializer,
            409: OpenApiResponse(
                ApiErrorSerializer, description="Nothing is being generated (or already stopping)."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Ask the worker to stop the generation: it stops at its next step, stores
        nothing, and the dataset goes back to draft. Audited."""
        try:
            dataset = services.dataset_cancel_generation(
                actor=request.user, dataset=self._writable(pk)
            )
        except services.NothingToCancel as exc:
            raise NothingRunning(str(exc)) from None
        return Response(self._output(dataset), status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: DatasetSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Approve the generated tables for a submission; they are frozen from then on."""
        dataset = services.dataset_publish(actor=request.user, dataset=self._writable(pk))
        return Response(self._output(dataset))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "file_format", str, OpenApiParameter.PATH, enum=[*FORMATS], required=True
            )
        ],
        responses={
            (200, content_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The tables with their header block. Audited."
            )
            for content_type in FORMATS.values()
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"export/(?P<file_format>csv|xlsx|docx|datapackage)",
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def export(self, request, pk=None, file_format=None):
        """The tables as CSV, XLSX or DOCX, with the header block, or as a Frictionless
        Data Package (a .zip of datapackage.json, one CSV per table and a README).
        Withheld figures are their marks ("<k", "x"). Audited as an export."""
        dataset = selectors.dataset_for_user(user=request.user, pk=pk, audit_read=False)
        exported = services.dataset_export(
            actor=request.user, dataset=dataset, file_format=file_format
        )
        return tabular.attachment(
            HttpResponse(exported.content, content_type=exported.content_type), exported.filename
        )


ROUTES = [("statistics-datasets", StatisticsDatasetViewSet, "statistics-dataset")]
