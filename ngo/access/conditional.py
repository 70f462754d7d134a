"""Conditional writes in the API: the ETag is a record's version (quoted), a
PUT or PATCH sends it back in If-Match, and a stale one is refused with 412
before anything is written (ngo.lib.versions does the compare-and-set).

Detail answers of a versioned record carry `ETag: "<version>"` (the `version`
of the body). A PUT or PATCH with an If-Match that names another version gets
412 with the current ETag; cases and clients, whose narrative two counsellors
may edit at once, refuse a PUT or PATCH without If-Match with 428. The schema
(AutoSchema below) says so for every operation that answers a versioned record.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from ngo.lib.versions import StaleVersion, is_versioned

CONDITIONAL_METHODS = ("PUT", "PATCH")
ANY = "*"
_ENTITY_TAG = re.compile(r'\s*(?:W/)?"(\d{1,9})"\s*')


def etag_of(version: int) -> str:
    return f'"{version}"'


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"

    def __init__(self, current: int | None):
        self.current = current
        super().__init__(
            _(
                "This record was saved by someone else after the version in your If-Match "
                "header (it is now version %(current)s). Nothing was saved: GET it again, "
                "apply your change to it and send it with the new ETag."
            )
            % {"current": current}
        )


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "if_match_required"
    default_detail = ""

    def __init__(self):
        super().__init__(
            _(
                "Send the record's ETag in an If-Match header (GET it first), so that a "
                "change saved by someone else meanwhile is not overwritten."
            )
        )


def parse_if_match(header: str | None) -> frozenset[int] | str | None:
    """The versions an If-Match header names; ANY for "*"; None without one.
    A header that is not a list of quoted versions is a 400."""
    if header is None:
        return None
    if header.strip() == ANY:
        return ANY
    versions = set()
    for part in header.split(","):
        match = _ENTITY_TAG.fullmatch(part)
        if match is None:
            raise exceptions.ParseError(
                _('The If-Match header must be an ETag of this API, such as "3", or *.')
            )
        versions.add(int(match.group(1)))
    return frozenset(versions)


def require_if_match(request, *, required: bool) -> frozenset[int] | str | None:
    """The If-Match of a PUT or PATCH (428 if `required` and absent); None for
    other methods."""
    if request.method not in CONDITIONAL_METHODS:
        return None
    wanted = parse_if_match(request.headers.get("If-Match"))
    if wanted is None and required:
        raise PreconditionRequired
    return wanted


def check_if_match(obj, wanted) -> None:
    """412 when the record is versioned and not at a version If-Match names.
    The service then compares and sets the version the record was read at, so
    that a save meanwhile is refused as well."""
    if wanted in (None, ANY) or not is_versioned(obj):
        return
    if obj.version not in wanted:
        raise PreconditionFailed(obj.version)


def honour_if_match(request, obj) -> None:
    """For a POST action that changes one record (accept, approve...): 412
    when its If-Match names another version; without one, not compared."""
    check_if_match(obj, parse_if_match(request.headers.get("If-Match")))


def stale_to_api(exc: StaleVersion) -> PreconditionFailed:
    return PreconditionFailed(exc.current)


def add_etag(response) -> None:
    """`ETag` on a successful answer whose body is one versioned record, and on
    a 412 (the version saved meanwhile)."""
    current = getattr(response, "current_version", None)
    if current is None and 200 <= response.status_code < 300:
        data = getattr(response, "data", None)
        if isinstance(data, dict) and isinstance(data.get("version"), int):
            current = data["version"]
    if current is not None:
        response["ETag"] = etag_of(current)
