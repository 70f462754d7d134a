"""Error reports to Sentry (or a compatible service), only when SENTRY_DSN is set.

A report says *where* the code failed, never *whom* it was about. Besides the
SDK's own switches (its data collection off: no user, cookies, headers, bodies,
query strings, SQL values, local variables or source lines; no sessions),
`scrub_event` rebuilds every event from an allowlist: the exception type, the
stack frames' file, function and line, the log message's template (never its
arguments), the level, the request id, and the envelope fields the service
needs (id, time, environment, release). Breadcrumbs keep their kind and, for
log lines, the template only.
"""

from __future__ import annotations

from typing import Any

from ngo.lib import request_context

# Fields of the event that carry no data about anyone.
_ENVELOPE_KEYS = ("event_id", "timestamp", "level", "platform", "logger", "environment", "release")
_FRAME_KEYS = ("filename", "module", "function", "lineno", "in_app")
_BREADCRUMB_KEYS = ("type", "category", "level", "timestamp")

NOTHING_COLLECTED = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "off"}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
    "frame_context_lines": 0,
}


def _frames(stacktrace: Any) -> list[dict]:
    if not isinstance(stacktrace, dict):
        return []
    return [
        {key: frame[key] for key in _FRAME_KEYS if key in frame}
        for frame in stacktrace.get("frames") or []
        if isinstance(frame, dict)
    ]


def _exception(value: dict) -> dict:
    clean = {key: value[key] for key in ("type", "module") if isinstance(value.get(key), str)}
    mechanism = value.get("mechanism")
    if isinstance(mechanism, dict):
        clean["mechanism"] = {
            key: mechanism[key] for key in ("type", "handled") if key in mechanism
        }
    clean["stacktrace"] = {"frames": _frames(value.get("stacktrace"))}
    return clean


def _template(logentry: Any) -> str | None:
    """The message as written in the code ("could not queue %s"), without its
    arguments; only when the SDK kept the template apart from them."""
    if not isinstance(logentry, dict) or not isinstance(logentry.get("message"), str):
        return None
    if "params" in logentry or "formatted" not in logentry:
        return logentry["message"]
    return None


def _breadcrumb(crumb: dict, template: str | None = None) -> dict:
    clean = {key: crumb[key] for key in _BREADCRUMB_KEYS if key in crumb}
    if template:
        clean["message"] = template
    return clean


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """`before_send`: the event rebuilt from the allowlist above."""
    clean: dict[str, Any] = {key: event[key] for key in _ENVELOPE_KEYS if key in event}
    exception = event.get("exception")
    if isinstance(exception, dict):
        clean["exception"] = {
            "values": [_exception(v) for v in exception.get("values") or [] if isinstance(v, dict)]
        }
    record = (hint or {}).get("log_record")
    template = record.msg if record is not None and isinstance(record.msg, str) else None
    template = template or _template(event.get("logentry"))
    if template:
        clean["logentry"] = {"message": template}
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    if isinstance(values, list):
        clean["breadcrumbs"] = {
            "values": [_breadcrumb(c, c.get("message")) for c in values if isinstance(c, dict)]
        }
    request_id = (event.get("tags") or {}).get("request_id")
    if request_context.is_safe_request_id(request_id):
        clean["tags"] = {"request_id": request_id}
    return clean


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    """`before_breadcrumb`: kind, level and time; a log line keeps its template,
    nothing else keeps a message (SQL, URLs, Redis keys)."""
    record = (hint or {}).get("log_record")
    template = record.msg if record is not None and isinstance(record.msg, str) else None
    return _breadcrumb(crumb, template)


def _tag_request_id(event: dict, hint: dict) -> dict:
    context = request_context.current()
    if context is not None:
        event.setdefault("tags", {})["request_id"] = context.request_id
    return event


def _before_send(event: dict, hint: dict) -> dict:
    return scrub_event(_tag_request_id(event, hint), hint)


def start(*, dsn: str, environment: str, release: str | None = None, transport=None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        transport=transport,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # What the integrations may collect at all (it supersedes send_default_pii,
        # which stays unset and so off): nothing about people or requests.
        data_collection=NOTHING_COLLECTED,
        include_local_variables=False,
        include_source_context=False,
        max_request_body_size="never",
        server_name="hamkke",
        auto_session_tracking=False,
        send_client_reports=False,
        traces_sample_rate=None,
        enable_logs=False,
        enable_metrics=False,
        before_send=_before_send,
        before_breadcrumb=scrub_breadcrumb,
    )
