from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue a task once the current transaction commits, never before.

    If the broker is unreachable the web request still succeeds; the periodic
    scans of the worker pick the work up later.
    """

    def _send():
        try:
            task.delay(*args, **kwargs)
        except Exception:  # broker down: the periodic scans catch up
            import logging

            logging.getLogger("ngo.celery").warning("could not queue %s; broker down?", task.name)

    transaction.on_commit(_send)
