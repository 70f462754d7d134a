"""Consent texts in the API: read by the staff who explain consent, edited and
marked reviewed by administrators."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.consent_texts import services
from counselling.consent_texts.filters import ConsentTextFilter
from counselling.consent_texts.models import ConsentText
from counselling.consent_texts.serializers import (
    ConsentTextInputSerializer,
    ConsentTextReviewInputSerializer,
    ConsentTextSerializer,
)
from ngo.access.api import validated
from ngo.access.schema import ApiErrorSerializer
from ngo.access.viewsets import ScopedReadOnlyViewSet

STALE = OpenApiResponse(
    ApiErrorSerializer, description="A newer version of the text exists; review that one."
)


class ConsentTextViewSet(ScopedReadOnlyViewSet):
    """The explanation texts of consent, one row per version of a section in a
    language (the current ones unless all_versions=true). A PATCH saves the new
    wording as the next version (a new id; the old one is kept for the
    consents recorded with it) and clears the review mark; send the ETag in
    If-Match."""

    serializer_class = ConsentTextSerializer
    filterset_class = ConsentTextFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    if_match_required = True

    def base_queryset(self):
        return ConsentText.objects.order_by("language", "section", "-version")

    @extend_schema(request=ConsentTextInputSerializer, responses=ConsentTextSerializer)
    def partial_update(self, request, pk=None):
        text = self.get_object()
        values = validated(ConsentTextInputSerializer, request.data, partial=True)
        saved = services.consent_text_edit(
            actor=request.user,
            text=text,
            heading=values.get("heading", text.heading),
            body=values.get("body", text.body),
            expected_version=text.version,
        )
        return Response(ConsentTextSerializer(saved).data)

    @extend_schema(
        request=ConsentTextReviewInputSerializer,
        responses={200: ConsentTextSerializer, 412: STALE},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def review(self, request, pk=None):
        """Mark the version as reviewed by a native speaker (administrators)."""
        text = self.get_object()
        values = validated(ConsentTextReviewInputSerializer, request.data)
        saved = services.consent_text_mark_reviewed(
            actor=request.user,
            text=text,
            reviewer_name=values["reviewer_name"],
            expected_version=values["version"],
        )
        return Response(ConsentTextSerializer(saved).data)


ROUTES = [("consent-texts", ConsentTextViewSet, "consent-text")]
