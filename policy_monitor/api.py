"""The policy REST API: thin viewsets that validate, fetch through the access
module, call a service or a selector, and render.

- Lists are scoped to the user (volunteers see published material only).
- Retrieves go through access.get_for_user (404 outside her scope, audited read).
- Creates need WRITE_POLICY (403 otherwise, audited); updates fetch the record
  with Need.WRITE. Nothing is deleted: assessments are history, records are
  closed by their status.
"""

from __future__ import annotations

import io

from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ngo import access
from ngo.access import Need
from ngo.access.api import BoundedJSONParser, IgnoreAcceptNegotiation, validated
from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.accounts.roles import Capability
from ngo.lib import private_files, tabular
from policy_monitor import exports, filters, imports, selectors, services
from policy_monitor import serializers as s
from policy_monitor.draft_api import ROUTES as DRAFT_ROUTES
from policy_monitor.models import (
    Assessment,
    Cluster,
    ImportJob,
    MonitoringNote,
    Policy,
    PolicyEvent,
    Recommendation,
    Review,
    Submission,
    Term,
    WordLimit,
)


class PolicyRecordViewSet(ScopedReadOnlyViewSet):
    """List (scoped, filtered), retrieve (audited), create and update through
    the record's services."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    model = None
    input_serializer_class = None
    create_service = None
    update_service = None
    update_argument = ""
    parent_field = ""  # a parent record the create needs write access to
    detail_serializer_class = None  # one record's answer, where it differs from the list's

    def get_serializer_class(self):
        if self.detail_serializer_class is not None and self.action != "list":
            return self.detail_serializer_class
        return super().get_serializer_class()

    def reload(self, obj):
        return self.base_queryset().get(pk=obj.pk)

    def output(self, obj, code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.reload(obj)).data,
            status=code,
        )

    def create(self, request):
        if self.create_service is None:
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        access.require_create(request.user, self.model)
        values = validated(self.input_serializer_class, request.data)
        if self.parent_field:
            parent = values.pop(self.parent_field)
            values[self.parent_field] = access.get_for_user(
                request.user, type(parent), parent.pk, Need.WRITE
            )
        obj = type(self).create_service(actor=request.user, **values)
        return self.output(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        if self.update_service is None:
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        obj = self.get_object()
        values = validated(self.input_serializer_class, request.data, partial=True)
        values.pop(self.parent_field, None)
        obj = type(self).update_service(actor=request.user, **{self.update_argument: obj}, **values)
        return self.output(obj)


def _documented(viewset):
    """The input serializer in the schema for create and partial update. Each
    viewset gets its own method objects: the annotation is stored on the
    function, and the base class's functions are shared."""

    def copy(name):
        base = getattr(viewset, name)

        def method(self, *args, **kwargs):
            return base(self, *args, **kwargs)

        method.__name__ = name
        method.__qualname__ = f"{viewset.__name__}.{name}"
        method.__doc__ = base.__doc__
        return extend_schema(
            request=viewset.input_serializer_class,
            responses=viewset.detail_serializer_class or viewset.serializer_class,
        )(method)

    for name in ("create", "partial_update"):
        setattr(viewset, name, copy(name))
    return viewset


@_documented
class PolicyViewSet(PolicyRecordViewSet):
    """Laws, decrees, ordinances, five-year plans and national action plans."""

    model = Policy
    serializer_class = s.PolicySerializer
    detail_serializer_class = s.PolicyDetailSerializer
    input_serializer_class = s.PolicyInputSerializer
    filterset_class = filters.PolicyFilter
    ordering_fields = ["in_force_on", "title_ko", "title_en", "created_at"]
    create_service = services.policy_create
    update_service = services.policy_update
    update_argument = "policy"

    def base_queryset(self):
        return selectors.policy_queryset()


@_documented
class PolicyEventViewSet(PolicyRecordViewSet):
    """Events on a law or plan: amendment proposed, public-comment period (with
    its deadline), consultation meeting (internal: not shown to volunteers),
    enacted, in force, abolished."""

    model = PolicyEvent
    serializer_class = s.PolicyEventSerializer
    input_serializer_class = s.PolicyEventInputSerializer
    filterset_class = filters.PolicyEventFilter
    ordering_fields = ["happens_on", "deadline"]
    create_service = services.policy_event_create
    update_service = services.policy_event_update
    update_argument = "event"
    parent_field = "policy"

    def base_queryset(self):
        return selectors.policy_event_queryset()


@_documented
class MonitoringNoteViewSet(PolicyRecordViewSet):
    """Internal monitoring notes on a law or plan (staff only)."""

    model = MonitoringNote
    serializer_class = s.MonitoringNoteSerializer
    input_serializer_class = s.MonitoringNoteInputSerializer
    filterset_class = filters.MonitoringNoteFilter
    create_service = services.monitoring_note_create
    update_service = services.monitoring_note_update
    update_argument = "note"
    parent_field = "policy"

    def base_queryset(self):
        return selectors.monitoring_note_queryset()


