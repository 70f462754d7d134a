"""Background generation of shadow-report datasets.

Tasks take IDs and delegate to dataset_services, which claims the work with a
conditional UPDATE: running a task twice (a redelivery after a worker crash,
acks_late) does no harm. Imported from PolicyMonitorConfig.ready() so that the
worker registers them.
"""

from celery import shared_task

from policy_monitor import dataset_services


@shared_task(name="policy_monitor.generate_dataset", acks_late=True)
def generate_dataset(dataset_id: int) -> str:
    return dataset_services.dataset_generate(dataset_id=dataset_id)


@shared_task(name="policy_monitor.generate_waiting_datasets", acks_late=True)
def generate_waiting_datasets() -> int:
    """Catch up on generations whose message never reached a worker."""
    done = 0
    for dataset_id in dataset_services.datasets_waiting():
        if dataset_services.dataset_generate(dataset_id=dataset_id) == "generated":
            done += 1
    return done
