"""Her safe-contact rules in the API: `/api/v1/clients/{id}/safety/` (GET, and
PATCH with If-Match) and the audited reveal of her code word
(`POST .../safety/code-word/`). Both follow the rule of her client record."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from counselling.models import Client
from counselling.safety import selectors, services
from counselling.safety.models import SafetyRecord
from counselling.safety.serializers import (
    CodeWordSerializer,
    SafetyRecordInputSerializer,
    SafetyRecordSerializer,
)
from ngo import access
from ngo.access import Need, conditional
from ngo.access.api import validated
from ngo.lib.versions import StaleVersion


def _shown(record: SafetyRecord) -> dict:
    record.outside_safe_hours = not record.is_safe_at(timezone.now())
    return SafetyRecordSerializer(record).data


class SafetyViewSet(viewsets.GenericViewSet):
    """Her safe-contact rules. Before any are recorded, GET answers the empty
    rules at version 1. A PATCH must send the ETag in If-Match (428 without it,
    412 if someone saved them meanwhile); the code word is write-only."""

    serializer_class = SafetyRecordSerializer
    queryset = SafetyRecord.objects.none()
    pagination_class = None
    filter_backends = []

    def _client(self, need: Need) -> Client:
        return access.get_for_user(self.request.user, Client, self.kwargs["pk"], need)

    def _record(self, client: Client, need: Need) -> SafetyRecord:
        record = selectors.safety_of_client(user=self.request.user, client=client, need=need)
        return record or SafetyRecord(client=client)

    @extend_schema(responses=SafetyRecordSerializer)
    def retrieve(self, request, pk=None):
        record = self._record(self._client(Need.READ), Need.READ)
        return Response(_shown(record))

    @extend_schema(request=SafetyRecordInputSerializer, responses=SafetyRecordSerializer)
    def partial_update(self, request, pk=None):
        client = self._client(Need.WRITE)
        record = self._record(client, Need.WRITE)
        wanted = conditional.require_if_match(request, required=True)
        conditional.check_if_match(record, wanted)
        values = validated(SafetyRecordInputSerializer, request.data, partial=True)
        try:
            record = services.safety_record_save(
                actor=request.user, client=client, values=values, expected_version=record.version
            )
        except StaleVersion as exc:
            raise conditional.stale_to_api(exc) from None
        record = selectors.safety_of_client(user=request.user, client=client)
        return Response(_shown(record))

    @extend_schema(request=None, responses=CodeWordSerializer)
    def code_word(self, request, pk=None):
        """Her code word (empty when none is recorded). Every reveal is audited."""
        record = self._record(self._client(Need.READ), Need.READ)
        word = ""
        if record.pk is not None and record.code_word:
            word = services.code_word_reveal(actor=request.user, record=record)
        response = Response({"code_word": word})
        response["Cache-Control"] = "no-store"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        conditional.add_etag(response)
        return response


ROUTES = []
API_PATHS = [
    path(
        "clients/<int:pk>/safety/",
        SafetyViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="client-safety-detail",
    ),
    path(
        "clients/<int:pk>/safety/code-word/",
        SafetyViewSet.as_view({"post": "code_word"}),
        name="client-safety-code-word",
    ),
]
