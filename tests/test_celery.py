"""Celery against the real broker: Redis in CI, a real worker process."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from ngo.tasks import HEARTBEAT_KEY, health
from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL and not REQUIRE_SERVICES,
    reason="needs REDIS_URL (CI starts a real Redis)",
)


@needs_redis
def test_a_real_task_goes_through_redis_to_a_real_worker_and_back():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ngo",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        result = health.apply_async(queue=queue)
        outcome = result.get(timeout=90)
        assert outcome["ok"] is True
        # The worker wrote its heartbeat into the shared (Redis) cache.
        assert cache.get(HEARTBEAT_KEY) == outcome["at"]
    finally:
        worker.terminate()
        worker.wait(timeout=30)


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
