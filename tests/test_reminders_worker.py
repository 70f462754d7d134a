"""Reminder delivery through the real broker (Redis in CI) to real worker processes:
two dispatches at once, and a worker killed in the middle of a batch."""

import os
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from ngo.celery import app
from ngo.lib.celery_helpers import worker_argv
from ngo.reminders import services
from ngo.reminders.models import (
    EmailMode,
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    Reminder,
)
from ngo.reminders.tasks import dispatch

ROOT = Path(__file__).resolve().parent.parent
MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)", re.MULTILINE)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_database():
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("a worker process needs a database it can share (PostgreSQL in CI)")
    return connection.settings_dict["NAME"]


@pytest.fixture
def workers(shared_database, tmp_path):
    """start(delay=seconds) -> a real worker process on this test's queue."""
    queue = f"test-reminders-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    started = []

    def start(delay: float = 0.0, batch: int | None = None) -> subprocess.Popen:
        name = f"{queue}-{len(started)}@%h"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "HAMKKE_TEST_DATABASE_NAME": shared_database,
            "HAMKKE_TEST_EMAIL_DIR": str(mail_dir),
            "HAMKKE_TEST_MAIL_DELAY": str(delay),
        }
        if batch:
            env["REMINDER_EMAIL_BATCH"] = str(batch)
        process = subprocess.Popen(
            worker_argv(queue, name),
            cwd=ROOT,
            env=env,
        )
        started.append(process)
        hostname = name.replace("%h", _hostname())
        for _ in range(240):
            if app.control.ping(destination=[hostname], timeout=0.5):
                return process
        raise AssertionError("the worker did not come up")

    start.queue = queue
    start.mail_dir = mail_dir
    try:
        yield start
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def _hostname():
    import socket

    return socket.gethostname()


def _delivered(mail_dir: Path) -> list[str]:
    found = []
    for path in mail_dir.glob("*.log"):
        found += MESSAGE_ID.findall(path.read_text(encoding="utf-8", errors="replace"))
    return found


def _immediate_only(user) -> None:
    # Digests go out from 08:00 Seoul time; these tests count reminder e-mails only.
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_mode": EmailMode.IMMEDIATE}
    )


def _due_reminders(make_case, count: int) -> None:
    for _ in range(count):
        make_case(visa_expiry=timezone.localdate())  # exactly one reminder each, due now
    services.refresh()
    assert Reminder.objects.filter(status="pending").count() == count


def test_two_dispatches_at_once_deliver_every_reminder_once(make_case, personas, workers):
    _immediate_only(personas.counsellor_a)
    _due_reminders(make_case, 30)
    workers(delay=0.05)
    workers(delay=0.05)
    first = dispatch.apply_async(queue=workers.queue)
    second = dispatch.apply_async(queue=workers.queue)
    results = [first.get(timeout=180), second.get(timeout=180)]
    assert sum(r["fired"] for r in results) == 30
    assert sum(r["emails"] for r in results) == 30
    delivered = _delivered(workers.mail_dir)
    assert len(delivered) == 30
    assert len(set(delivered)) == 30
    assert Notification.objects.count() == 30
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_that_batch(
    make_case, personas, workers
):
    _immediate_only(personas.counsellor_a)
    _due_reminders(make_case, 8)
    slow = workers(delay=1.0, batch=4)
    dispatch.apply_async(queue=workers.queue)
    markers = workers.mail_dir / "sending"
    for _ in range(900):
        if markers.exists() and len(list(markers.iterdir())) >= 6:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the worker never got to the sixth e-mail")
    # The first batch of four is sent and marked; of the second, the fifth e-mail is
    # handed over and the sixth is on its way to the (slow) mail server: kill now.
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait(timeout=30)
    before_kill = _delivered(workers.mail_dir)
    assert len(before_kill) == 5
    assert Notification.objects.count() == 8  # in-app copies were made in one transaction
    for _ in range(100):  # the database notices the dead connection and rolls it back
        if OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).count() == 4:
            break
        time.sleep(0.1)
    marked = {e.message_id for e in OutgoingEmail.objects.filter(status=EmailStatus.SENT)}
    assert len(marked) == 4 and marked < set(before_kill)
    assert OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).count() == 4
    (handed_over_unmarked,) = set(before_kill) - marked

    # The next dispatch (beat sends one every minute) on a fresh worker sends the
    # killed batch again, whole: only its fifth e-mail goes twice, with the same
    # Message-ID; nothing of the first batch goes again, and nothing is lost.
    workers(delay=0, batch=4)
    outcome = dispatch.apply_async(queue=workers.queue).get(timeout=180)
    assert outcome["emails"] == 4
    delivered = Counter(_delivered(workers.mail_dir))
    assert len(delivered) == 8
    assert [mid for mid, times in delivered.items() if times > 1] == [handed_over_unmarked]
    assert Notification.objects.count() == 8
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 8


def test_through_the_worker_changed_and_closed_cases_send_nothing_and_names_stay_out(
    make_case, personas, workers, django_capture_on_commit_callbacks
):
    from counselling import services as counselling
    from counselling.models import CaseStatus, ClosureReason

    _immediate_only(personas.counsellor_a)
    today = timezone.localdate()
    names = ["Pham Thi Lan", "Maria Santos Cruz", "Bolormaa Dorj"]
    with django_capture_on_commit_callbacks(execute=True):
        renewed, closed, kept = (make_case(visa_expiry=today, name_romanised=n) for n in names)
    assert Reminder.objects.filter(status="pending").count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        counselling.client_update(
            actor=personas.counsellor_a,
            client=renewed.client,
            visa_expiry=today + timedelta(days=365),
        )
        counselling.case_change_status(
            actor=personas.counsellor_a,
            case=closed,
            to=CaseStatus.CLOSED,
            closed_on=today,
            closure_reason=ClosureReason.LEFT_KOREA,
        )
    workers(delay=0)
    outcome = dispatch.apply_async(queue=workers.queue).get(timeout=180)
    assert outcome["fired"] == 1 and outcome["emails"] == 1
    (path,) = list(workers.mail_dir.glob("*.log"))
    text = path.read_text(encoding="utf-8")
    assert kept.client.case_code in text
    assert renewed.client.case_code not in text and closed.client.case_code not in text
    for name in names:
        for part in name.split():
            assert part not in text
