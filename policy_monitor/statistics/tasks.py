"""Background generation of shadow-report datasets.

Tasks take IDs and delegate to services, which claims the work with a
conditional UPDATE: running a task twice (a redelivery after a worker crash,
acks_late) does no harm. Imported from StatisticsConfig.ready() so that the
worker registers them.

The task names date from when datasets were part of policy_monitor: messages
already queued and the beat schedule (ngo/settings.py) still name them so.
"""

from celery import shared_task

from policy_monitor.statistics import services


@shared_task(name="policy_monitor.generate_dataset", acks_late=True)
def generate_dataset(dataset_id: int) -> str:
    return services.dataset_generate(dataset_id=dataset_id)


@shared_task(name="policy_monitor.generate_waiting_datasets", acks_late=True)
def generate_waiting_datasets() -> int:
    """Catch up on generations whose message never reached a worker."""
    done = 0
    for dataset_id in services.datasets_waiting():
        if services.dataset_generate(dataset_id=dataset_id) == "generated":
            done += 1
    return done
