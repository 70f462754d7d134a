import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger("ngo.celery")


def enqueue_on_commit(task, *, args=(), kwargs=None, **options) -> None:
    """Queue `task` (a task, or its registered name) once the current transaction
    commits, never before, so the worker always finds the rows it is given by ID.

    Services name their tasks ("reminders.refresh") rather than import them:
    tasks import services, never the other way round.

    If the broker is unreachable the web request still succeeds, at once: one
    attempt, no retry, and no result to subscribe to (the result backend would
    retry its connection for ~20 s). The periodic scans of the worker pick the
    work up later.
    """
    options = {"retry": False, "ignore_result": True, **options}

    def _send():
        name = task if isinstance(task, str) else task.name
        try:
            found = current_app.tasks[name] if isinstance(task, str) else task
            found.apply_async(args=args, kwargs=kwargs or {}, **options)
        except Exception:  # broker down: the periodic scans catch up
            logger.warning("could not queue %s; is the broker down?", name)

    transaction.on_commit(_send)


def worker_argv(queue: str, name: str | None = None) -> list[str]:
    """The command line of one solo-pool worker on `queue` (benchmarks and tests
    start real workers with it)."""
    import sys

    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "ngo",
        "--quiet",  # no start-up banner
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "-n",
        name or f"{queue}@%h",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
    ]
