"""Documents: upload, list and a permission-checked download."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from counselling import selectors, services
from counselling.api._common import RecordViewSet, _writable
from counselling.filters import (
    ClientChildFilter,
)
from counselling.models import (
    Case,
    Client,
    CounsellingSession,
)
from counselling.serializers import (
    DocumentInputSerializer,
    DocumentSerializer,
)
from ngo.access.api import IgnoreAcceptNegotiation, validated
from ngo.lib.filters import IdFilter


class DocumentFilter(ClientChildFilter):
    """?client=, ?case=, ?session=."""

    case = IdFilter(field_name="case_id")
    session = IdFilter(field_name="session_id")


class DocumentViewSet(RecordViewSet):
    """Files on a client, a case or a session. Uploaded as multipart form data,
    checked by content, stored encrypted; the bytes are served only by
    /download/, which is audited like any read."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["uploaded_at"]
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return selectors.document_queryset()

    @extend_schema(request=DocumentInputSerializer, responses={201: DocumentSerializer})
    def create(self, request):
        values = validated(DocumentInputSerializer, request.data)
        session = case = client = None
        if values.get("session"):
            session = _writable(request.user, CounsellingSession, values["session"])
            if values.get("case") and values["case"] != session.case_id:
                raise DjangoValidationError({"session": _("That session belongs to another case.")})
            case = session.case
        elif values.get("case"):
            case = _writable(request.user, Case, values["case"])
        if values.get("client"):
            client = _writable(request.user, Client, values["client"])
        else:
            client = case.client
        document = services.document_upload(
            actor=request.user,
            client=client,
            case=case,
            session=session,
            uploaded_file=values["file"],
            title=values.get("title", ""),
            category=values["category"],
            expires_on=values["expires_on"],
            already_expired=values["already_expired"],
        )
        return Response(
            DocumentSerializer(self.reload(document)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, with its own content type, as an attachment.",
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
    def download(self, request, pk=None):
        """The file itself (decrypted), as an attachment that is never cached."""
        document = self.get_object()  # audited read
        response = FileResponse(
            io.BytesIO(services.document_content(document)),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "no-store"
        return response
