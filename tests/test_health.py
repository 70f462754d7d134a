"""The health endpoints: real database, cache and broker (Redis in CI), anonymous,
statuses only, and failing fast when Redis does not answer."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from ngo.audit.models import AuditEvent
from ngo.tasks import health as heartbeat_task
from tests.conftest import REQUIRE_SERVICES

pytestmark = pytest.mark.django_db

EVERY_COMPONENT = {"database", "cache", "broker", "private_files", "worker"}
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache and the broker pointed at a closed port, with the settings' timeouts."""
    from celery import current_app

    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NOBODY_LISTENS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    monkeypatch.setitem(current_app.conf, "broker_url", NOBODY_LISTENS)
    monkeypatch.setitem(
        current_app.conf,
        "broker_transport_options",
        {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2},
    )
    monkeypatch.setattr(current_app, "_pool", None)


def test_with_the_real_services_every_component_is_ok():
    if REQUIRE_SERVICES:
        from django.conf import settings

        assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    heartbeat_task.apply().get()  # what a worker does every 5 minutes
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(EVERY_COMPONENT, "ok")}
    assert "no-cache" in response["Cache-Control"]


def test_with_redis_unreachable_it_reports_failing_within_seconds(redis_down):
    started = time.monotonic()
    response = Client().get("/health/")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {
            "database": "ok",
            "cache": "failing",
            "broker": "failing",
            "private_files": "ok",
            "worker": "failing",  # its heartbeat is kept in the cache
        },
    }
    assert elapsed < 5
    # The load balancer's endpoint asks only for what a web process needs itself.
    web = Client().get("/health/web/")
    assert web.status_code == 200
    assert web.json() == {"status": "ok", "checks": {"database": "ok", "private_files": "ok"}}


def test_a_failing_answer_names_no_host_port_or_error(redis_down):
    body = Client().get("/health/").content.decode()
    for revealing in ("127.0.0.1", ":1", "redis", "Connection", "refused", "Error", "Traceback"):
        assert revealing not in body


def test_a_worker_silent_for_longer_than_allowed_is_failing(settings):
    settings.HEALTH_WORKER_SILENCE_MINUTES = 15
    heartbeat_task.apply().get()
    with time_machine.travel(timezone.now() + timedelta(minutes=14), tick=False):
        assert Client().get("/health/").json()["checks"]["worker"] == "ok"
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "failing"


def test_a_worker_never_seen_is_failing():
    from django.core.cache import cache

    from ngo.tasks import HEARTBEAT_KEY

    cache.delete(HEARTBEAT_KEY)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "failing"
    assert response.json()["checks"]["database"] == "ok"


def test_an_unusable_private_files_folder_is_failing(settings, tmp_path):
    not_a_folder = tmp_path / "private"
    not_a_folder.write_text("a file where the folder should be")
    settings.PRIVATE_MEDIA_ROOT = not_a_folder
    for url in ("/health/", "/health/web/"):
        response = Client().get(url)
        assert response.status_code == 503
        assert response.json()["checks"]["private_files"] == "failing"


def test_the_probe_leaves_no_file_behind(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert Client().get("/health/web/").status_code == 200
    assert [p for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()] == []


def test_a_signed_in_person_before_her_second_factor_gets_the_statuses_too(personas):
    client = Client()
    client.force_login(personas.counsellor_a)  # no second factor yet
    response = client.get("/health/web/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_health_request_writes_no_audit_row_and_no_session():
    from django.contrib.sessions.models import Session

    before = AuditEvent.objects.count()
    response = Client().get("/health/web/")
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before
    assert Session.objects.count() == 0
    assert "sessionid" not in response.cookies


def test_head_answers_like_get():
    response = Client().head("/health/web/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This address answers GET and HEAD requests only."),
        ("ko", "이 주소는 GET과 HEAD 요청에만 응답합니다."),
    ],
)
def test_other_methods_are_refused_with_a_message_and_no_csrf_page(language, message):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/health/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"error": message}
