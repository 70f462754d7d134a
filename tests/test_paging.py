"""Long lists count at most 10,000 rows (ngo.lib.paging): past that the total is
"more than 10,000", every row stays reachable page after page, and nothing is
cut. The cap is lowered here so that a few rows stand for the archive."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ngo.audit.models import AuditEvent
from ngo.lib import paging
from ngo.lib.paging import CappedPaginator
from tests.conftest import verified_client


@pytest.fixture
def cap_of_five(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)


def _events(n: int) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(action="read", object_type="test.row", object_id=str(i)) for i in range(n)
    )


def test_under_the_cap_it_is_djangos_paginator(db, cap_of_five):
    _events(4)
    rows = AuditEvent.objects.filter(object_type="test.row").order_by("id")
    paginator = CappedPaginator(rows, 2)
    assert paginator.exact and paginator.count == 4 and paginator.num_pages == 2
    assert paginator.pages_label == "2" and paginator.count_label == "4"
    last = paginator.page(2)
    assert not last.has_next() and last.end_index() == 4
    assert paginator.get_page(99).number == 2  # past the end: the last page


def test_past_the_cap_every_row_is_still_reached(db, cap_of_five):
    _events(13)
    rows = AuditEvent.objects.filter(object_type="test.row").order_by("id")
    paginator = CappedPaginator(rows, 2)
    assert not paginator.exact and paginator.count == 5
    assert paginator.pages_label == "3+"
    with translation.override("en"):
        assert paginator.count_label == "more than 5"
    seen, number = [], 1
    while True:
        page = paginator.page(number)
        seen += [event.object_id for event in page]
        if not page.has_next():
            break
        number = page.next_page_number()
    assert seen == [str(i) for i in range(13)]
    assert number == 7 and paginator.page(7).end_index() == 13
    assert paginator.get_page(8).number == 1  # past the end, last page unknown: the first


def test_the_count_reads_no_further_than_the_cap(db, cap_of_five):
    _events(40)
    rows = AuditEvent.objects.filter(object_type="test.row").order_by("id")
    with CaptureQueriesContext(connection) as captured:
        assert CappedPaginator(rows, 10).count == 5
    (count,) = captured.captured_queries
    assert "COUNT(" in count["sql"].upper() and "LIMIT 6" in count["sql"].upper()


def test_the_api_says_null_for_more_than_the_cap_and_leads_on(personas, cap_of_five):
    _events(12)
    auditor = verified_client(personas.auditor)
    url = reverse("api:audit-event-list") + "?page_size=5"
    first = auditor.get(url).json()
    assert first["count"] is None and first["next"]
    rows, page = list(first["results"]), first
    while page["next"]:
        page = auditor.get(page["next"]).json()
        rows += page["results"]
    total = AuditEvent.objects.count()
    assert len(rows) == total and len({row["id"] for row in rows}) == total
    last = auditor.get(url + "&page=last")
    assert last.status_code == 404 and "`next`" in last.json()["error"]["message"]


def test_the_api_count_is_exact_under_the_cap(personas, make_case):
    manager = verified_client(personas.manager_a)
    make_case()
    body = manager.get(reverse("api:case-list")).json()
    assert body["count"] == 1 and paging.COUNT_CAP == 10_000


def test_the_audit_log_page_leads_past_the_cap(personas, cap_of_five):
    _events(60)  # more than one page of 50, and more than the cap
    auditor = verified_client(personas.auditor)
    first = auditor.get(reverse("audit:list"))
    assert first.status_code == 200
    html = " ".join(first.content.decode().split())
    assert "1 / 1+" in html and "page=2" in html
    second = auditor.get(reverse("audit:list") + "?page=2")
    assert second.status_code == 200 and len(second.context["page"].object_list) >= 10