class MechanismViewSet(ScopedReadOnlyViewSet):
    """The UN mechanism catalogue (administrators edit it in the admin)."""

    serializer_class = s.MechanismSerializer
    filterset_class = filters.MechanismFilter

    def base_queryset(self):
        return selectors.mechanism_queryset()


@_documented
class ReviewViewSet(PolicyRecordViewSet):
    """One reporting cycle of a mechanism for a State, with its key dates."""

    model = Review
    serializer_class = s.ReviewSerializer
    input_serializer_class = s.ReviewInputSerializer
    filterset_class = filters.ReviewFilter
    ordering_fields = ["dialogue_on", "ngo_deadline", "follow_up_deadline"]
    create_service = services.review_create
    update_service = services.review_update
    update_argument = "review"

    def base_queryset(self):
        return selectors.review_queryset()


@_documented
class SubmissionViewSet(PolicyRecordViewSet):
    """Opinions, consultation responses, shadow reports, UPR submissions,
    follow-up reports, urgent appeals. Volunteers see published ones only.
    Send the file as multipart ("file"); its word count (.docx, .txt) is checked
    against the limit of the mechanism and kind (word_warning when over)."""

    model = Submission
    serializer_class = s.SubmissionSerializer
    detail_serializer_class = s.SubmissionDetailSerializer
    input_serializer_class = s.SubmissionInputSerializer
    filterset_class = filters.SubmissionFilter
    ordering_fields = ["submitted_on", "due_on", "created_at"]
    parser_classes = [BoundedJSONParser, MultiPartParser, FormParser]
    update_argument = "submission"

    def base_queryset(self):
        return selectors.submission_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "word_limits": selectors.word_limits()}

    def create(self, request):
        access.require_create(request.user, Submission)
        values = validated(s.SubmissionInputSerializer, request.data)
        upload = values.pop("file", None)
        obj = services.submission_create(actor=request.user, upload=upload, **values)
        return self.output(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        obj = self.get_object()
        values = validated(s.SubmissionInputSerializer, request.data, partial=True)
        upload = values.pop("file", None)
        obj = services.submission_update(
            actor=request.user, submission=obj, upload=upload, **values
        )
        return self.output(obj)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)}
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def file(self, request, pk=None):
        """The attached file (audited read; 404 when there is none)."""
        return submission_file_response(request.user, pk)


def submission_file_response(user, pk) -> FileResponse:
    from django.http import Http404

    submission = access.get_for_user(user, Submission, pk, Need.READ)
    if not private_files.exists(services.FILE_AREA, submission.file_storage_name):
        raise Http404
    return FileResponse(
        io.BytesIO(services.submission_file(submission)),
        as_attachment=True,
        filename=submission.file_name,
    )


@_documented
class WordLimitViewSet(PolicyRecordViewSet):
    """Word limits per mechanism and submission kind."""

    model = WordLimit
    serializer_class = s.WordLimitSerializer
    input_serializer_class = s.WordLimitInputSerializer
    filterset_class = filters.WordLimitFilter
    create_service = services.word_limit_create
    update_service = services.word_limit_update
    update_argument = "limit"

    def base_queryset(self):
        return selectors.word_limit_queryset()


@_documented
class TermViewSet(PolicyRecordViewSet):
    """Thesaurus terms (themes, affected persons), extendable by policy officers."""

    model = Term
    serializer_class = s.TermSerializer
    input_serializer_class = s.TermInputSerializer
    filterset_class = filters.TermFilter
    create_service = services.term_create
    update_service = services.term_update
    update_argument = "term"

    def base_queryset(self):
        return selectors.term_queryset()


class SdgTargetViewSet(ScopedReadOnlyViewSet):
    """SDG goals and targets met in recommendations."""

    serializer_class = s.SdgTargetSerializer

    def base_queryset(self):
        return selectors.sdg_target_queryset()


@_documented
class ClusterViewSet(PolicyRecordViewSet):
    """Clusters of related recommendations."""

    model = Cluster
    serializer_class = s.ClusterSerializer
    input_serializer_class = s.ClusterInputSerializer
    create_service = services.cluster_create
    update_service = services.cluster_update
    update_argument = "cluster"

    def base_queryset(self):
        return selectors.cluster_queryset()


