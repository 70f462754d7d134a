"""The suite can run as if it were another instant (tests/clock.py): the test
process, and the worker processes its tests start, see that instant."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from django.utils import timezone

from tests.clock import ORIGIN_VARIABLE, years_before

ROOT = Path(__file__).resolve().parent.parent
LEAP_EVENING = "2028-02-29T23:30:00+09:00"


def test_years_before_a_leap_day_falls_back_to_the_28th():
    assert years_before(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)
    assert years_before(date(2026, 12, 31), 2) == date(2024, 12, 31)


def test_a_test_that_reads_the_clock_is_marked_calendar(request):
    assert timezone.localdate() is not None
    assert request.node.get_closest_marker("calendar") is not None


def test_a_test_that_never_reads_the_clock_is_not_marked(request):
    assert request.node.get_closest_marker("calendar") is None


def test_the_suite_runs_as_if_it_were_another_instant():
    # tests/clock_probe.py holds the assertions made inside that run.
    env = {k: v for k, v in os.environ.items() if k != ORIGIN_VARIABLE}
    env["HAMKKE_EXPECTED_CLOCK"] = LEAP_EVENING
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--clock",
            LEAP_EVENING,
            "-q",
            "tests/clock_probe.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_a_clock_without_an_offset_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--clock", "2028-02-29T12:00"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "needs a time zone offset" in result.stdout + result.stderr
