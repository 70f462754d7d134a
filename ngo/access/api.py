"""Shared pieces of the REST API: permission, pagination, error format, and a
viewset base that goes through the access module."""

from __future__ import annotations

import json
import logging
import re

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, negotiation, pagination, parsers, permissions, throttling
from rest_framework.utils.json import strict_constant

from ngo import access
from ngo.access import Need, conditional
from ngo.lib import request_context
from ngo.lib.cache import CACHE_ERRORS
from ngo.lib.paging import COUNT_CAP, CappedPaginator
from ngo.lib.versions import StaleVersion

logger = logging.getLogger(__name__)


class IsVerifiedStaff(permissions.BasePermission):
    """Signed in, active, and past the second factor where the role needs one.

    A session is verified by django-otp; a token request is verified through the
    device that verified the session the token was issued from
    (ngo.accounts.authentication), never merely because it carries a token.
    """

    # Lazy: a class attribute, translated per request, not once at import.
    message = gettext_lazy("Sign in with your second factor first.")

    def has_permission(self, request, view):
        from ngo.accounts.middleware import two_factor_waived

        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if not user.needs_two_factor or two_factor_waived(user):
            return True
        verified = getattr(user, "is_verified", None)
        return bool(verified and verified())


class FailOpenScopedRateThrottle(throttling.ScopedRateThrottle):
    """Throttle by scope while the cache answers; let the request through when
    it does not, so that Redis being down is not a 500 for everyone."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS:
            logger.warning("throttle %s not applied: the cache is unreachable", self.scope)
            return True


MAX_JSON_DEPTH = 32

# A string (escapes and all) or one bracket: what the depth count looks at.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _json_depth_exceeds(text: str, limit: int) -> bool:
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        part = match.group()
        if part in "[{":
            depth += 1
            if depth > limit:
                return True
        elif part in "]}":
            depth -= 1
    return False


class BoundedJSONParser(parsers.JSONParser):
    """JSON bodies of a bounded size (DATA_UPLOAD_MAX_MEMORY_SIZE) and nesting
    depth. Deeply nested JSON exhausts the parser's recursion, which would be
    a 500; either limit answers 400 with a message instead."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # One byte over the limit tells a body at the limit from one beyond it.
        raw = stream.read(-1 if limit is None else limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise exceptions.ParseError(
                _("The request body is too large (at most %(size)d KB).") % {"size": limit // 1024}
            )
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(_("The request body is not valid text.")) from exc
        if _json_depth_exceeds(text, MAX_JSON_DEPTH):
            raise exceptions.ParseError(
                _("The JSON is nested too deeply (at most %(depth)d levels).")
                % {"depth": MAX_JSON_DEPTH}
            )
        parse_constant = strict_constant if self.strict else None
        try:
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError(
                _("The request body is not valid JSON: %(problem)s") % {"problem": exc}
            ) from exc


def validated(serializer_class, data, **kwargs) -> dict:
    """The input serializer's validated data; a 400 with every field's message
    otherwise."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class Pagination(pagination.PageNumberPagination):
    """Pages of 50 (up to 200). `count` is exact up to 10,000 rows and null past
    that (ngo.lib.paging): `next` leads on to every further page all the same."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator

    def get_page_number(self, request, paginator):
        asked = request.query_params.get(self.page_query_param)
        if asked in self.last_page_strings and not paginator.exact:
            raise exceptions.NotFound(
                _(
                    "The last page of more than %(cap)s rows is not known; follow "
                    "`next`, or narrow the list with a filter."
                )
                % {"cap": f"{paginator.cap:,}"}
            )
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if not self.page.paginator.exact:
            response.data["count"] = None
        return response

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": (
                f"The number of rows, exact up to {COUNT_CAP:,}; null when more match "
                "(follow `next` to the end)."
            ),
        }
        return shape


