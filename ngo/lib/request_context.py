"""Per-request context (request id, client IP) for audit rows and log lines."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


_current: ContextVar[RequestContext | None] = ContextVar("hamkke_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


def client_ip(request) -> str | None:
    """The client address; X-Forwarded-For only through the configured proxies."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def incoming_request_id(request) -> str:
    supplied = request.META.get("HTTP_X_REQUEST_ID", "")
    if _REQUEST_ID_RE.match(supplied):
        return supplied
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = RequestContext(request_id=incoming_request_id(request), ip=client_ip(request))
        request.request_id = context.request_id
        token = _current.set(context)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = context.request_id
        return response


class NoStoreMiddleware:
    """Nothing shown to a signed-in person may be kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class RequestIdLogFilter(logging.Filter):
    """Adds the request id to every record and drops the request object itself,
    so that no handler can print headers, cookies or form data."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current()
        record.request_id = context.request_id if context else "-"
        if hasattr(record, "request"):
            record.request = None
        return True
