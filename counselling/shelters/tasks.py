"""Periodic shelter work. Tasks are idempotent: a conditional UPDATE claims the
rows, so two workers running the same task at once do no harm."""

from celery import shared_task

from counselling.shelters import services


# The name is the one the beat schedule (and its database copy) has always used.
@shared_task(name="counselling.release_expired_bed_holds")
def release_expired_bed_holds() -> int:
    return services.bed_holds_release_expired()
