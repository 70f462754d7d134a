from celery import shared_task

from counselling.hotline import services


@shared_task(name="hotline.purge_unlinked_calls")
def purge_unlinked_calls() -> int:
    """Delete the unlinked calls past their retention period (idempotent)."""
    return services.calls_purge_unlinked()
