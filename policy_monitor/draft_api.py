"""Shadow-report drafts in the REST API: ask for a draft of a review (202,
written on the worker), follow its progress, cancel it, download the Word
file. Policy officers only (WRITE_POLICY): others get 403 on the list and
404 on a draft."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ngo import access
from ngo.access import Need
from ngo.access.api import IgnoreAcceptNegotiation, IsVerifiedStaff, validated
from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.accounts.roles import Capability
from ngo.lib.filters import IdFilter
from policy_monitor import drafts
from policy_monitor.draft_views import draft_download
from policy_monitor.models import DraftStatus, Review, ShadowReportDraft


class ShadowReportDraftSerializer(serializers.ModelSerializer):
    running = serializers.BooleanField(read_only=True)
    over_limit = serializers.BooleanField(
        read_only=True, help_text=_("More words than the mechanism allows (the draft is kept).")
    )
    progress_label = serializers.CharField(read_only=True)
    cancel_requested = serializers.SerializerMethodField()

    class Meta:
        model = ShadowReportDraft
        fields = [
            "id",
            "review",
            "status",
            "running",
            "progress_stage",
            "progress_percent",
            "progress_label",
            "cancel_requested",
            "word_count",
            "word_limit",
            "over_limit",
            "recommendation_count",
            "annex_count",
            "file_name",
            "file_size",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_cancel_requested(self, draft) -> bool:
        return draft.cancel_requested_at is not None


class ShadowReportDraftInputSerializer(serializers.Serializer):
    review = serializers.PrimaryKeyRelatedField(
        queryset=Review.objects.all(), help_text=_("The review the shadow report is for.")
    )


class ShadowReportDraftFilter(django_filters.FilterSet):
    review = IdFilter(field_name="review_id", label=_("review"))
    status = django_filters.ChoiceFilter(choices=DraftStatus.choices)

    class Meta:
        model = ShadowReportDraft
        fields = ["review", "status"]


class WritesPolicy(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.user.can(Capability.WRITE_POLICY)


FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The Word draft. Audited.")


class ShadowReportDraftViewSet(ScopedReadOnlyViewSet):
    """Shadow-report drafts of UN reviews, written on the worker from the
    evidence chain (see the README). POST {"review": id} answers 202 with the
    new draft, or with the draft already being written for that review."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [IsVerifiedStaff, WritesPolicy]
    serializer_class = ShadowReportDraftSerializer
    filterset_class = ShadowReportDraftFilter

    def base_queryset(self):
        return ShadowReportDraft.objects.select_related("review")

    def _out(self, draft, code=status.HTTP_200_OK):
        fresh = self.base_queryset().get(pk=draft.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request=ShadowReportDraftInputSerializer,
        responses={202: ShadowReportDraftSerializer},
    )
    def create(self, request):
        access.require_create(request.user, ShadowReportDraft)
        values = validated(ShadowReportDraftInputSerializer, request.data)
        review = access.get_for_user(request.user, Review, values["review"].pk, Need.WRITE)
        draft, _created = drafts.draft_request(actor=request.user, review=review)
        return self._out(draft, status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: ShadowReportDraftSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Stop a draft being written; nothing of it is kept (400 once it is finished)."""
        draft = access.get_for_user(request.user, self.base_queryset(), pk, Need.WRITE)
        return self._out(drafts.draft_cancel(actor=request.user, draft=draft))

    @extend_schema(
        responses={
            (200, drafts.CONTENT_TYPE): FILE_RESPONSE,
        }
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def file(self, request, pk=None):
        """The Word file of a finished draft (404 before it is written). Audited."""
        return draft_download(request.user, pk)


ROUTES = [("shadow-report-drafts", ShadowReportDraftViewSet, "shadow-report-draft")]