def _flatten(detail, prefix=""):
    """DRF's nested error detail -> {"field": ["message", ...]}."""
    fields = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            fields[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten(item, f"{prefix}[{index}]"))
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def exception_handler(exc, context):
    """Every API error has one shape:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}},
     "request_id": "..."}
    """
    if isinstance(exc, StaleVersion):
        exc = conditional.stale_to_api(exc)
    elif isinstance(exc, DjangoValidationError):
        # A model's constraint errors come as "__all__"; the API calls them as DRF does.
        exc = exceptions.ValidationError(
            {
                ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()
            }
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    # Imported here: rest_framework.views reads these very settings at import time.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    error = {"status": response.status_code, "code": "error", "message": "", "fields": {}}
    if isinstance(exc, exceptions.ValidationError):
        error["code"] = "invalid"
        error["message"] = _("Some of the data is not valid. See the fields for details.")
        error["fields"] = _flatten(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        error["code"] = codes if isinstance(codes, str) else "error"
        error["message"] = str(exc.detail)
    if isinstance(exc, conditional.PreconditionFailed):
        response.current_version = exc.current
    context_ = request_context.current()
    response.data = {"error": error, "request_id": context_.request_id if context_ else ""}
    return response


class ScopedViewSetMixin:
    """List and retrieve go through the access module: lists are scoped to the
    user; retrieve answers 404 outside her scope and is audited as a read.

    A PUT or PATCH of a versioned record honours If-Match (412 when stale);
    `if_match_required` makes it compulsory (428 without). Answers that are
    one versioned record carry its ETag (ngo.access.conditional)."""

    if_match_required = False

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return access.scope(self.request.user, self.base_queryset(), Need.READ)

    def get_object(self):
        need = Need.READ if self.request.method in permissions.SAFE_METHODS else Need.WRITE
        obj = access.get_for_user(
            self.request.user,
            self.base_queryset(),
            self.kwargs[self.lookup_url_kwarg or self.lookup_field],
            need,
        )
        self.check_object_permissions(self.request, obj)
        # After the access check: someone outside her scope learns nothing more.
        wanted = conditional.require_if_match(self.request, required=self.if_match_required)
        conditional.check_if_match(obj, wanted)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        conditional.add_etag(response)
        return response


class IgnoreAcceptNegotiation(negotiation.BaseContentNegotiation):
    """For file downloads: the body is the file, whatever the client's Accept
    header says (errors still come back as JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def readable(user, model, pk):
    """A record a write refers to without changing it (her case, her client
    record): 404 outside the user's scope. Not audited as a read: the write that
    uses it is audited."""
    return access.get_for_user(user, model, pk, Need.READ, audit_read=False)


def on_field(error: DjangoValidationError, field: str) -> DjangoValidationError:
    """An error about the record as a whole (a model constraint's "__all__", or
    a plain message such as "this case is closed") named after the field the
    input sent that it is about, so that the 400 says which value to change."""
    if not hasattr(error, "error_dict"):
        return DjangoValidationError({field: error.messages})
    if NON_FIELD_ERRORS not in error.error_dict:
        return error
    errors = dict(error.error_dict)
    errors[field] = errors.pop(NON_FIELD_ERRORS) + errors.get(field, [])
    return DjangoValidationError(errors)


# --- Searches by name or phone: a POST body, never the address -------------------------

# Filters whose value may be a name or a phone number. Addresses end up in
# browser history, proxy and server logs: these come only in a POST body.
SEARCH_TERMS = ("q",)


def refuse_search_in_address(request, search_path: str) -> None:
    """400 if the address carries a search term, naming the POST to use."""
    if any(request.query_params.get(name) for name in SEARCH_TERMS):
        raise exceptions.ValidationError(
            {
                name: [
                    _(
                        "Do not put a name or phone number in the address. Search with "
                        'POST %(path)s and a JSON body such as {"q": "..."}.'
                    )
                    % {"path": search_path}
                ]
                for name in SEARCH_TERMS
                if request.query_params.get(name)
            }
        )


def search_filters(request, search_path: str):
    """The filters of a list that can be searched by name or phone: the
    address's on a GET (refused if it carries a search term); on a POST, the
    JSON body's, with the address's non-identifying ones (page, ordering)."""
    refuse_search_in_address(request, search_path)
    if request.method == "GET":
        return request.query_params
    body = request.data
    if not isinstance(body, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Send the search as a JSON object.")]}
        )
    filters = request.query_params.copy()
    for name, value in body.items():
        values = value if isinstance(value, list) else [value]
        filters.setlist(
            str(name),
            [
                json.dumps(v) if isinstance(v, bool) else ("" if v is None else str(v))
                for v in values
            ],
        )
    return filters
