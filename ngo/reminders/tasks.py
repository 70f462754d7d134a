"""Periodic reminder work (beat): `refresh` every 10 minutes, `dispatch` every
minute. Both are idempotent and safe to run twice at once; neither uses ETA or
countdown, so nothing waits in the broker longer than its visibility timeout."""

from celery import shared_task

from ngo.reminders import services


@shared_task(name="reminders.refresh", acks_late=True)
def refresh(source: str | None = None) -> dict:
    return services.refresh(source)


@shared_task(name="reminders.dispatch", acks_late=True)
def dispatch() -> dict:
    fired = services.fire_due_reminders()
    digests = services.queue_digests()
    sent = services.send_queued_emails()
    return {"fired": fired, "digests": digests, "emails": sent}
