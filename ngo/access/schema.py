"""The API schema: drf-spectacular's, plus what ngo.access.conditional does at
run time (ETag, If-Match, 412 and 428), said once for every operation that
answers one versioned record. Apart from ngo.access.api because the schema
class loads with DRF's settings."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import force_instance, is_serializer
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from ngo.access.conditional import CONDITIONAL_METHODS


class PreconditionErrorSerializer(serializers.Serializer):
    class PreconditionErrorBodySerializer(serializers.Serializer):
        status = serializers.IntegerField()
        code = serializers.CharField()
        message = serializers.CharField()
        fields = serializers.DictField()

    error = PreconditionErrorBodySerializer()
    request_id = serializers.CharField()


ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201, 412],
    description='The version of the record, quoted ("3"); send it back in If-Match.',
)


def _if_match(required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        str,
        OpenApiParameter.HEADER,
        required=required,
        description=(
            'The ETag of the record as you read it ("3"). Another version answers 412 and '
            "nothing is saved."
            + (" Without it: 428." if required else " Without it the change is not compared.")
        ),
    )


STALE_RESPONSE = OpenApiResponse(
    PreconditionErrorSerializer,
    description="Saved by someone else since the If-Match version; the ETag is the current one.",
)
MISSING_RESPONSE = OpenApiResponse(
    PreconditionErrorSerializer, description="No If-Match header: GET the record and send its ETag."
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the ETag header of every operation that
    answers one versioned record and, on its PUT and PATCH, the If-Match
    header and the 412 (and 428) answers."""

    def _answers_versioned_record(self) -> bool:
        if self.method == "DELETE" or self._is_list_view():
            return False
        responses = self.get_response_serializers()
        if isinstance(responses, dict):
            candidates = [r for code, r in responses.items() if str(code).startswith("2")]
        else:
            candidates = [responses]
        for candidate in candidates:
            if isinstance(candidate, OpenApiResponse):
                candidate = candidate.response
            if not is_serializer(candidate):
                continue
            serializer = force_instance(candidate)
            serializer = getattr(serializer, "child", serializer)
            if "version" in getattr(serializer, "fields", {}):
                return True
        return False

    def _if_match_required(self) -> bool:
        return bool(getattr(self.view, "if_match_required", False))

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._answers_versioned_record():
            parameters.append(ETAG)
            if self.method in CONDITIONAL_METHODS:
                parameters.append(_if_match(self._if_match_required()))
        return parameters

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method in CONDITIONAL_METHODS and self._answers_versioned_record():
            bodies["412"] = self._get_response_for_code(STALE_RESPONSE, "412", direction=direction)
            if self._if_match_required():
                bodies["428"] = self._get_response_for_code(
                    MISSING_RESPONSE, "428", direction=direction
                )
        return bodies
