"""Periodic counselling work. Tasks are idempotent: a conditional UPDATE claims
the rows, so two workers running the same task at once do no harm."""

from celery import shared_task

from counselling import shelter_services


@shared_task(name="counselling.release_expired_bed_holds")
def release_expired_bed_holds() -> int:
    return shelter_services.bed_holds_release_expired()
