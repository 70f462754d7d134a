"""The signed-in person is read once per request, with what every page asks of
her next: her branches (on PostgreSQL) and her unread notifications, as they
stood at the start of the request."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ngo.accounts.backends import StaffBackend
from ngo.reminders import selectors, services
from ngo.reminders.models import Notification
from tests.conftest import verified_client
from tests.test_reminders import _deliver


def _sql(browser, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_page_reads_her_branches_and_unread_count_with_her_row(make_case, personas):
    _deliver(make_case)
    browser = verified_client(personas.counsellor_a)
    caseload = reverse("accounts:dashboard")
    browser.get(caseload)
    queries = _sql(browser, caseload)
    (own_row,) = [sql for sql in queries if sql.startswith('SELECT "accounts_user"."id"')]
    assert "reminders_notification" in own_row
    alone = [sql for sql in queries if 'FROM "reminders_notification"' in sql.split(" WHERE ")[0]]
    assert not [sql for sql in alone if sql.startswith("SELECT COUNT(*)")]
    branches_alone = [
        sql
        for sql in queries
        if sql.startswith('SELECT "accounts_branch"."id" AS "id" FROM "accounts_branch"')
    ]
    if connection.vendor == "postgresql":
        assert "accounts_user_branches" in own_row and not branches_alone
    else:
        assert len(branches_alone) == 1
    assert "text-bg-danger" in browser.get(caseload).content.decode()


def test_the_count_read_with_her_row_is_recounted_once_she_reads(make_case, personas):
    _deliver(make_case)
    counsellor = StaffBackend().get_user(personas.counsellor_a.pk)
    unread = Notification.objects.filter(recipient=counsellor, read_at__isnull=True).count()
    assert unread >= 1
    branch = personas.counsellor_a.branches.get().pk
    with CaptureQueriesContext(connection) as captured:
        assert selectors.unread_count(counsellor) == unread
        assert counsellor.branch_ids() == {branch}
    assert len(captured) == (0 if connection.vendor == "postgresql" else 1)
    services.notification_mark_read(user=counsellor)
    assert selectors.unread_count(counsellor) == 0


def test_an_inactive_person_is_not_read_back(personas):
    personas.counsellor_a.is_active = False
    personas.counsellor_a.save(update_fields=["is_active"])
    assert StaffBackend().get_user(personas.counsellor_a.pk) is None
    assert StaffBackend().get_user(999_999) is None
