"""Project-wide Celery tasks."""

from celery import shared_task
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_KEY = "worker-heartbeat"


@shared_task(name="ngo.health")
def health() -> dict:
    """Proves that a worker runs, reaches the database and the cache.

    Idempotent: it only overwrites the heartbeat timestamp.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        db_ok = cursor.fetchone()[0] == 1
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return {"ok": db_ok, "at": now}
