"""Error reports (Sentry) carry the exception type and the code's locations only:
a client's name in a local variable, in the exception message or in an earlier
log line reaches neither the report nor the log. The transport is the outside
world: a capturing one stands in for it."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from django.test import Client
from django.urls import path
from sentry_sdk.transport import Transport

from ngo.lib import error_reporting
from tests.log_capture import captured_logs

ROOT = Path(__file__).resolve().parent.parent
CLIENT_NAME = "Tran Thi Hoa"
PHONE = "010-5555-0199"

logger = logging.getLogger("counselling.shelters")


def place_in_shelter(request):
    client_name = CLIENT_NAME  # local variables the SDK could have sent
    phone = PHONE
    logger.info("looking for a bed for client %s", 4711)  # becomes a breadcrumb
    raise ValueError(f"no bed for {client_name}, call {phone}")


urlpatterns = [path("shelter/place/", place_in_shelter)]
handler500 = "ngo.lib.errors.server_error"


class CapturingTransport(Transport):
    def __init__(self):
        super().__init__()
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def payloads(self) -> list[bytes]:
        return [envelope.serialize() for envelope in self.envelopes]

    def events(self) -> list[dict]:
        return [e.get_event() for e in self.envelopes if e.get_event() is not None]


@pytest.fixture
def reports():
    transport = CapturingTransport()
    error_reporting.start(
        dsn="https://public@errors.example.invalid/1", environment="test", transport=transport
    )
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # no DSN: reporting off again for the other tests


@pytest.fixture
def failing_view(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


def test_a_view_error_reaches_report_and_log_without_the_clients_name(db, reports, failing_view):
    with captured_logs("", "django.request") as logs:
        response = Client(raise_request_exception=False).get(
            "/shelter/place/", HTTP_X_REQUEST_ID="req-sentry-0001"
        )
    assert response.status_code == 500

    # The log: the error line with its type and frames, nothing of the client.
    text = logs.text()
    assert "ValueError (message withheld)" in text
    assert "in place_in_shelter" in text
    assert CLIENT_NAME not in text and PHONE not in text
    error_lines = [line for line in logs.lines() if line["level"] == "ERROR"]
    assert error_lines and error_lines[0]["request_id"] == "req-sentry-0001"

    # The report: sent, with the type and the frames; nothing of the client.
    payloads = reports.payloads()
    assert payloads, "no report was sent"
    for payload in payloads:
        assert CLIENT_NAME.encode() not in payload
        assert PHONE.encode() not in payload
        assert b"Tran" not in payload
    events = reports.events()
    (exception_event,) = [event for event in events if "exception" in event]
    (value,) = exception_event["exception"]["values"]
    assert value["type"] == "ValueError"
    assert "value" not in value
    frame = value["stacktrace"]["frames"][-1]
    assert frame["function"] == "place_in_shelter"
    assert frame["filename"].endswith("test_error_reporting.py")
    assert isinstance(frame["lineno"], int)
    assert set(frame) <= {"filename", "module", "function", "lineno", "in_app"}
    for event in events:
        assert set(event) <= {
            "event_id",
            "timestamp",
            "level",
            "platform",
            "logger",
            "environment",
            "release",
            "exception",
            "logentry",
            "breadcrumbs",
            "tags",
        }
        assert event.get("tags", {}).get("request_id") == "req-sentry-0001"
    # The log line before the error went as a breadcrumb: its template only.
    crumbs = exception_event["breadcrumbs"]["values"]
    assert {"type": "log", "category": "counselling.shelters", "level": "info"}.items() <= (
        next(c for c in crumbs if c.get("category") == "counselling.shelters").items()
    )
    assert any(c.get("message") == "looking for a bed for client %s" for c in crumbs)
    assert all(b"4711" not in payload for payload in payloads)  # log arguments stay out


def test_the_scrubber_keeps_only_the_allowlist():
    event = {
        "event_id": "0" * 32,
        "level": "error",
        "platform": "python",
        "server_name": "web-1.internal",
        "request": {"url": "https://h/counselling/?q=Tran", "data": {"name": CLIENT_NAME}},
        "user": {"id": 7, "email": "counsellor@example.org"},
        "extra": {"sys.argv": ["manage.py", CLIENT_NAME]},
        "contexts": {"runtime": {"name": "CPython"}},
        "modules": {"django": "5.2"},
        "logentry": {"message": "no bed for %s", "params": [CLIENT_NAME], "formatted": "x"},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"no bed for {CLIENT_NAME}",
                    "mechanism": {"type": "django", "handled": False, "data": {"x": 1}},
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "counselling/services.py",
                                "function": "place",
                                "lineno": 10,
                                "vars": {"name": CLIENT_NAME},
                                "context_line": f"name = '{CLIENT_NAME}'",
                                "pre_context": ["x"],
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {
            "values": [{"type": "query", "category": "query", "data": {"p": CLIENT_NAME}}]
        },
        "tags": {"request_id": "req-0001-abcd", "url": "/x?q=Tran"},
    }
    clean = error_reporting.scrub_event(event, {})
    assert clean == {
        "event_id": "0" * 32,
        "level": "error",
        "platform": "python",
        "logentry": {"message": "no bed for %s"},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "mechanism": {"type": "django", "handled": False},
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "counselling/services.py",
                                "function": "place",
                                "lineno": 10,
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {"values": [{"type": "query", "category": "query"}]},
        "tags": {"request_id": "req-0001-abcd"},
    }


def test_a_breadcrumb_keeps_its_kind_and_no_message_or_data():
    crumb = {
        "type": "http",
        "category": "httplib",
        "level": "info",
        "message": f"GET /lookup?name={CLIENT_NAME}",
        "data": {"url": CLIENT_NAME},
    }
    assert error_reporting.scrub_breadcrumb(crumb, {}) == {
        "type": "http",
        "category": "httplib",
        "level": "info",
    }


def _reporting_active(tmp_path, **env) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"SENTRY_DSN", "PYTEST_XDIST_WORKER"}}
    code = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base, "HAMKKE_VAR_DIR": str(tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_reporting_is_off_unless_a_dsn_is_set(tmp_path):
    assert _reporting_active(tmp_path) == "False"
    dsn = "https://public@errors.example.invalid/1"
    assert _reporting_active(tmp_path, SENTRY_DSN=dsn) == "True"


def test_the_sdk_is_started_with_personal_data_off(reports):
    client = sentry_sdk.get_client()
    options = client.options
    assert client.should_send_default_pii() is False
    collected = options["data_collection"]
    assert collected["user_info"] is False
    assert collected["http_bodies"] == []
    assert collected["stack_frame_variables"] is False
    assert collected["database_query_data"] is False
    assert {collected["cookies"]["mode"], collected["url_query_params"]["mode"]} == {"off"}
    assert options["include_local_variables"] is False
    assert options["include_source_context"] is False
    assert options["max_request_body_size"] == "never"
    assert json.dumps(options["traces_sample_rate"]) == "null"
