"""Log lines: JSON or plain, the request id from the header to the response, the
request's line and the worker's lines, and no personal data on any of them."""

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from ngo.lib.celery_helpers import worker_argv
from ngo.lib.log import WITHHELD, exception_text
from ngo.lib.request_context import RequestContextMiddleware
from ngo.tasks import health as heartbeat_task
from tests.conftest import verified_client
from tests.log_capture import captured_logs

ROOT = Path(__file__).resolve().parent.parent
CLIENT_NAME = "Nguyen Thi Mai"


def _through_the_middleware(view, request_id: str = ""):
    """A request through the real request-id middleware to `view`."""
    headers = {"HTTP_X_REQUEST_ID": request_id} if request_id else {}
    request = RequestFactory().get("/somewhere/", **headers)
    return RequestContextMiddleware(view)(request)


@pytest.mark.django_db
def test_a_safe_request_id_comes_back_and_is_on_the_request_line(personas):
    client = verified_client(personas.counsellor_a)
    with captured_logs("ngo.request") as logs:
        response = client.get(
            "/api/v1/clients/",
            {"nationality": "VN", "page_size": "7"},
            HTTP_X_REQUEST_ID="lb-7f3a9c21-0001",
        )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"
    (line,) = logs.lines()
    assert line["request_id"] == "lb-7f3a9c21-0001"
    assert line["logger"] == "ngo.request"
    assert line["method"] == "GET" and line["status"] == 200
    assert "clients" in line["route"]
    assert isinstance(line["duration_ms"], float)
    # The query string (filters, and on other addresses search words) is never
    # on a log line.
    assert "VN" not in logs.text() and "page_size" not in logs.text()
    assert "[lb-7f3a9c21-0001]" in logs.plain.getvalue()


@pytest.mark.parametrize(
    "supplied", ["short", "has spaces in it", "x" * 65, "new\nline-123456", "<script>1234</script>"]
)
def test_an_unsafe_request_id_is_replaced_by_a_new_one(db, supplied):
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID=supplied)
    assert response["X-Request-ID"] != supplied
    assert len(response["X-Request-ID"]) == 32
    int(response["X-Request-ID"], 16)


def test_without_a_header_each_request_gets_its_own_id(db):
    first = Client().get("/accounts/login/")["X-Request-ID"]
    second = Client().get("/accounts/login/")["X-Request-ID"]
    assert first != second


def test_a_logged_exception_keeps_its_type_and_frames_but_not_its_message():
    def place_in_shelter():
        client_name = CLIENT_NAME  # a local variable
        raise ValueError(f"no bed for {client_name}")

    logger = logging.getLogger("ngo.test")
    with captured_logs("ngo.test") as logs:
        try:
            try:
                place_in_shelter()
            except ValueError as exc:
                raise RuntimeError(f"intake failed for {CLIENT_NAME}") from exc
        except RuntimeError:
            logger.exception("intake failed")
    assert CLIENT_NAME not in logs.text()
    (line,) = logs.lines()
    assert line["message"] == "intake failed"
    assert "ValueError (message withheld)" in line["exception"]
    assert "RuntimeError (message withheld)" in line["exception"]
    assert "in place_in_shelter" in line["exception"]
    assert "test_logging.py" in line["exception"]
    assert "ValueError (message withheld)" in logs.plain.getvalue()


def test_exception_text_names_the_module_of_a_non_builtin_exception():
    from django.core.exceptions import PermissionDenied

    try:
        raise PermissionDenied(CLIENT_NAME)
    except PermissionDenied:
        text = exception_text(sys.exc_info())
    assert text.endswith("django.core.exceptions.PermissionDenied (message withheld)")
    assert CLIENT_NAME not in text


def test_celery_task_lines_lose_arguments_return_values_and_exception_texts():
    logger = logging.getLogger("celery.app.trace")
    context = {
        "id": "abc",
        "name": "counselling.some_task",
        "args": f"('{CLIENT_NAME}',)",
        "kwargs": "{}",
        "return_value": f"{{'name': '{CLIENT_NAME}'}}",
        "runtime": 0.1,
    }
    with captured_logs("celery.app.trace") as logs:
        logger.info(
            "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
            context,
            extra={"data": context},
        )
        try:
            raise KeyError(CLIENT_NAME)
        except KeyError:
            failure = {**context, "exc": repr(KeyError(CLIENT_NAME)), "description": "raised"}
            logger.error(
                "Task %(name)s[%(id)s] %(description)s: %(exc)s",
                failure,
                exc_info=True,
                extra={"data": failure},
            )
    assert CLIENT_NAME not in logs.text()
    success, failed = logs.lines()
    assert success["message"].endswith(f"succeeded in 0.1s: {WITHHELD}")
    assert failed["message"] == "Task counselling.some_task[abc] raised: KeyError"
    assert "data" not in success


