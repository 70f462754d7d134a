"""Per-request context (request id, client IP) for audit rows and log lines.

The request id comes from a safe X-Request-ID header or is made here; it goes
back in the response header, on the request's log line, and into every Celery
task the request queues (a message header), so that the worker's lines and
audit rows carry it too.
"""

from __future__ import annotations

import logging
import re
import time
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

TASK_HEADER = "hamkke_request_id"
logger = logging.getLogger("ngo.request")
task_logger = logging.getLogger("ngo.task")


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


def is_safe_request_id(value) -> bool:
    return isinstance(value, str) and bool(_REQUEST_ID_RE.match(value))


def incoming_request_id(request) -> str:
    supplied = request.META.get("HTTP_X_REQUEST_ID", "")
    if is_safe_request_id(supplied):
        return supplied
    return uuid.uuid4().hex


def _log_request(request, response, started: float) -> None:
    """One line per request: method, URL pattern (never the path or the query
    string, which can carry a name), status, duration."""
    match = getattr(request, "resolver_match", None)
    route = f"/{match.route}" if match is not None else "-"
    status = response.status_code
    duration_ms = round((time.monotonic() - started) * 1000, 1)
    quiet = route.startswith("/health/") and status == 200  # monitors ask every few seconds
    level = logging.DEBUG if quiet else logging.INFO
    logger.log(
        level,
        "%s %s %s %sms",
        request.method,
        route,
        status,
        duration_ms,
        extra={
            "method": request.method,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
        },
    )


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = RequestContext(request_id=incoming_request_id(request), ip=client_ip(request))
        request.request_id = context.request_id
        token = _current.set(context)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = context.request_id
            _log_request(request, response, started)
        finally:
            _current.reset(token)
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
        request = getattr(record, "request", None)
        if context is not None:
            record.request_id = context.request_id
        else:  # Django logs an error response after the middleware has returned
            record.request_id = getattr(request, "request_id", None) or "-"
        if request is not None:
            record.request = None
        return True


# --- Celery: the request id travels with the task ---------------------------------

_task_tokens: dict[str, tuple[object, float]] = {}


def _on_task_publish(headers=None, **_kwargs) -> None:
    context = current()
    if context is not None and headers is not None:
        headers.setdefault(TASK_HEADER, context.request_id)


def _on_task_start(task_id=None, task=None, **_kwargs) -> None:
    """The worker takes the id of the request that queued the task; a task run
    eagerly keeps the id of its caller; one the beat sent goes under its task id."""
    supplied = getattr(task.request, TASK_HEADER, None) if task is not None else None
    caller = current()
    if is_safe_request_id(supplied):
        request_id = supplied
    elif caller is not None:
        request_id = caller.request_id
    else:
        request_id = str(task_id)
    ip = caller.ip if caller is not None and caller.request_id == request_id else None
    token = _current.set(RequestContext(request_id=request_id, ip=ip))
    _task_tokens[str(task_id)] = (token, time.monotonic())


def _on_task_end(task_id=None, task=None, state=None, **_kwargs) -> None:
    token, started = _task_tokens.pop(str(task_id), (None, time.monotonic()))
    duration_ms = round((time.monotonic() - started) * 1000, 1)
    name = getattr(task, "name", "-")
    task_logger.info(
        "task %s %s %sms",
        name,
        state,
        duration_ms,
        extra={"task": name, "task_id": str(task_id), "state": state, "duration_ms": duration_ms},
    )
    if token is not None:
        _current.reset(token)


def carry_into_tasks() -> None:
    """Connect the Celery signals (called once, by ngo/celery.py)."""
    from celery import signals

    signals.before_task_publish.connect(_on_task_publish, weak=False)
    signals.task_prerun.connect(_on_task_start, weak=False)
    signals.task_postrun.connect(_on_task_end, weak=False)
