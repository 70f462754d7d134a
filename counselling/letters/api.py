"""Letters in the API: the list and a letter (scoped by the rule of its case),
preparing, approving, revoking and the PDF. Approve and revoke honour If-Match."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.letters import selectors, services
from counselling.letters.models import LetterStatus
from counselling.letters.serializers import (
    LetterPrepareInputSerializer,
    LetterRevokeInputSerializer,
    LetterSerializer,
)
from counselling.models import Case
from ngo import access
from ngo.access import Need
from ngo.access.api import IgnoreAcceptNegotiation, on_field, validated
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.lib.filters import IdFilter


class LetterFilter(filters.FilterSet):
    """?case=, ?status=."""

    case = IdFilter(field_name="case_id")
    status = filters.ChoiceFilter(choices=LetterStatus.choices)


class LetterViewSet(SelectedRecordViewSet):
    """DV confirmation letters. A counsellor prepares one on a case of domestic
    violence with at least one session; a branch manager of its branch (not the
    preparer) approves and signs it, which numbers it and stores its PDF."""

    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    ordering_fields = ["prepared_at", "issued_on"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.letter_list(user=user)

    def _letter(self, letter, status_code=status.HTTP_200_OK):
        return Response(LetterSerializer(self.reload(letter)).data, status=status_code)

    @extend_schema(request=LetterPrepareInputSerializer, responses={201: LetterSerializer})
    def create(self, request):
        values = validated(LetterPrepareInputSerializer, request.data)
        case = access.get_for_user(request.user, Case, values["case"], Need.WRITE)
        try:
            letter = services.letter_prepare(
                actor=request.user, case=case, language=values["language"]
            )
        except DjangoValidationError as error:
            raise on_field(error, "case") from None
        return self._letter(letter, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=LetterSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        """Approve and sign: the letter gets its number and its PDF."""
        letter = self.get_object()
        letter = services.letter_approve(
            actor=request.user, letter=letter, expected_version=letter.version
        )
        return self._letter(letter)

    @extend_schema(request=LetterRevokeInputSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def revoke(self, request, pk=None):
        """Revoke an issued letter, saying why; verification then says so."""
        letter = self.get_object()
        services.require_signatory(request.user, letter)
        values = validated(LetterRevokeInputSerializer, request.data)
        letter = services.letter_revoke(
            actor=request.user,
            letter=letter,
            reason=values["reason"],
            expected_version=letter.version,
        )
        return self._letter(letter)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The letter as issued; the download is audited."
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def pdf(self, request, pk=None):
        """The issued letter's PDF (a reprint, audited)."""
        letter = self.get_object()
        content = services.letter_reprint(actor=request.user, letter=letter)
        response = FileResponse(
            io.BytesIO(content),
            as_attachment=True,
            filename=f"{letter.number}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "no-store"
        return response


ROUTES = [("letters", LetterViewSet, "letter")]
