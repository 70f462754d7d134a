"""How fast real Celery workers deliver N due reminders to a real mail server, with
one worker and then with two, in a throwaway database.

    python manage.py bench_reminders [--items 10000] [--recipients 50] [--json PATH]

Starts an SMTP server on loopback (aiosmtpd) that counts what it receives. For each
run it creates N due items with one reminder each, starts the workers (solo pool,
one process each) on the configured broker, sends each worker one dispatch and
waits. Every reminder becomes an in-app notification and an e-mail. Prints the
seconds, messages per second, messages received, duplicates (by Message-ID) and
SMTP connections of each run, and the rate of two workers over one; fails if a
count is not N. Figures only: timing goals live in the README.
"""

import json
import os
import resource
import socket
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
    help = "Measure delivery of N due reminders by one and by two real workers."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=10_000)
        parser.add_argument("--recipients", type=int, default=50)
        parser.add_argument(
            "--batch",
            type=int,
            default=settings.REMINDER_EMAIL_BATCH,
            help="e-mails per batch (REMINDER_EMAIL_BATCH of the workers)",
        )
        parser.add_argument(
            "--json", dest="json_path", metavar="PATH", help="also write the figures here"
        )

    def handle(self, *args, items, recipients, batch, json_path, **options):
        if items < 1 or recipients < 1 or batch < 1:
            raise CommandError("--items, --recipients and --batch must be at least 1.")
        try:
            from ngo.lib.smtp_sink import SmtpSink
        except ImportError as exc:
            raise CommandError(f"{exc}: install requirements-dev.txt") from None
        setup_test_environment()
        if connection.vendor == "sqlite":
            # The workers are other processes: they need a database file, not memory.
            connection.settings_dict["TEST"]["NAME"] = str(
                Path(settings.VAR_DIR) / "bench-reminders.sqlite3"
            )
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with SmtpSink() as sink:
                figures = self._run(sink, items, recipients, batch)
        finally:
            connection.close()
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        if json_path:
            Path(json_path).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
            self.stdout.write(f"figures written to {json_path}")

    def _run(self, sink, count: int, recipient_count: int, batch: int) -> dict:
        from ngo.accounts.models import User
        from ngo.accounts.roles import Role

        self.stdout.write(
            f"database: {connection.vendor}, broker: {settings.CELERY_BROKER_URL.split(':')[0]}, "
            f"mail: smtp://127.0.0.1:{sink.port}, batch: {batch}"
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
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(connection.settings_dict),
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "REMINDER_EMAIL_BATCH": str(batch),
            "HAMKKE_DEMO": "",
        }
        runs = {}
        for workers in (1, 2):
            _seed(people, count, first_id=(workers - 1) * count + 1)
            sink.reset()
            run = _deliver(env, workers)
            run.update(_counts(sink, run["seconds"]))
            runs["one" if workers == 1 else "two"] = run
            self.stdout.write(
                f"{workers} worker{'s' if workers > 1 else ''}: {run['seconds']:.1f} s, "
                f"{run['messages_per_second']:.0f} messages/s, {run['received']} received, "
                f"{run['duplicates']} duplicates, {run['connections']} SMTP connections, "
                f"{run['notifications']} in-app notifications"
            )
            self.stdout.write(
                f"  CPU seconds: workers {run['worker_cpu_seconds']}, "
                f"SMTP server {run['smtp_server_cpu_seconds']}; "
                f"load average before {run['load_average_before']}"
            )
            self.stdout.write(f"  tasks reported: {run.pop('outcomes')}")
            _check(run, count)
        ratio = runs["two"]["messages_per_second"] / runs["one"]["messages_per_second"]
        self.stdout.write(f"two workers / one: {ratio:.2f}x")
        return {
            "database": connection.vendor,
            "items": count,
            "recipients": recipient_count,
            "batch": batch,
            "runs": runs,
            "ratio_two_to_one": round(ratio, 3),
        }


def _seed(people, count: int, first_id: int) -> None:
    """A fresh set of `count` due reminders, one item each; the last run's are gone."""
    from ngo.reminders.models import DatedItem, OutgoingEmail, Reminder

    OutgoingEmail.objects.all().delete()
    DatedItem.objects.all().delete()  # with their reminders and notifications
    now = timezone.now()
    made = DatedItem.objects.bulk_create(
        [
            DatedItem(
                source="counselling.case_event",
                object_id=first_id + n,
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
                recipient=people[n % len(people)],
                remind_at=now,
            )
            for n, item in enumerate(made)
        ],
        batch_size=2000,
    )


def _deliver(env: dict, workers: int) -> dict:
    """Start `workers` worker processes, send each one dispatch, wait for all."""
    from ngo.celery import app
    from ngo.reminders.tasks import dispatch

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    names = [f"{queue}-{n}@{socket.gethostname()}" for n in range(workers)]
    processes = [
        subprocess.Popen(worker_argv(queue, name), cwd=settings.BASE_DIR, env=env)  # noqa: S603
        for name in names
    ]
    try:
        for name in names:
            for _ in range(240):
                if app.control.ping(destination=[name], timeout=0.5):
                    break
            else:
                raise CommandError(f"the worker {name} did not start")
        load = os.getloadavg()[0]
        cpu_before = [_cpu_seconds(process.pid) for process in processes]
        own_before = _own_cpu_seconds()
        started = time.perf_counter()
        results = [dispatch.apply_async(queue=queue) for _ in names]
        outcomes = [result.get(timeout=3600) for result in results]
        elapsed = time.perf_counter() - started
        own = _own_cpu_seconds() - own_before
        worker_cpu = [
            _cpu_seconds(process.pid) - before
            for process, before in zip(processes, cpu_before, strict=True)
        ]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
    return {
        "workers": workers,
        "seconds": round(elapsed, 3),
        "outcomes": outcomes,
        # Other work on the machine shows here: CPU seconds used, and the load before.
        "worker_cpu_seconds": [round(cpu, 2) for cpu in worker_cpu],
        "smtp_server_cpu_seconds": round(own, 2),
        "load_average_before": round(load, 2),
    }


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    # This process serves SMTP in a thread; its main thread only waits for results.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _counts(sink, seconds: float) -> dict:
    from ngo.reminders.models import EmailStatus, Notification, OutgoingEmail, Reminder

    return {
        "messages_per_second": round(sink.received / seconds, 1),
        "received": sink.received,
        "distinct": len(sink.message_ids),
        "duplicates": sink.duplicates,
        "connections": sink.connections,
        "reminders_sent": Reminder.objects.filter(status="sent").count(),
        "notifications": Notification.objects.count(),
        "emails_marked_sent": OutgoingEmail.objects.filter(status=EmailStatus.SENT).count(),
    }


def _check(run: dict, count: int) -> None:
    names = ("received", "distinct", "reminders_sent", "notifications", "emails_marked_sent")
    wrong = {name: run[name] for name in names if run[name] != count}
    if wrong:
        raise CommandError(f"{run['workers']} worker(s) delivered {wrong}, expected {count} each")
