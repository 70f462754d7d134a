"""How long one worker takes to deliver N due reminders, in a throwaway database.

    python manage.py bench_reminders [--items 10000] [--recipients 50]

Creates N due items with one reminder each, starts one real Celery worker (solo
pool) on the configured broker, sends it one dispatch and waits. Every reminder
becomes an in-app notification and an e-mail handed to an in-memory mail backend.
Prints the time and the counts; fails if a count is not N.
"""

import os
import subprocess
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_test_environment, teardown_test_environment
from django.utils import timezone

from ngo.lib.celery_helpers import worker_argv


def _database_url(settings_dict) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}"
        f"@{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )


class Command(BaseCommand):
    help = "Measure delivery of N due reminders by one real worker."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=10_000)
        parser.add_argument("--recipients", type=int, default=50)

    def handle(self, *args, items, recipients, **options):
        if items < 1 or recipients < 1:
            raise CommandError("--items and --recipients must be at least 1.")
        setup_test_environment()
        if connection.vendor == "sqlite":
            # The worker is another process: it needs a database file, not memory.
            connection.settings_dict["TEST"]["NAME"] = str(
                Path(settings.VAR_DIR) / "bench-reminders.sqlite3"
            )
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run(items, recipients)
        finally:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, count, recipient_count):
        from ngo.accounts.models import User
        from ngo.accounts.roles import Role
        from ngo.reminders.models import (
            DatedItem,
            EmailStatus,
            Notification,
            OutgoingEmail,
            Reminder,
            ReminderStatus,
        )
        from ngo.reminders.tasks import dispatch

        self.stdout.write(
            f"database: {connection.vendor}, broker: {settings.CELERY_BROKER_URL.split(':')[0]}"
        )
        people = User.objects.bulk_create(
            [
                User(
                    email=f"bench-{n}@example.invalid",
                    full_name=f"Bench {n}",
                    role=Role.COUNSELLOR,
                    password="!",  # noqa: S106 - an unusable password
                )
                for n in range(recipient_count)
            ]
        )
        now = timezone.now()
        made = DatedItem.objects.bulk_create(
            [
                DatedItem(
                    source="counselling.case_event",
                    object_id=n + 1,
                    due_at=now,
                    due_is_date=False,
                    reference=f"BENCH-{n:05d}",
                    url="/counselling/",
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
        Reminder.objects.bulk_create(
            [
                Reminder(
                    item=item,
                    due_at=now,
                    days_before=0,
                    recipient=people[n % recipient_count],
                    remind_at=now,
                )
                for n, item in enumerate(made)
            ],
            batch_size=2000,
        )
        self.stdout.write(f"due reminders: {Reminder.objects.filter(status='pending').count()}")

        queue = f"bench-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(connection.settings_dict),
            "EMAIL_URL": "memorymail://",
            "HAMKKE_DEMO": "",
        }
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            worker_argv(queue),
            cwd=settings.BASE_DIR,
            env=env,
        )
        try:
            from ngo.celery import app

            for _ in range(240):
                if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
                    break
            else:
                raise CommandError("the worker did not start")
            started = time.perf_counter()
            outcome = dispatch.apply_async(queue=queue).get(timeout=3600)
            elapsed = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)

        notified = Notification.objects.count()
        emailed = OutgoingEmail.objects.filter(status=EmailStatus.SENT).count()
        sent = Reminder.objects.filter(status=ReminderStatus.SENT).count()
        self.stdout.write(
            f"one worker delivered {sent} reminders in {elapsed:.1f} s "
            f"({sent / elapsed:.0f}/s): {notified} in-app notifications, {emailed} e-mails"
        )
        self.stdout.write(f"task reported: {outcome}")
        if not sent == notified == emailed == count:
            raise CommandError(f"delivered {sent}/{notified}/{emailed}, expected {count} each")
