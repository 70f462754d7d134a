"""Background work on her copies. Tasks take IDs and delegate to the services,
which claim the work with a conditional UPDATE: running one twice does no harm."""

from celery import shared_task

from counselling.rights import services


@shared_task(name="rights.build_export", acks_late=True)
def build_export(export_id: int) -> str:
    return services.export_build(export_id=export_id)


@shared_task(name="rights.build_waiting", acks_late=True)
def build_waiting_exports() -> int:
    """Catch up on approved exports whose message never reached a worker."""
    return sum(
        services.export_build(export_id=export_id) == "built"
        for export_id in services.exports_waiting()
    )


@shared_task(name="rights.delete_expired", acks_late=True)
def delete_expired_exports() -> int:
    return services.exports_delete_expired()