@_documented
class RecommendationViewSet(PolicyRecordViewSet):
    """UN recommendations (source "mechanism") and national-action-plan
    commitments (source "plan"), with the current implementation status.
    ?q= searches text and symbol (full text on PostgreSQL)."""

    model = Recommendation
    serializer_class = s.RecommendationSerializer
    detail_serializer_class = s.RecommendationDetailSerializer
    input_serializer_class = s.RecommendationInputSerializer
    filterset_class = filters.RecommendationFilter
    ordering_fields = ["issued_on", "document_symbol", "current_status_on"]
    create_service = services.recommendation_create
    update_service = services.recommendation_update
    update_argument = "recommendation"

    def base_queryset(self):
        return selectors.recommendation_queryset()


class AssessmentViewSet(PolicyRecordViewSet):
    """Dated implementation assessments (staff only). Never changed: a new
    assessment supersedes the last, and the recommendation's current status
    follows the latest."""

    http_method_names = ["get", "post", "head", "options"]
    model = Assessment
    serializer_class = s.AssessmentSerializer
    input_serializer_class = s.AssessmentInputSerializer
    filterset_class = filters.AssessmentFilter
    ordering_fields = ["assessed_on"]

    def base_queryset(self):
        return selectors.assessment_queryset()

    @extend_schema(request=s.AssessmentInputSerializer, responses={201: s.AssessmentSerializer})
    def create(self, request):
        access.require_create(request.user, Assessment)
        values = validated(s.AssessmentInputSerializer, request.data)
        recommendation = access.get_for_user(
            request.user, Recommendation, values.pop("recommendation").pk, Need.WRITE
        )
        obj = services.assessment_record(
            actor=request.user, recommendation=recommendation, **values
        )
        return self.output(obj, status.HTTP_201_CREATED)


class ImportJobViewSet(PolicyRecordViewSet):
    """UHRI imports: upload the "Export to Excel" file (.xlsx or .csv) as
    multipart "file". Small files are imported at once; large ones by the
    worker (poll the job for progress). The report lists every row."""

    http_method_names = ["get", "post", "head", "options"]
    model = ImportJob
    serializer_class = s.ImportJobSerializer
    filterset_fields = ["status"]
    parser_classes = [MultiPartParser, FormParser]

    def base_queryset(self):
        return selectors.import_job_queryset()

    @extend_schema(request=s.ImportJobInputSerializer, responses={201: s.ImportJobSerializer})
    def create(self, request):
        access.require_create(request.user, ImportJob)
        values = validated(s.ImportJobInputSerializer, request.data)
        job = imports.import_job_create(actor=request.user, upload=values["file"])
        return self.output(job, status.HTTP_201_CREATED)


EXPORT_RESPONSE = OpenApiResponse(
    OpenApiTypes.BINARY, description="The filtered recommendation list with current status."
)


class RecommendationExportView(APIView):
    """The recommendation list (same filters as /recommendations/) as a file. Audited."""

    content_negotiation_class = IgnoreAcceptNegotiation
    file_format = "csv"

    def get(self, request):
        if not request.user.can(Capability.READ_POLICY):
            access.require_create(request.user, Recommendation)  # audited 403
        return exports.recommendation_export(
            user=request.user, filters=request.query_params, file_format=self.file_format
        )


class RecommendationCsvView(RecommendationExportView):
    file_format = "csv"

    @extend_schema(
        operation_id="v1_recommendations_export_csv",
        responses={(200, "text/csv"): EXPORT_RESPONSE},
    )
    def get(self, request):
        """The recommendation list as CSV (UTF-8 with a byte order mark). Audited."""
        return super().get(request)


class RecommendationXlsxView(RecommendationExportView):
    file_format = "xlsx"

    @extend_schema(
        operation_id="v1_recommendations_export_xlsx",
        responses={(200, tabular.XLSX): EXPORT_RESPONSE},
    )
    def get(self, request):
        """The recommendation list as an Excel workbook. Audited."""
        return super().get(request)


ROUTES = [
    ("policies", PolicyViewSet, "policy"),
    ("policy-events", PolicyEventViewSet, "policy-event"),
    ("monitoring-notes", MonitoringNoteViewSet, "monitoring-note"),
    ("mechanisms", MechanismViewSet, "mechanism"),
    ("reviews", ReviewViewSet, "review"),
    ("submissions", SubmissionViewSet, "submission"),
    ("word-limits", WordLimitViewSet, "word-limit"),
    ("terms", TermViewSet, "term"),
    ("sdg-targets", SdgTargetViewSet, "sdg-target"),
    ("clusters", ClusterViewSet, "cluster"),
    ("recommendations", RecommendationViewSet, "recommendation"),
    ("assessments", AssessmentViewSet, "assessment"),
    ("uhri-imports", ImportJobViewSet, "uhri-import"),
    *DRAFT_ROUTES,
]


API_PATHS = [
    path(
        "recommendations/export.csv",
        RecommendationCsvView.as_view(),
        name="recommendation-export-csv",
    ),
    path(
        "recommendations/export.xlsx",
        RecommendationXlsxView.as_view(),
        name="recommendation-export-xlsx",
    ),
]
