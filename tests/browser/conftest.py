"""The browser journeys' fixtures: one Chromium per test process (Debian's, at
/usr/bin/chromium or HAMKKE_CHROMIUM), a fresh context per test on the live server.

Without Chromium the journeys skip, except in CI (HAMKKE_REQUIRE_SERVICES=1),
where a missing browser fails them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import REQUIRE_SERVICES

CHROMIUM = os.environ.get("HAMKKE_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            # The live server answers from another thread: each journey commits, and
            # the migrations' rows (roles, consent texts, reminder rules) are put
            # back for the next test after the flush.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


def _chromium_or_reason() -> str | None:
    found = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if not found:
        return (
            f"the journeys need Chromium at {CHROMIUM} "
            "(apt-get install chromium, or set HAMKKE_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the journeys need the playwright package (requirements-dev.txt)"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = _chromium_or_reason()
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread: Django's ORM,
    # used by the tests between steps, must be told that this is fine here.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    runner = sync_playwright().start()
    browser = runner.chromium.launch(
        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
    )
    yield browser
    browser.close()
    runner.stop()
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def journey(chromium, live_server, request):
    from tests.browser.journeys import Journey

    name = request.node.name.removeprefix("test_")
    folder = Path(settings.VAR_DIR) / "test-artefacts" / "journeys" / name
    shutil.rmtree(folder, ignore_errors=True)
    watched = Journey(browser=chromium, base_url=live_server.url, folder=folder)
    yield watched
    try:
        if watched.page is not None and getattr(request.node, "rep_call_passed", False):
            watched.assert_clean()
    finally:
        watched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call_passed = report.passed
    return report
