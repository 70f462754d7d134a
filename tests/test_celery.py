"""Celery against the real broker: Redis in CI, a real worker process."""

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from ngo.lib.celery_helpers import enqueue_on_commit, worker_argv
from ngo.tasks import HEARTBEAT_KEY, health
from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_queue():
    """A real worker process on its own queue, on the configured broker: Redis when
    REDIS_URL is set (CI), otherwise the embedded filesystem broker."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    process = subprocess.Popen(
        worker_argv(queue),
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_redis_is_the_broker_in_ci():
    if not REQUIRE_SERVICES:
        pytest.skip("CI sets HAMKKE_REQUIRE_SERVICES and REDIS_URL")
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_a_real_task_goes_through_the_broker_to_a_real_worker_and_back(worker_queue):
    outcome = health.apply_async(queue=worker_queue).get(timeout=90)
    assert outcome["ok"] is True
    # The worker wrote its heartbeat into the shared cache (Redis in CI).
    assert cache.get(HEARTBEAT_KEY) == outcome["at"]


@pytest.mark.django_db(transaction=True)
def test_tasks_queued_in_a_transaction_are_sent_only_after_commit(worker_queue):
    cache.delete(HEARTBEAT_KEY)
    with transaction.atomic():
        enqueue_on_commit(health, queue=worker_queue)
        time.sleep(3)  # a worker is listening; nothing may reach it yet
        assert cache.get(HEARTBEAT_KEY) is None
    for _ in range(180):
        if cache.get(HEARTBEAT_KEY):
            break
        time.sleep(0.5)
    assert cache.get(HEARTBEAT_KEY) is not None


def test_the_health_task_itself_checks_database_and_cache(db):
    outcome = health.apply().get()
    assert outcome["ok"] is True
    assert cache.get(HEARTBEAT_KEY) == outcome["at"]


def test_embedded_broker_is_used_without_redis():
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set")
    assert settings.CELERY_BROKER_URL.startswith("filesystem://")
    assert Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]).is_dir()


def test_beat_schedules_the_heartbeat():
    assert settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]["task"] == "ngo.health"
    assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat")


def test_admin_dashboard_shows_when_the_worker_was_last_seen(personas):
    from tests.conftest import verified_client

    cache.delete(HEARTBEAT_KEY)
    client = verified_client(personas.admin)
    assert client.get("/accounts/dashboard/").context["worker_heartbeat"] is None
    outcome = health.apply().get()
    seen = client.get("/accounts/dashboard/").context["worker_heartbeat"]
    assert seen.isoformat() == outcome["at"]
