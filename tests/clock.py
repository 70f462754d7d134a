"""Run the tests as if it were another date and time.

    ./hamkke test --clock 2028-02-29T23:30+09:00
    HAMKKE_TEST_CLOCK=2027-03-01T00:30+09:00 ./hamkke test

The clock of every test process (and of every worker process a test starts)
begins at that instant and runs on from there, so code that compares two
moments still sees time pass. `./hamkke test-dates` runs the calendar-sensitive
tests (marker `calendar`) at the awkward instants in AWKWARD_INSTANTS.

A worker started by a test reads HAMKKE_TEST_CLOCK_ORIGIN and keeps its clock in
step with the test's: same fake origin, same real starting second.
"""

from __future__ import annotations

import inspect
import os
import re
import time
from datetime import datetime

import pytest
import time_machine

# The 1st of a month just after midnight in Seoul (still the day before in UTC,
# and a Monday), the last day of a month late in the evening, a leap day, New
# Year's Eve a minute before midnight, and the end of a month in UTC (already
# the 1st, 08:30, in Seoul: just after the daily digest).
AWKWARD_INSTANTS = (
    "2027-03-01T00:30:00+09:00",
    "2027-04-30T23:30:00+09:00",
    "2028-02-29T12:00:00+09:00",
    "2026-12-31T23:59:00+09:00",
    "2027-01-31T23:30:00+00:00",
)

ORIGIN_VARIABLE = "HAMKKE_TEST_CLOCK_ORIGIN"

# A test reads the calendar when it asks for the time or builds a date: such
# tests are marked `calendar` without anyone having to remember to.
READS_THE_CALENDAR = re.compile(
    r"\b(localdate|localtime|timezone\.now|timedelta|date\.today|datetime\.now|"
    r"date|datetime|years_before)\("
)


def parse_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"--clock needs a time zone offset, e.g. {AWKWARD_INSTANTS[0]}")
    return moment


def start_clock(moment: datetime, *, real_start: float) -> time_machine.travel:
    """Travel to `moment` plus however long it has been since `real_start`."""
    traveller = time_machine.travel(moment.timestamp() + (time.time() - real_start), tick=True)
    traveller.start()
    return traveller


def start_clock_from_environment() -> time_machine.travel | None:
    """For a process started by a test: follow the test's clock, if it is set."""
    origin = os.environ.get(ORIGIN_VARIABLE)
    if not origin:
        return None
    instant, real_start = origin.split("|")
    return start_clock(datetime.fromisoformat(instant), real_start=float(real_start))


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("HAMKKE_TEST_CLOCK") or None,
        help="run as if it were this instant (ISO 8601 with an offset), e.g. "
        f"{AWKWARD_INSTANTS[0]}",
    )


_traveller = None


def pytest_configure(config):
    global _traveller
    config.addinivalue_line(
        "markers", "calendar: depends on the date or the hour; run at awkward instants in CI"
    )
    config.addinivalue_line(
        "markers",
        "dates_as_data: builds dates only as the data of what it checks (who may "
        "create a record, how many queries a list makes); not marked calendar",
    )
    text = config.getoption("--clock")
    if not text:
        return
    moment = parse_instant(text)
    # The first process (the xdist controller, or the only one) fixes the real
    # starting second; its workers and their subprocesses inherit it.
    real_start = os.environ.get(ORIGIN_VARIABLE)
    if real_start and real_start.split("|")[0] == moment.isoformat():
        real_start = float(real_start.split("|")[1])
    else:
        real_start = time.time()
        os.environ[ORIGIN_VARIABLE] = f"{moment.isoformat()}|{real_start}"
    _traveller = start_clock(moment, real_start=real_start)


def _source(function) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


# Modules about deadlines and dates through and through: every test in them.
CALENDAR_MODULES = {
    "test_reminders",
    "test_reminders_sources",
    "test_reminders_worker",
    "test_shelter_services",
    "test_counselling_services",
    "test_statistics_generation",
}


def reads_the_calendar(item) -> bool:
    """The test's module is about dates, or its body (or a helper of its module
    that the body calls) reads the clock or builds a date."""
    module = getattr(item, "module", None)
    function = getattr(item, "function", None)
    if module is None or function is None:
        return False
    if module.__name__.rsplit(".", 1)[-1] in CALENDAR_MODULES:
        return True
    body = _source(function)
    helpers = [
        value
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("test_")
        and re.search(rf"\b{re.escape(name)}\(", body)
    ]
    return any(READS_THE_CALENDAR.search(text) for text in [body, *map(_source, helpers)])


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("dates_as_data") is None and reads_the_calendar(item):
            item.add_marker(pytest.mark.calendar)


def pytest_report_header(config):
    text = config.getoption("--clock")
    if text:
        return f"clock: running as if it were {parse_instant(text).isoformat()}"
    return None


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def years_before(day, years: int):
    """The same day `years` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
