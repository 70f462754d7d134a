"""Run by tests/test_clock.py through `pytest --clock 2028-02-29T23:30:00+09:00`
(its name keeps it out of the normal collection)."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def test_inside_a_suite_run_at_a_leap_day_evening():
    fake = datetime.fromisoformat(os.environ["HAMKKE_EXPECTED_CLOCK"])
    assert timedelta(0) <= timezone.now() - fake < timedelta(minutes=5)
    assert timezone.localdate() == date(2028, 2, 29)
    assert timezone.localtime().hour == 23
    # A process this test starts (a Celery worker, say) keeps the same clock.
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests.clock import start_clock_from_environment as s; s();"
            "import time; print(time.time())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert abs(float(child.stdout) - timezone.now().timestamp()) < 60