def test_a_dict_or_unknown_extra_fields_do_not_reach_the_json_line():
    logger = logging.getLogger("ngo.test")
    with captured_logs("ngo.test") as logs:
        logger.info("looked up", extra={"client_name": CLIENT_NAME, "status": 200})
        logger.info({"phone": "010-5555-0101", "message": "a dict message"})
    first, second = logs.lines()
    assert first["status"] == 200 and "client_name" not in first
    assert "phone" not in second
    assert CLIENT_NAME not in logs.text() and "010-5555" not in logs.json.getvalue()


def test_an_eager_task_logs_under_the_request_id_of_its_caller(db):
    def view(request):
        heartbeat_task.apply()
        return HttpResponse()

    with captured_logs("ngo.task") as logs:
        response = _through_the_middleware(view, "req-eager-0001")
    assert response["X-Request-ID"] == "req-eager-0001"
    (line,) = logs.lines()
    assert line["task"] == "ngo.health" and line["state"] == "SUCCESS"
    assert line["request_id"] == "req-eager-0001"


@pytest.fixture
def logging_worker(tmp_path):
    """A real worker process on its own queue, logging JSON into a file."""
    queue = f"test-logs-{uuid.uuid4().hex[:10]}"
    log_file = tmp_path / "worker.log"
    env = {**os.environ, "HAMKKE_LOG_FORMAT": "json"}
    argv = [arg.replace("--loglevel=WARNING", "--loglevel=INFO") for arg in worker_argv(queue)]
    assert "--loglevel=INFO" in argv
    with log_file.open("w") as sink:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        yield queue, log_file
    finally:
        process.terminate()
        process.wait(timeout=30)


def _worker_lines(log_file: Path) -> list[dict]:
    lines = []
    for raw in log_file.read_text().splitlines():
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


def test_a_task_queued_by_a_request_logs_under_its_request_id_in_a_real_worker(
    logging_worker,
):
    queue, log_file = logging_worker
    queued = {}

    def view(request):
        queued["result"] = heartbeat_task.apply_async(queue=queue)
        return HttpResponse()

    _through_the_middleware(view, "req-worker-0001")
    result = queued["result"]
    outcome = result.get(timeout=120)
    assert outcome["ok"] is True
    for _ in range(100):  # the task line is written just after the result
        task_lines = [line for line in _worker_lines(log_file) if line.get("task_id") == result.id]
        if task_lines:
            break
        time.sleep(0.1)
    (task_line,) = task_lines
    assert task_line["logger"] == "ngo.task"
    assert task_line["task"] == "ngo.health"
    assert task_line["state"] == "SUCCESS"
    assert task_line["request_id"] == "req-worker-0001"
    # Celery's own line about the task carries the id too, and not the return value.
    (trace_line,) = [
        line
        for line in _worker_lines(log_file)
        if line["logger"] == "celery.app.trace" and result.id in line["message"]
    ]
    assert trace_line["request_id"] == "req-worker-0001"
    assert trace_line["message"].endswith(WITHHELD)
    assert outcome["at"] not in log_file.read_text()


def _manage_shell(tmp_path, code: str, **env) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "HAMKKE_LOG_FORMAT",
            "HAMKKE_ENV",
            "PYTEST_XDIST_WORKER",
            "LOG_LEVEL",
            # The database roles of the suite's own server, not of this process.
            "DATABASE_OWNER_URL",
            "HAMKKE_RUNTIME_DB_ROLE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**base, "HAMKKE_VAR_DIR": str(tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


LOG_TWO_LINES = (
    "import logging; log = logging.getLogger('ngo.probe'); "
    "log.warning('first %s', 1); log.error('second')"
)


def test_with_json_format_every_line_is_one_json_object(tmp_path):
    result = _manage_shell(tmp_path, LOG_TWO_LINES, HAMKKE_LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert [(line["level"], line["message"]) for line in lines] == [
        ("WARNING", "first 1"),
        ("ERROR", "second"),
    ]
    assert {"time", "logger", "request_id"} <= set(lines[0])
    assert lines[0]["request_id"] == "-"


def test_development_logs_plain_lines_by_default(tmp_path):
    result = _manage_shell(tmp_path, LOG_TWO_LINES)
    assert result.returncode == 0, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.endswith("WARNING [-] ngo.probe: first 1")


def test_production_logs_json_by_default(tmp_path):
    from tests.test_settings import production_env

    code = "from django.conf import settings; print(settings.LOG_FORMAT)"
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = _manage_shell(tmp_path, code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "json"


def test_an_unknown_log_format_stops_the_start_with_a_clear_message(tmp_path):
    result = _manage_shell(tmp_path, "pass", HAMKKE_LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "HAMKKE_LOG_FORMAT must be one of json, plain (got 'xml')" in result.stderr
    assert "Traceback" not in result.stderr
