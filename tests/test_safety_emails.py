"""No e-mail the application sends carries her safe-contact rules, her code
word or her flags: every kind of reminder that can concern her case, sent at
once and in the daily digest, for a woman with every field of her rules filled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from counselling import services as counselling
from counselling.safety.models import Channel
from ngo.reminders import services as reminders
from ngo.reminders.models import EmailMode, NotificationPreference, Reminder
from tests.safety_helpers import CODE_WORD, CONTACT_PERSON, NOTES, SECRET_PERSON, case_with_rules
from tests.test_document_types import upload

pytestmark = pytest.mark.django_db

CASE_SOURCES = {
    "counselling.visa_expiry",
    "counselling.case_event",
    "counselling.session_follow_up",
    "counselling.risk_follow_up",
    "counselling.safety_plan_review",
    "counselling.document_expiry",
}


def _her_deadlines(make_case, personas, organisations):
    today = timezone.localdate()
    case = case_with_rules(
        make_case, personas, organisations["hospital"], visa_expiry=today + timedelta(days=3)
    )
    actor = personas.counsellor_a
    counselling.case_event_add(
        actor=actor, case=case, kind="court_hearing", starts_at=timezone.now() + timedelta(days=3)
    )
    counselling.session_record(
        actor=actor, case=case, mode="phone", follow_up_on=today + timedelta(days=1)
    )
    counselling.risk_assess(
        actor=actor, case=case, answers={"threats_to_kill": True, "strangulation": True}
    )
    counselling.safety_plan_create(actor=actor, case=case, next_review_on=today + timedelta(days=1))
    upload(actor, case, category="passport", expires_on=today + timedelta(days=5))
    return case


def _texts():
    return [
        message.subject + "\n" + message.body + "\n" + str(message.message())
        for message in mail.outbox
    ]


FORBIDDEN_WORDS = [
    CODE_WORD,
    SECRET_PERSON,
    CONTACT_PERSON,
    NOTES,
    "Seoul Medical Centre",
    "Immediate danger",
    "Child protection",
    "partner organisation",
    "safe hours",
    "10:00–16:00",
    str(Channel.PHONE_CALL.label),
    str(Channel.HOME_VISIT.label),
    "Never call",
    # The e-mails are in Korean too.
    "즉각적인 위험",
    "아동 보호 우려",
    "협력 기관",
    "전화 통화",
    "가정 방문",
    "안전한 연락",
    "암호",
]


def test_no_reminder_email_carries_her_rules(make_case, personas, organisations):
    case = _her_deadlines(make_case, personas, organisations)
    reminders.refresh()
    later = timezone.now() + timedelta(days=10)
    assert set(Reminder.objects.values_list("item__source", flat=True)) == CASE_SOURCES
    assert reminders.fire_due_reminders(now=later) >= len(CASE_SOURCES)
    reminders.send_queued_emails(now=later)
    texts = _texts()
    sent_sources = {r.item.source for r in Reminder.objects.filter(status="sent")}
    assert sent_sources == CASE_SOURCES
    assert len(texts) >= len(CASE_SOURCES)
    assert all(case.client.case_code in text for text in texts)
    for text in texts:
        for word in FORBIDDEN_WORDS:
            assert word not in text, word


def test_the_daily_digest_carries_none_of_them_either(make_case, personas, organisations):
    NotificationPreference.objects.create(user=personas.counsellor_a, email_mode=EmailMode.DIGEST)
    _her_deadlines(make_case, personas, organisations)
    reminders.refresh()
    later = timezone.now() + timedelta(days=10)
    reminders.fire_due_reminders(now=later)
    nine = timezone.make_aware(
        timezone.datetime.combine(timezone.localdate(later), timezone.datetime.min.time())
    ) + timedelta(hours=9)
    assert reminders.queue_digests(now=nine) >= 1
    reminders.send_queued_emails(now=nine)
    digests = _texts()
    assert any(personas.counsellor_a.email in m.to for m in mail.outbox)
    for digest in digests:
        for word in FORBIDDEN_WORDS:
            assert word not in digest, word
