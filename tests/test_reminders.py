"""Reminders: what is reminded, to whom, when; delivery once; e-mails without names."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from counselling import services as counselling
from counselling.models import CaseStatus, ClosureReason
from counselling.shelters import services as shelter_services
from ngo.reminders import services
from ngo.reminders.models import (
    DatedItem,
    DigestRun,
    EmailMode,
    EmailStatus,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    Reminder,
    ReminderRule,
    ReminderStatus,
)
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _today():
    return timezone.localdate()


def _morning(day, hour=8):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _reminders(source, **filters):
    return Reminder.objects.filter(item__source=source, **filters).order_by("remind_at")


def _visa_case(make_case, days_ahead=45, **kwargs):
    return make_case(visa_expiry=_today() + timedelta(days=days_ahead), **kwargs)


# --- What is reminded ---------------------------------------------------------------


def test_visa_expiry_reminds_assigned_staff_60_30_7_and_1_days_before(make_case, personas):
    case = make_case(visa_expiry=_today() + timedelta(days=61))
    services.refresh("counselling.visa_expiry")
    rows = _reminders("counselling.visa_expiry")
    due = _today() + timedelta(days=61)
    assert [(r.days_before, r.remind_at) for r in rows] == [
        (days, _morning(due - timedelta(days=days))) for days in (60, 30, 7, 1)
    ]
    assert {r.recipient for r in rows} == {personas.counsellor_a}
    item = DatedItem.objects.get(source="counselling.visa_expiry")
    assert item.reference == case.client.case_code
    assert item.url == f"/counselling/cases/{case.pk}/"


def test_a_late_item_gets_the_latest_due_reminder_not_a_burst(make_case):
    make_case(visa_expiry=_today() + timedelta(days=5))
    services.refresh("counselling.visa_expiry")
    assert [r.days_before for r in _reminders("counselling.visa_expiry")] == [7, 1]
    # 60 and 30 days before are long past: only the 7-day one is due now.
    assert services.fire_due_reminders() == 1


def test_hearing_reminded_7_days_and_1_day_before(make_case, personas):
    case = make_case()
    starts = timezone.now().replace(microsecond=0) + timedelta(days=12)
    counselling.case_event_add(
        actor=personas.counsellor_a, case=case, kind="court_hearing", starts_at=starts
    )
    services.refresh("counselling.case_event")
    assert [r.days_before for r in _reminders("counselling.case_event")] == [7, 1]
    item = DatedItem.objects.get(source="counselling.case_event")
    assert str(item.label) == "법원 심리" or "hearing" in str(item.label).lower()


def test_follow_up_on_the_day_then_overdue_alert_to_the_branch_manager(make_case, personas):
    case = make_case()
    follow = _today() + timedelta(days=3)
    counselling.session_record(
        actor=personas.counsellor_a, case=case, mode="in_person", follow_up_on=follow
    )
    services.refresh("counselling.session_follow_up")
    rows = list(_reminders("counselling.session_follow_up"))
    assert [(r.recipient, r.remind_at) for r in rows] == [
        (personas.counsellor_a, _morning(follow)),
        (personas.manager_a, _morning(follow + timedelta(days=1))),
    ]


@pytest.mark.parametrize(
    ("assessed", "seoul_day"),
    [
        # 08:30 in Seoul is still the evening before in UTC: the day is Seoul's.
        ("2027-01-31T08:30:00+09:00", date(2027, 2, 2)),
        # Late on the last day of a month, across midnight into the next month.
        ("2027-04-30T23:30:00+09:00", date(2027, 5, 2)),
        # A leap year's February.
        ("2028-02-28T22:00:00+09:00", date(2028, 3, 1)),
    ],
)
def test_a_high_risk_follow_up_48_hours_later_is_reminded_on_its_day_in_seoul(
    make_case, personas, assessed, seoul_day
):
    with time_machine.travel(datetime.fromisoformat(assessed), tick=False):
        case = make_case()
        severe = counselling.risk_assess(
            actor=personas.counsellor_a,
            case=case,
            answers={"threats_to_kill": True, "strangulation": True},
        )
        services.refresh("counselling.risk_follow_up")
    assert severe.follow_up_by - severe.assessed_at == timedelta(hours=48)
    assert timezone.localtime(severe.follow_up_by).date() == seoul_day
    rows = list(_reminders("counselling.risk_follow_up"))
    assert [(r.recipient, r.remind_at) for r in rows] == [
        (personas.counsellor_a, _morning(seoul_day)),
        (personas.manager_a, _morning(seoul_day + timedelta(days=1))),
    ]


def test_a_later_session_closes_the_follow_up(
    make_case, personas, django_capture_on_commit_callbacks
):
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        counselling.session_record(
            actor=personas.counsellor_a,
            case=case,
            mode="in_person",
            started_at=timezone.now() - timedelta(hours=2),
            follow_up_on=_today() + timedelta(days=2),
        )
    assert _reminders("counselling.session_follow_up", status="pending").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        counselling.session_record(actor=personas.counsellor_a, case=case, mode="phone")
    assert _reminders("counselling.session_follow_up", status="pending").count() == 0
    assert not DatedItem.objects.get(source="counselling.session_follow_up").is_active


def test_bed_hold_reminded_30_minutes_before_it_lapses(shelter, personas, make_case):
    case = make_case()
    bed = shelter.test_beds["a"]
    hold = shelter_services.bed_hold(actor=personas.shelter_worker_a, bed=bed, case=case)
    services.refresh("counselling.bed_hold_expiry")
    (reminder,) = _reminders("counselling.bed_hold_expiry")
    assert reminder.recipient == personas.shelter_worker_a
    assert reminder.remind_at == hold.expires_at - timedelta(minutes=30)


# --- Changes reschedule or cancel --------------------------------------------------


def test_a_renewed_visa_reschedules_the_pending_reminders(
    make_case, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _visa_case(make_case, days_ahead=45)
    pending = _reminders("counselling.visa_expiry", status="pending")
    # 60 days before is already past: that one goes out at once, the others on time.
    assert [r.days_before for r in pending] == [60, 30, 7, 1]
    renewed = _today() + timedelta(days=400)
    with django_capture_on_commit_callbacks(execute=True):
        counselling.client_update(
            actor=personas.counsellor_a, client=case.client, visa_expiry=renewed
        )
    assert _reminders("counselling.visa_expiry", status="pending").count() == 0
    assert _reminders("counselling.visa_expiry", status="cancelled").count() == 4
    item = DatedItem.objects.get(source="counselling.visa_expiry")
    # A year away is beyond the horizon: the item waits for a later scan.
    assert item.is_active is False
    # Back to a near date: the cancelled reminders come back, nothing duplicated.
    with django_capture_on_commit_callbacks(execute=True):
        counselling.client_update(
            actor=personas.counsellor_a,
            client=case.client,
            visa_expiry=_today() + timedelta(days=45),
        )
    assert _reminders("counselling.visa_expiry", status="pending").count() == 4
    assert Reminder.objects.count() == 4


def test_a_moved_hearing_reschedules(make_case, personas, django_capture_on_commit_callbacks):
    case = make_case()
    starts = timezone.now().replace(microsecond=0) + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        event = counselling.case_event_add(
            actor=personas.counsellor_a, case=case, kind="court_hearing", starts_at=starts
        )
    moved = starts + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        counselling.case_event_update(actor=personas.counsellor_a, event=event, starts_at=moved)
    pending = list(_reminders("counselling.case_event", status="pending"))
    assert [r.due_at for r in pending] == [moved, moved]
    assert [timezone.localtime(r.remind_at).date() for r in pending] == [
        timezone.localtime(moved).date() - timedelta(days=7),
        timezone.localtime(moved).date() - timedelta(days=1),
    ]
    assert _reminders("counselling.case_event", status="cancelled").count() == 2


def test_closing_the_case_stops_its_reminders(
    make_case, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _visa_case(make_case)
        counselling.case_event_add(
            actor=personas.counsellor_a,
            case=case,
            kind="court_hearing",
            starts_at=timezone.now() + timedelta(days=10),
        )
    assert Reminder.objects.filter(status="pending").count() == 6
    with django_capture_on_commit_callbacks(execute=True):
        counselling.case_change_status(
            actor=personas.counsellor_a,
            case=case,
            to=CaseStatus.CLOSED,
            closed_on=_today(),
            closure_reason=ClosureReason.RESOLVED,
        )
    assert Reminder.objects.filter(status="pending").count() == 0
    assert not DatedItem.objects.filter(is_active=True).exists()
    assert services.fire_due_reminders(now=timezone.now() + timedelta(days=60)) == 0


def test_reassigning_the_case_moves_the_reminders(
    make_case, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _visa_case(make_case)
    with django_capture_on_commit_callbacks(execute=True):
        counselling.case_assign(actor=personas.manager_a, case=case, users=[personas.manager_a])
    pending = _reminders("counselling.visa_expiry", status="pending")
    assert {r.recipient for r in pending} == {personas.manager_a}
    item = DatedItem.objects.get(source="counselling.visa_expiry")
    assert set(item.recipients.all()) == {personas.manager_a}


def test_administrators_change_the_lead_times(make_case, personas):
    _visa_case(make_case, days_ahead=45)
    services.refresh()
    services.rule_save(
        actor=personas.admin,
        rule=ReminderRule(source="counselling.visa_expiry", days_before=14, audience="assigned"),
    )
    ReminderRule.objects.filter(source="counselling.visa_expiry", days_before=30).update(
        is_active=False
    )
    services.refresh("counselling.visa_expiry")
    pending = _reminders("counselling.visa_expiry", status="pending")
    assert sorted(r.days_before for r in pending) == [1, 7, 14, 60]


def test_an_unknown_audience_is_refused_with_a_message(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.rule_save(
            actor=personas.admin,
            rule=ReminderRule(source="counselling.visa_expiry", days_before=3, audience="manager"),
        )
    assert "대상" in str(caught.value) and "cannot be sent" in str(caught.value)
    assert not ReminderRule.objects.filter(days_before=3).exists()


# --- Delivery -----------------------------------------------------------------------


def test_due_reminders_become_one_notification_and_one_email_each(make_case, personas):
    make_case(visa_expiry=_today() + timedelta(days=1), name_romanised="Nguyen Thi Hoa")
    services.refresh()
    assert services.fire_due_reminders() == 1
    assert services.fire_due_reminders() == 0
    assert Notification.objects.filter(recipient=personas.counsellor_a).count() == 1
    assert services.send_queued_emails() == 1
    assert services.send_queued_emails() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.counsellor_a.email]


def test_the_email_names_no_one(make_case, personas):
    case = make_case(
        visa_expiry=_today() + timedelta(days=7),
        name_romanised="Tran Thi Mai",
        name_original="Trần Thị Mai",
        phone="010-9876-5432",
    )
    services.refresh()
    services.fire_due_reminders()
    services.send_queued_emails()
    (message,) = mail.outbox
    text = message.subject + "\n" + message.body + "\n" + str(message.message())
    for personal in ("Tran Thi Mai", "Trần Thị Mai", "Mai", "9876", "F-6", "VN"):
        assert personal not in text
    assert case.client.case_code in message.subject
    assert "비자 만료" in message.subject and "Visa expiry" in message.subject
    due = (_today() + timedelta(days=7)).isoformat()
    assert due in message.body
    assert "http://127.0.0.1:8000/notifications/item/" in message.body
    assert message.extra_headers["Message-ID"].startswith("<reminder.")


def test_digest_only_people_get_no_immediate_email(make_case, personas):
    NotificationPreference.objects.create(user=personas.counsellor_a, email_mode=EmailMode.DIGEST)
    make_case(visa_expiry=_today() + timedelta(days=1))
    services.refresh()
    assert services.fire_due_reminders() == 1
    assert OutgoingEmail.objects.count() == 0
    assert Notification.objects.count() == 1


def test_daily_digest_lists_today_and_overdue_once(make_case, personas):
    make_case(visa_expiry=_today())
    late = make_case()
    counselling.case_event_add(
        actor=personas.counsellor_a,
        case=late,
        kind="immigration_appointment",
        starts_at=timezone.now() - timedelta(days=2),
    )
    make_case(visa_expiry=_today() + timedelta(days=20))  # not yet: not in the digest
    services.refresh()
    seven = _morning(_today(), 7)
    assert services.queue_digests(now=seven) == 0  # before 08:00
    nine = _morning(_today(), 9)
    assert services.queue_digests(now=nine) == 1
    assert services.queue_digests(now=nine) == 0
    assert DigestRun.objects.filter(day=_today()).exists()
    services.send_queued_emails()
    (digest,) = mail.outbox
    assert "2" in digest.subject
    assert "오늘" in digest.body and "today" in digest.body
    assert "2 days overdue" in digest.body
    assert "Client" not in digest.body


def test_the_digest_goes_at_08_00_seoul_time_not_utc(make_case, personas):
    # 07:59 in Seoul on the 1st is 22:59 UTC on the last day of the month before.
    with time_machine.travel(datetime.fromisoformat("2027-03-01T07:59:00+09:00"), tick=False):
        make_case(visa_expiry=timezone.localdate())
        services.refresh()
        assert services.queue_digests() == 0
    with time_machine.travel(datetime.fromisoformat("2027-03-01T08:00:00+09:00"), tick=False):
        assert services.queue_digests() == 1
    assert DigestRun.objects.get().day == date(2027, 3, 1)
    # Later that day in Seoul (still the 1st in UTC too) nothing is queued again.
    with time_machine.travel(datetime.fromisoformat("2027-03-01T23:59:00+09:00"), tick=False):
        assert services.queue_digests() == 0


def test_immediate_only_people_get_no_digest(make_case, personas):
    NotificationPreference.objects.create(
        user=personas.counsellor_a, email_mode=EmailMode.IMMEDIATE
    )
    make_case(visa_expiry=_today())
    services.refresh()
    assert services.queue_digests(now=_morning(_today(), 9)) == 0


def test_a_failing_mail_server_keeps_the_email_for_a_retry(make_case, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusingBackend"
    make_case(visa_expiry=_today() + timedelta(days=1))
    services.refresh()
    services.fire_due_reminders()
    assert services.send_queued_emails() == 0
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts, email.last_error) == (
        EmailStatus.QUEUED,
        1,
        "SMTPServerDisconnected",
    )
    assert email.next_attempt_at > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_queued_emails(now=timezone.now() + timedelta(minutes=5)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_deliver_each_reminder_once(make_case, personas):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL's row locks")
    for _ in range(40):
        make_case(visa_expiry=_today())  # one reminder each, due now
    services.refresh()
    assert Reminder.objects.filter(status="pending").count() == 40
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append((services.fire_due_reminders(batch=7), services.send_queued_emails()))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fired for fired, _ in results) == 40
    # A dispatcher that finds nothing due at its moment stops (the other may still
    # be committing); the beat's next tick, a minute later, sends what is left.
    # Whatever the interleaving, each e-mail goes exactly once.
    later = services.send_queued_emails(now=timezone.now() + timedelta(minutes=1))
    assert sum(sent for _, sent in results) + later == 40
    assert OutgoingEmail.objects.exclude(status=EmailStatus.SENT).count() == 0
    assert Notification.objects.count() == 40
    assert len(mail.outbox) == 40
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 40


# --- Screens and API ------------------------------------------------------------------


def _deliver(make_case, **client):
    case = make_case(visa_expiry=_today() + timedelta(days=1), **client)
    services.refresh()
    services.fire_due_reminders()
    return case


def test_unread_count_in_the_navigation_and_mark_as_read(make_case, personas):
    _deliver(make_case)
    browser = verified_client(personas.counsellor_a)
    page = browser.get("/accounts/dashboard/").content.decode()
    assert 'id="nav-notifications"' in page and 'text-bg-danger" aria-label' in page
    inbox = browser.get("/notifications/").content.decode()
    assert "비자 만료" in inbox
    notification = Notification.objects.get()
    response = browser.post("/notifications/read/", {"notification": notification.pk})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "text-bg-danger" not in browser.get("/accounts/dashboard/").content.decode()


def test_following_a_reminder_checks_the_record_permission(make_case, personas):
    case = _deliver(make_case)
    item = DatedItem.objects.get()
    own = verified_client(personas.counsellor_a).get(f"/notifications/item/{item.pk}/")
    assert own.status_code == 302 and own["Location"] == f"/counselling/cases/{case.pk}/"
    assert Notification.objects.get().read_at is not None
    other_branch = verified_client(personas.counsellor_b).get(f"/notifications/item/{item.pk}/")
    assert other_branch.status_code == 404
    volunteer = verified_client(personas.volunteer).get(f"/notifications/item/{item.pk}/")
    assert volunteer.status_code == 404
    assert (
        verified_client(personas.counsellor_a).get("/notifications/item/999999/").status_code == 404
    )


def test_people_choose_how_reminders_reach_them(personas):
    browser = verified_client(personas.coordinator)
    assert browser.post("/notifications/settings/", {"email_mode": "nonsense"}).status_code == 200
    assert not NotificationPreference.objects.filter(email_mode="nonsense").exists()
    response = browser.post("/notifications/settings/", {"email_mode": "digest"})
    assert response.status_code == 302
    assert personas.coordinator.notification_preference.email_mode == "digest"


def test_api_lists_only_my_notifications_and_marks_them_read(make_case, personas):
    _deliver(make_case)
    mine = verified_client(personas.counsellor_a)
    listed = mine.get("/api/v1/notifications/?unread=true").json()
    assert listed["count"] == 1
    assert listed["results"][0]["item"]["source"] == "counselling.visa_expiry"
    other = verified_client(personas.counsellor_b)
    assert other.get("/api/v1/notifications/").json()["count"] == 0
    notification_id = listed["results"][0]["id"]
    assert other.get(f"/api/v1/notifications/{notification_id}/").status_code == 404
    assert other.post(
        "/api/v1/notifications/mark-read/", {"ids": [notification_id]}, content_type=JSON
    ).json() == {"marked": 0}
    assert mine.post("/api/v1/notifications/mark-read/", {}, content_type=JSON).json() == {
        "marked": 1
    }
    bad = mine.put("/api/v1/notification-settings/", {"email_mode": "never"}, content_type=JSON)
    assert bad.status_code == 400
    good = mine.put(
        "/api/v1/notification-settings/", {"email_mode": "immediate"}, content_type=JSON
    )
    assert good.json() == {"email_mode": "immediate"}


def test_inbox_query_count_does_not_grow_with_notifications(
    make_case, personas, django_assert_max_num_queries
):
    browser = verified_client(personas.counsellor_a)
    _deliver(make_case)
    browser.get("/notifications/")
    for _ in range(10):
        make_case(visa_expiry=_today() + timedelta(days=1))
    services.refresh()
    services.fire_due_reminders()
    assert Notification.objects.count() == 11
    with django_assert_max_num_queries(20):
        assert browser.get("/notifications/").status_code == 200


def test_reminder_status_values_are_known():
    assert set(ReminderStatus.values) == {"pending", "sent", "cancelled"}


def test_administrators_edit_rules_in_the_admin_site(personas):
    admin = verified_client(personas.admin)
    assert admin.get("/admin/reminders/reminderrule/").status_code == 200
    response = admin.post(
        "/admin/reminders/reminderrule/add/",
        {
            "source": "counselling.case_event",
            "days_before": "14",
            "minutes_before": "0",
            "audience": "assigned",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = ReminderRule.objects.get(source="counselling.case_event", days_before=14)
    from ngo.audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        object_type="reminders.reminderrule", object_id=str(rule.pk)
    ).exists()
    refused = admin.post(
        "/admin/reminders/reminderrule/add/",
        {
            "source": "counselling.case_event",
            "days_before": "3",
            "minutes_before": "0",
            "audience": "holder",
        },
    )
    assert refused.status_code == 200
    assert "cannot be sent" in refused.content.decode()
    assert verified_client(personas.counsellor_a).get(
        "/admin/reminders/reminderrule/"
    ).status_code in (302, 403, 404)
