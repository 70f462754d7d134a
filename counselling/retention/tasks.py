"""The daily proposal of what fell due and the carrying out of approved
batches. Tasks take ids and delegate to services; both are safe to run twice."""

from celery import shared_task

from counselling.retention import services


@shared_task(name="retention.propose_due", acks_late=True)
def propose_due() -> list[int]:
    """Every branch's batch of what fell due today; then any approved batch
    whose message never reached a worker."""
    proposed = services.propose_everywhere()
    for batch_id in services.batches_waiting():
        services.batch_execute(batch_id=batch_id)
    return proposed


@shared_task(name="retention.execute_batch", acks_late=True)
def execute_batch(batch_id: int) -> str:
    return services.batch_execute(batch_id=batch_id)
