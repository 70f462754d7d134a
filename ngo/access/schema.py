"""The OpenAPI schema of the REST API, as the API really answers.

`AutoSchema` is drf-spectacular's, with two corrections that hold for every
operation, so that no viewset has to repeat them:

- Every operation documents the error answers the API can give (400, 401, 403,
  404, 405, 406, 415 where there is a body, 429 where a throttle applies),
  each with the one error body of `ngo.access.api.exception_handler`. Codes an
  operation documents itself (a 409 with its matches, a 412) are kept as they
  are.
- A read-only field says what the model column can hold: DRF drops
  `allow_blank` from read-only fields, so a choice or an e-mail column that
  may be empty would otherwise be published as never empty; and a nested
  record behind a nullable foreign key may be `null`.

And what ngo.access.conditional does at run time (ETag, If-Match, 412 and 428),
said once for every operation that answers one versioned record. (Apart from
ngo.access.api because the schema class loads with DRF's settings.)
"""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import force_instance, is_serializer
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from ngo.access.conditional import CONDITIONAL_METHODS


class ApiErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code again.")
    code = serializers.CharField(help_text='What went wrong, e.g. "invalid", "not_found".')
    message = serializers.CharField(help_text="In the language of Accept-Language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For 400: the messages of each field that is not valid.",
    )


class ApiErrorSerializer(serializers.Serializer):
    """The body of every error answer of the API."""

    error = ApiErrorDetailSerializer()
    request_id = serializers.CharField()


# Status code -> what it means, for every operation (415 and 429 only where they apply).
STANDARD_ERRORS = {
    "400": _("The request is not valid: a parameter or a field (see error.fields)."),
    "401": _("Not signed in."),
    "403": _("Not signed in, or not allowed to do this."),
    "404": _("No such record within your scope, or no such page."),
    "405": _("This method is not allowed here."),
    "406": _("The Accept header asks for a format the API does not give."),
}
NULL_ONLY = {"type": "object", "nullable": True, "enum": [None]}
EMPTY_STRING = {"type": "string", "maxLength": 0}
UNSUPPORTED_MEDIA_TYPE = ("415", _("The request body's Content-Type is not accepted."))
THROTTLED = ("429", _("Too many requests; try again later."))


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


# For a POST action that changes one record (ngo.access.conditional.honour_if_match).
IF_MATCH_OPTIONAL = _if_match(False)

STALE_RESPONSE = OpenApiResponse(
    ApiErrorSerializer,
    description="Saved by someone else since the If-Match version; the ETag is the current one.",
)
MISSING_RESPONSE = OpenApiResponse(
    ApiErrorSerializer, description="No If-Match header: GET the record and send its ETag."
)


def _model_field(field) -> models.Field | None:
    """The model column a serializer field reads, when it reads one directly."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None)
    if model is None or not attrs:
        return None
    found = None
    for attr in attrs:
        if model is None:
            return None
        try:
            found = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        if not isinstance(found, models.Field):  # a reverse relation: many records
            return None
        model = found.related_model if found.is_relation else None
    return found


class AutoSchema(openapi.AutoSchema):
    # A `search` action (ngo.access.viewsets.SearchByPostMixin) answers the
    # list's page for filters POSTed as a JSON body: a list with its paging,
    # but none of the list's filters in the address.
    def _is_search(self) -> bool:
        return getattr(self.view, "action", None) == "search"

    def _is_list_view(self, serializer=None) -> bool:
        return self._is_search() or super()._is_list_view(serializer)

    def get_filter_backends(self):
        return [] if self._is_search() else super().get_filter_backends()

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

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(
            self._as_column_allows(field), direction, bypass_extensions
        )
        # A nullable nested record: OpenAPI 3.0.3 reads `nullable` only beside a
        # `type`, so {"$ref": ..., "nullable": true} would still refuse null for a
        # strict validator. Say "the record or null" in a way every reader agrees on.
        if isinstance(schema, dict) and schema.get("nullable") and "type" not in schema:
            refs = [schema.pop("$ref")] if "$ref" in schema else []
            if not refs and len(schema.get("allOf", ())) == 1:
                refs = [schema.pop("allOf")[0]["$ref"]]
            if refs:
                schema.pop("nullable")
                schema["anyOf"] = [{"$ref": refs[0]}, NULL_ONLY]
        return schema

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(self._as_column_allows(field), schema)
        # "An e-mail address or empty": anyOf, so that a validator that does not
        # know the format (and so takes "" as both) still accepts "".
        if EMPTY_STRING in schema.get("oneOf", ()):
            schema["anyOf"] = schema.pop("oneOf")

    @staticmethod
    def _as_column_allows(field):
        column = _model_field(field) if field.read_only else None
        if column is None:
            return field
        blank = (
            column.blank
            and isinstance(column, models.CharField | models.TextField)
            and isinstance(field, serializers.CharField | serializers.ChoiceField)
            and not getattr(field, "allow_blank", False)
        )
        null = column.null and not field.allow_null
        if not (blank or null):
            return field
        field = copy.copy(field)
        if blank:
            field.allow_blank = True
        if null:
            field.allow_null = True
        return field

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in CONDITIONAL_METHODS and self._answers_versioned_record():
            responses["412"] = self._get_response_for_code(
                STALE_RESPONSE, "412", direction=direction
            )
            if self._if_match_required():
                responses["428"] = self._get_response_for_code(
                    MISSING_RESPONSE, "428", direction=direction
                )
        errors = dict(STANDARD_ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.setdefault(*UNSUPPORTED_MEDIA_TYPE)
        if self.view.get_throttles():
            errors.setdefault(*THROTTLED)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ApiErrorSerializer, description=str(description)),
                    code,
                    direction=direction,
                )
        return responses
